//! Dorsum's first text intake: finds knowledge-base findings in a person's own words, with the byte span
//! they came from and whether they were affirmed, negated or otherwise qualified.
//!
//! The engine does not depend on this crate; the shells turn [`Mention`]s into engine evidence. Pure:
//! no I/O. Behind the [`TextIntake`] trait so a fuller parser can replace it.

mod context;
mod duration;
mod lookup;
mod matcher;
mod normalize;
mod quantity;
mod radiation;

pub use matcher::PhraseIntake;
pub use quantity::Kind as QuantityKind;
pub use radiation::Reach;

/// A number with clinical meaning found in the text: an age, a temperature (°C) or a 0-10 pain score, with
/// its half-open byte span in the original text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatedQuantity {
    pub kind: QuantityKind,
    pub value: f64,
    pub span: (usize, usize),
}

/// Every age, temperature and pain score stated in the text, in order.
pub fn quantities(text: &str) -> Vec<StatedQuantity> {
    let norm = normalize::Normalized::new(text);
    let tokens = context::tokenize(&norm.text);
    quantity::find(&tokens)
        .into_iter()
        .map(|q| StatedQuantity {
            kind: q.kind,
            value: q.value,
            span: norm.original_span(q.start, q.end, text),
        })
        .collect()
}

use dorsum_kb::FindingIx;

/// How a mention is meant (ConText-style assertion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Assertion {
    Affirmed,
    Negated,
    Uncertain,
    Historical,
    Hypothetical,
    OtherPerson,
}

impl Assertion {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Assertion::Affirmed => "affirmed",
            Assertion::Negated => "negated",
            Assertion::Uncertain => "uncertain",
            Assertion::Historical => "historical",
            Assertion::Hypothetical => "hypothetical",
            Assertion::OtherPerson => "other_person",
        }
    }

    /// What the engine should take from it: `Some(true)` present, `Some(false)` absent, `None` nothing.
    pub fn presence(self) -> Option<bool> {
        match self {
            Assertion::Affirmed => Some(true),
            Assertion::Negated => Some(false),
            _ => None,
        }
    }
}

/// Which side of the body a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Left,
    Right,
    Both,
}

impl Side {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
            Side::Both => "both",
        }
    }
}

/// Where a spreading pain goes: the farthest body part named for it and the side
/// ("goes down my left leg to my foot" → foot, left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Radiation {
    pub to: Reach,
    pub side: Option<Side>,
}

/// One finding found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub finding: FindingIx,
    pub assertion: Assertion,
    /// Half-open byte range into the original text.
    pub span: (usize, usize),
    /// The side named in or just before the phrase ("my left lower back", "down both legs").
    pub side: Option<Side>,
    /// For radiation findings: where the pain goes, read from the phrase and the rest of its clause.
    pub radiation: Option<Radiation>,
}

impl Mention {
    /// A mention with no side or radiation.
    pub fn new(finding: FindingIx, assertion: Assertion, span: (usize, usize)) -> Self {
        Mention {
            finding,
            assertion,
            span,
            side: None,
            radiation: None,
        }
    }
}

/// Anything that turns free text into mentions.
pub trait TextIntake {
    /// Mentions in order of their position in the text.
    fn read(&self, text: &str) -> Vec<Mention>;
}

/// The assertion of the words at `[start, end)` (byte offsets into `text`), judged from the clause around
/// them: the same judgement the intake makes for its own matches. Used to benchmark negation detection on
/// text whose concept spans are given (the NegEx kit).
pub fn assertion_of(text: &str, start: usize, end: usize) -> Assertion {
    with_clause(text, start, end, |tokens, s, e| {
        context::classify(tokens, s, e, false, false, false)
    })
}

/// Whether the words at `[start, end)` are negated, whoever they are said of and however hedged: "my dad
/// never had heart problems" is negated (its assertion is [`Assertion::OtherPerson`]), and so is "not really
/// numb" (its assertion is [`Assertion::Uncertain`], since a hedged denial is not safe evidence of absence).
/// The negation status the NegEx kit annotates, from the same judgement as [`assertion_of`].
pub fn is_negated(text: &str, start: usize, end: usize) -> bool {
    with_clause(text, start, end, |tokens, s, e| {
        context::judge(tokens, s, e, false, false, false).own == Assertion::Negated
    })
}

/// Memory kept between calls of [`with_clause`] on a thread, so judging one span allocates nothing.
#[derive(Default)]
struct Scratch {
    text: String,
    origin: Vec<usize>,
    tokens: Vec<context::Token<'static>>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Buffers larger than this (bytes of text) are not kept.
const SCRATCH_LIMIT: usize = 1 << 16;

/// `judge` run on the tokens of `text` normalised, with `[start, end)` mapped into it.
fn with_clause<R>(
    text: &str,
    start: usize,
    end: usize,
    judge: impl FnOnce(&[context::Token<'_>], usize, usize) -> R,
) -> R {
    let scratch = SCRATCH.with(std::cell::Cell::take);
    let norm = normalize::Normalized::new_in(text, scratch.text, scratch.origin);
    let mut tokens: Vec<context::Token<'_>> = scratch.tokens;
    context::tokenize_into(&norm.text, &mut tokens);
    let s = norm.normalized_offset(start);
    let e = norm.normalized_offset(end).max(s);
    let result = judge(&tokens, s, e);
    if norm.text.capacity() <= SCRATCH_LIMIT {
        tokens.clear();
        // an empty vector of borrowed tokens back to one that borrows nothing, keeping its memory (the
        // map never runs: the vector is empty)
        let tokens = tokens
            .into_iter()
            .map(|t| context::Token { text: "", ..t })
            .collect();
        let (text, origin) = norm.into_buffers();
        SCRATCH.with(|cell| {
            cell.set(Scratch {
                text,
                origin,
                tokens,
            })
        });
    }
    result
}
