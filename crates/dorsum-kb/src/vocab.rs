//! Closed vocabularies shared by the knowledge base, the engine and the shells.

use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        value: s.to_string(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }
    };
}

/// A string that is not one of a vocabulary's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not one of: {}", expected.join(", "))]
pub struct UnknownValue {
    /// What was given.
    pub value: String,
    /// The accepted spellings.
    pub expected: &'static [&'static str],
}

vocabulary! {
    /// The five triage levels, ordered from least to most urgent (so `max` is "most urgent").
    TriageLevel {
        SelfCare => "self_care",
        Consultation => "consultation",
        Consultation24 => "consultation_24",
        Emergency => "emergency",
        EmergencyAmbulance => "emergency_ambulance",
    }
}

vocabulary! {
    /// Where pain sits, or where a condition is usually felt.
    Region {
        Neck => "neck",
        Upper => "upper",
        Lower => "lower",
        Both => "both",
    }
}

vocabulary! {
    /// Sex, as used by the priors.
    Sex {
        Female => "female",
        Male => "male",
    }
}

vocabulary! {
    /// Broad family of a condition.
    Category {
        Musculoskeletal => "musculoskeletal",
        SeriousSpinal => "serious_spinal",
        NonSpinal => "non_spinal",
    }
}

vocabulary! {
    /// What sort of thing a finding is. `RiskFactor` findings only shift probabilities.
    FindingKind {
        Location => "location",
        Radiation => "radiation",
        Character => "character",
        Severity => "severity",
        Onset => "onset",
        Duration => "duration",
        Timing => "timing",
        Trigger => "trigger",
        Symptom => "symptom",
        Neurological => "neurological",
        Sign => "sign",
        History => "history",
        RiskFactor => "risk_factor",
    }
}

vocabulary! {
    /// Red flags act now; follow-up rules are about the time course.
    RuleKind {
        RedFlag => "red_flag",
        FollowUp => "follow_up",
    }
}

vocabulary! {
    /// What an exercise is for.
    Goal {
        Mobility => "mobility",
        Strength => "strength",
        Relaxation => "relaxation",
    }
}

vocabulary! {
    /// The sort of treatment entry: advice for the current episode, a habit to keep for good, a medication
    /// class (never a dose), a clinical option, or an explanation of a region (what that part of the back
    /// is and what usually hurts there; shown with the result, never planned).
    TreatmentKind {
        SelfCare => "self_care",
        Habit => "habit",
        Medication => "medication",
        Clinical => "clinical",
        Explanation => "explanation",
    }
}

/// The age bands priors are given for, as `(label, first age, last age)`.
pub const AGE_BANDS: [(&str, u8, u8); 5] = [
    ("0-17", 0, 17),
    ("18-39", 18, 39),
    ("40-59", 40, 59),
    ("60-79", 60, 79),
    ("80+", 80, 120),
];

/// Index into [`AGE_BANDS`] for an age in years.
pub fn age_band(age: u8) -> usize {
    AGE_BANDS
        .iter()
        .position(|&(_, lo, hi)| (lo..=hi).contains(&age))
        .unwrap_or(AGE_BANDS.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triage_levels_are_ordered_by_urgency() {
        assert!(TriageLevel::SelfCare < TriageLevel::Consultation);
        assert!(TriageLevel::Consultation < TriageLevel::Consultation24);
        assert!(TriageLevel::Consultation24 < TriageLevel::Emergency);
        assert!(TriageLevel::Emergency < TriageLevel::EmergencyAmbulance);
    }

    #[test]
    fn vocabulary_round_trips_and_rejects_unknown() {
        for level in TriageLevel::ALL {
            assert_eq!(level.as_str().parse::<TriageLevel>().unwrap(), *level);
        }
        let err = "urgent".parse::<TriageLevel>().unwrap_err();
        assert!(err.to_string().contains("consultation_24"));
    }

    #[test]
    fn treatment_kinds_include_habits() {
        assert_eq!(
            "habit".parse::<TreatmentKind>().unwrap(),
            TreatmentKind::Habit
        );
        for kind in TreatmentKind::ALL {
            assert_eq!(kind.as_str().parse::<TreatmentKind>().unwrap(), *kind);
        }
        let err = "heat".parse::<TreatmentKind>().unwrap_err();
        assert!(
            err.to_string()
                .contains("self_care, habit, medication, clinical")
        );
    }

    #[test]
    fn age_bands_cover_every_age() {
        assert_eq!(age_band(0), 0);
        assert_eq!(age_band(17), 0);
        assert_eq!(age_band(18), 1);
        assert_eq!(age_band(59), 2);
        assert_eq!(age_band(60), 3);
        assert_eq!(age_band(80), 4);
        assert_eq!(age_band(120), 4);
    }
}
