//! Dorsum self-care: the weekly plan, the PEG scale, the follow-up rules over the pain diary, and the pain
//! chart.
//!
//! Pure like the engine: no I/O and no clock. Dates come in as arguments (`jiff::civil::Date`), the plan
//! names knowledge-base entries by id (their texts stay in the knowledge base), and every function gives
//! the same answer for the same input.
//!
//! - [`plan()`]: from an assessment ([`CareInput`]) to a [`Plan`] of phases and daily sessions, or to
//!   [`NoPlan`] (what to do now) when the triage is `consultation_24` or more urgent.
//! - [`peg`]: the PEG three-item pain scale (Krebs et al. 2009) and its score.
//! - [`psfs`]: the Patient-Specific Functional Scale (Stratford et al. 1995) and its score.
//! - [`follow_up()`]: what the diary since the last assessment means ([`FollowUp`]).
//! - [`pain_chart()`]: pain over time with plan weeks and sessions done, as a standalone SVG.

pub mod chart;
mod error;
pub mod followup;
mod input;
pub mod peg;
pub mod plan;
pub mod psfs;
mod serde_vocab;

#[cfg(test)]
mod fixture;

pub use chart::pain_chart;
pub use error::Error;
pub use followup::{
    Action, Baseline, Change, DiaryPoint, FollowUp, FollowUpInput, FollowUpRule, change, follow_up,
};
pub use input::CareInput;
pub use peg::{PEG_ITEMS, Peg, PegItem};
pub use plan::{
    DEFAULT_WEEKS, MAX_SESSION_MINUTES, MAX_WEEKS, MIN_SESSION_MINUTES, MIN_WEEKS, NoPlan, Phase,
    PhaseKind, Plan, PlanOptions, PlanOutcome, PlannedExercise, Variant, exercise_minutes,
    phase_weeks, plan,
};
pub use psfs::{Psfs, PsfsActivity, PsfsChange, PsfsError, psfs_change};
