//! The PEG scale: three 0-10 questions on pain intensity (P), interference with enjoyment of life (E) and
//! with general activity (G) over the past week; the score is their mean.
//!
//! Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of the PEG, a three-item scale
//! assessing pain intensity and interference. J Gen Intern Med 2009;24(6):733-738. Public domain; LOINC
//! panel 91148-7. The item texts are quoted verbatim, the one exception to "our own words".

use crate::error::Error;
use serde::{Deserialize, Serialize};

/// Id of the `[[source]]` in the knowledge base.
pub const PEG_SOURCE: &str = "krebs2009";
/// The full citation.
pub const PEG_CITATION: &str = "Krebs EE, Lorenz KA, Bair MJ, et al. Development and initial validation of the PEG, a three-item scale assessing pain intensity and interference. J Gen Intern Med 2009;24(6):733-738.";
/// LOINC code of the PEG panel.
pub const PEG_LOINC: &str = "91148-7";

/// One PEG question with the meaning of its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PegItem {
    /// `pain`, `enjoyment` or `activity`.
    pub id: &'static str,
    pub question: &'static str,
    /// What 0 means.
    pub low: &'static str,
    /// What 10 means.
    pub high: &'static str,
}

/// The three items, in the order they are asked.
pub const PEG_ITEMS: [PegItem; 3] = [
    PegItem {
        id: "pain",
        question: "What number best describes your pain on average in the past week?",
        low: "No pain",
        high: "Pain as bad as you can imagine",
    },
    PegItem {
        id: "enjoyment",
        question: "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
        low: "Does not interfere",
        high: "Completely interferes",
    },
    PegItem {
        id: "activity",
        question: "What number best describes how, during the past week, pain has interfered with your general activity?",
        low: "Does not interfere",
        high: "Completely interferes",
    },
];

/// A completed PEG: three answers from 0 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peg {
    pub pain: u8,
    pub enjoyment: u8,
    pub activity: u8,
}

impl Peg {
    /// Validate three answers (each a whole number from 0 to 10), in item order.
    pub fn new(pain: i64, enjoyment: i64, activity: i64) -> Result<Peg, Error> {
        let check = |i: usize, value: i64| {
            u8::try_from(value)
                .ok()
                .filter(|v| *v <= 10)
                .ok_or(Error::Score {
                    item: PEG_ITEMS[i].id,
                    value,
                })
        };
        Ok(Peg {
            pain: check(0, pain)?,
            enjoyment: check(1, enjoyment)?,
            activity: check(2, activity)?,
        })
    }

    /// The answers in item order.
    pub fn answers(&self) -> [u8; 3] {
        [self.pain, self.enjoyment, self.activity]
    }

    /// The PEG score: the mean of the three answers, 0 to 10.
    pub fn score(&self) -> f64 {
        f64::from(u16::from(self.pain) + u16::from(self.enjoyment) + u16::from(self.activity)) / 3.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_verbatim_from_brief_and_krebs() {
        assert_eq!(
            PEG_ITEMS[0].question,
            "What number best describes your pain on average in the past week?"
        );
        assert_eq!(
            PEG_ITEMS[1].question,
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life?"
        );
        assert_eq!(
            PEG_ITEMS[2].question,
            "What number best describes how, during the past week, pain has interfered with your general activity?"
        );
        assert_eq!(
            (PEG_ITEMS[0].low, PEG_ITEMS[0].high),
            ("No pain", "Pain as bad as you can imagine")
        );
        for item in &PEG_ITEMS[1..] {
            assert_eq!(
                (item.low, item.high),
                ("Does not interfere", "Completely interferes")
            );
        }
        assert!(PEG_CITATION.contains("J Gen Intern Med 2009"));
    }

    #[test]
    fn the_source_is_in_the_knowledge_base() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        let s = kb.source(PEG_SOURCE).expect("krebs2009 in kb/sources");
        assert!(s.publication.as_deref().unwrap().contains("2009"));
    }

    #[test]
    fn score_is_the_mean() {
        assert_eq!(Peg::new(0, 0, 0).unwrap().score(), 0.0);
        assert_eq!(Peg::new(10, 10, 10).unwrap().score(), 10.0);
        assert_eq!(Peg::new(6, 4, 5).unwrap().score(), 5.0);
        let p = Peg::new(7, 3, 4).unwrap();
        assert!((p.score() - 14.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.answers(), [7, 3, 4]);
    }

    #[test]
    fn answers_outside_0_to_10_are_rejected_with_the_item() {
        assert_eq!(
            Peg::new(11, 0, 0),
            Err(Error::Score {
                item: "pain",
                value: 11
            })
        );
        assert_eq!(
            Peg::new(0, -1, 0),
            Err(Error::Score {
                item: "enjoyment",
                value: -1
            })
        );
        let e = Peg::new(0, 0, 300).unwrap_err();
        assert_eq!(
            e,
            Error::Score {
                item: "activity",
                value: 300
            }
        );
        assert!(e.to_string().contains("0 to 10"));
        assert!(Peg::new(10, 0, 10).is_ok());
    }
}
