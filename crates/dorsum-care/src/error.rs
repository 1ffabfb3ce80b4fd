//! What can go wrong: each message says what to change.

/// An input the care functions cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The plan length is outside the supported range.
    #[error(
        "a plan lasts {min} to {max} weeks, not {weeks}: choose a length in that range",
        min = crate::plan::MIN_WEEKS,
        max = crate::plan::MAX_WEEKS
    )]
    Weeks { weeks: u8 },
    /// A finding id that the knowledge base does not know.
    #[error(
        "unknown finding '{0}': the result was probably made with another knowledge base; assess again"
    )]
    UnknownFinding(String),
    /// A condition id that the knowledge base does not know.
    #[error(
        "unknown condition '{0}': the result was probably made with another knowledge base; assess again"
    )]
    UnknownCondition(String),
    /// A 0-10 answer outside 0-10.
    #[error("the {item} answer must be a whole number from 0 to 10, not {value}")]
    Score { item: &'static str, value: i64 },
}
