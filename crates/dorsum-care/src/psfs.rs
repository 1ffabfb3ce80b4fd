//! The Patient-Specific Functional Scale (PSFS): up to five activities the person names that their pain
//! makes hard or impossible, each rated from 0 (unable to do it) to 10 (able to do it as well as before the
//! problem). The score is the mean of the ratings; a higher score is better function (the opposite of the
//! pain and PEG scales).
//!
//! Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a
//! report of a patient specific measure. Physiotherapy Canada 1995;47(4):258-263. The scale is free to
//! use; the prompts below are in our own words. The published scoring sheet gives the smallest change it
//! can detect (90% confidence): 2 points for the mean score, 3 points for a single activity.
//!
//! The activities are the person's own, so two entries can only be compared activity by activity when the
//! names match; the mean is comparable as it is (that is how the scale is used).

use serde::{Deserialize, Serialize};

/// The full citation.
/// The knowledge-base source id of the scale (kb/sources/care.toml).
pub const PSFS_SOURCE: &str = "stratford1995";
pub const PSFS_CITATION: &str = "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiotherapy Canada 1995;47(4):258-263.";
/// Most activities in one PSFS.
pub const PSFS_MAX_ACTIVITIES: usize = 5;
/// Longest activity name, in bytes (the store's limit too).
pub const PSFS_MAX_NAME_BYTES: usize = 200;
/// Smallest detectable change of the mean score (90% confidence), in points.
pub const PSFS_MDC_MEAN: f64 = 2.0;
/// Smallest detectable change of a single activity's score (90% confidence), in points.
pub const PSFS_MDC_ACTIVITY: u8 = 3;
/// How an activity is asked for (our words).
pub const PSFS_ACTIVITY_PROMPT: &str =
    "Name an activity that your back or neck pain makes hard or impossible to do";
/// How it is rated (our words).
pub const PSFS_SCORE_PROMPT: &str = "How well can you do it today?";
/// What 0 means.
pub const PSFS_LOW: &str = "Unable to do it";
/// What 10 means.
pub const PSFS_HIGH: &str = "Able to do it as well as before the problem";

/// A PSFS that cannot be scored: each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PsfsError {
    /// No activities, or more than five.
    #[error("give 1 to {max} activities, not {0}", max = PSFS_MAX_ACTIVITIES)]
    Count(usize),
    /// An empty name, or one with control characters.
    #[error("activity {0} needs a name in plain words")]
    Name(usize),
    /// A name longer than the limit.
    #[error("activity {0} has a name over {max} bytes: shorten it", max = PSFS_MAX_NAME_BYTES)]
    LongName(usize),
    /// The same activity twice.
    #[error("activity {0} repeats an earlier one: name each activity once")]
    Repeated(usize),
    /// A rating outside 0-10.
    #[error(
        "activity {item} is rated {value}: give a whole number from 0 (unable) to 10 (as before)"
    )]
    Score { item: usize, value: i64 },
}

/// One activity and how well it can be done, 0-10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PsfsActivity {
    /// In the person's words, trimmed.
    pub name: String,
    /// 0 = unable, 10 = as before the problem.
    pub score: u8,
}

/// A completed PSFS: one to five distinct activities, each rated 0-10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Psfs {
    activities: Vec<PsfsActivity>,
}

impl Psfs {
    /// Validate activities in the order given (names are trimmed; numbering in errors counts from 1).
    pub fn new<S: AsRef<str>>(
        activities: impl IntoIterator<Item = (S, i64)>,
    ) -> Result<Psfs, PsfsError> {
        let given: Vec<(S, i64)> = activities.into_iter().collect();
        if given.is_empty() || given.len() > PSFS_MAX_ACTIVITIES {
            return Err(PsfsError::Count(given.len()));
        }
        let mut out: Vec<PsfsActivity> = Vec::with_capacity(given.len());
        for (i, (name, value)) in given.into_iter().enumerate() {
            let n = i + 1;
            let name = name.as_ref().trim();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(PsfsError::Name(n));
            }
            if name.len() > PSFS_MAX_NAME_BYTES {
                return Err(PsfsError::LongName(n));
            }
            if out
                .iter()
                .any(|a| a.name.to_lowercase() == name.to_lowercase())
            {
                return Err(PsfsError::Repeated(n));
            }
            let score = u8::try_from(value)
                .ok()
                .filter(|v| *v <= 10)
                .ok_or(PsfsError::Score { item: n, value })?;
            out.push(PsfsActivity {
                name: name.to_string(),
                score,
            });
        }
        Ok(Psfs { activities: out })
    }

    /// The activities in the order given.
    pub fn activities(&self) -> &[PsfsActivity] {
        &self.activities
    }

    /// The PSFS score: the mean of the activity ratings, 0 to 10 (higher is better).
    pub fn score(&self) -> f64 {
        let sum: u32 = self.activities.iter().map(|a| u32::from(a.score)).sum();
        f64::from(sum) / self.activities.len() as f64
    }
}

