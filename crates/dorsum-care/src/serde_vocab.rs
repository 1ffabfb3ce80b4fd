//! Knowledge-base vocabularies deserialise from their wire spelling; this writes them the same way.

use serde::Serializer;
use std::fmt::Display;

/// Serialise a vocabulary value (or anything `Display`) as its string.
pub fn display<T: Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}