/// How two PSFS means compare, judged against the smallest detectable change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PsfsChange {
    /// Up by at least [`PSFS_MDC_MEAN`]: function better.
    Better,
    /// Within the measurement error.
    NoDetectableChange,
    /// Down by at least [`PSFS_MDC_MEAN`]: function worse.
    Worse,
}

/// Compare a later PSFS mean with an earlier one.
pub fn psfs_change(before: f64, after: f64) -> PsfsChange {
    // Means are multiples of 1/n for n ≤ 5; a small tolerance keeps 2.0 from reading as 1.999….
    let diff = after - before;
    if diff >= PSFS_MDC_MEAN - 1e-9 {
        PsfsChange::Better
    } else if diff <= -(PSFS_MDC_MEAN - 1e-9) {
        PsfsChange::Worse
    } else {
        PsfsChange::NoDetectableChange
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_the_mean_of_the_activity_ratings() {
        // The scoring sheet's worked form: total of the activity scores divided by the number of activities.
        let p = Psfs::new([
            ("walking the dog", 4),
            ("sitting at work", 6),
            ("lifting my child", 2),
        ])
        .unwrap();
        assert_eq!(p.score(), 4.0);
        assert_eq!(Psfs::new([("gardening", 7)]).unwrap().score(), 7.0);
        let five = Psfs::new([("a", 0), ("b", 10), ("c", 3), ("d", 4), ("e", 5)]).unwrap();
        assert!((five.score() - 22.0 / 5.0).abs() < 1e-12);
        let two = Psfs::new([("running", 3), ("driving", 4)]).unwrap();
        assert_eq!(two.score(), 3.5);
        assert_eq!(Psfs::new([("x", 0)]).unwrap().score(), 0.0);
        assert_eq!(Psfs::new([("x", 10), ("y", 10)]).unwrap().score(), 10.0);
    }

    #[test]
    fn one_to_five_activities() {
        assert_eq!(
            Psfs::new(Vec::<(&str, i64)>::new()),
            Err(PsfsError::Count(0))
        );
        let seven = (1..=7).map(|i| (format!("activity {i}"), 5));
        assert_eq!(Psfs::new(seven), Err(PsfsError::Count(7)));
        let e = Psfs::new(Vec::<(&str, i64)>::new()).unwrap_err();
        assert!(e.to_string().contains("1 to 5"), "{e}");
    }

    #[test]
    fn ratings_are_whole_numbers_from_0_to_10() {
        assert_eq!(
            Psfs::new([("walking", 5), ("sitting", 11)]),
            Err(PsfsError::Score { item: 2, value: 11 })
        );
        assert_eq!(
            Psfs::new([("walking", -1)]),
            Err(PsfsError::Score { item: 1, value: -1 })
        );
        assert!(
            Psfs::new([("walking", 300)])
                .unwrap_err()
                .to_string()
                .contains("0 (unable) to 10")
        );
    }

    #[test]
    fn names_are_trimmed_distinct_and_plain() {
        let p = Psfs::new([("  walking the dog ", 4)]).unwrap();
        assert_eq!(p.activities()[0].name, "walking the dog");
        assert_eq!(
            Psfs::new([("walking", 4), ("Walking ", 5)]),
            Err(PsfsError::Repeated(2))
        );
        assert_eq!(Psfs::new([("  ", 4)]), Err(PsfsError::Name(1)));
        assert_eq!(Psfs::new([("a\nb", 4)]), Err(PsfsError::Name(1)));
        assert_eq!(
            Psfs::new([("x".repeat(201), 4)]),
            Err(PsfsError::LongName(1))
        );
        assert!(Psfs::new([("x".repeat(200), 4)]).is_ok());
    }

    #[test]
    fn change_uses_the_two_point_detectable_change_of_the_mean() {
        assert_eq!(psfs_change(4.0, 6.0), PsfsChange::Better);
        assert_eq!(psfs_change(4.0, 5.9), PsfsChange::NoDetectableChange);
        assert_eq!(psfs_change(6.0, 4.0), PsfsChange::Worse);
        assert_eq!(psfs_change(5.0, 5.0), PsfsChange::NoDetectableChange);
        // Thirds do not fall short of 2 through rounding: 7/3 → 13/3.
        assert_eq!(psfs_change(7.0 / 3.0, 13.0 / 3.0), PsfsChange::Better);
        assert_eq!(PSFS_MDC_ACTIVITY, 3);
    }

    #[test]
    fn limits_match_the_store() {
        assert_eq!(PSFS_MAX_ACTIVITIES, 5);
        assert_eq!(PSFS_MAX_NAME_BYTES, 200);
        assert!(PSFS_CITATION.contains("Physiotherapy Canada 1995"));
    }
}

#[cfg(test)]
mod source_tests {
    #[test]
    fn the_scales_cite_knowledge_base_sources() {
        let kb = crate::fixture::real_kb();
        for id in [super::PSFS_SOURCE, crate::peg::PEG_SOURCE] {
            assert!(kb.source(id).is_some(), "no [[source]] with id {id}");
        }
    }
}
