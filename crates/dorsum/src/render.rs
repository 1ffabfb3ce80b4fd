//! The readable result of `dorsum assess --text`: what to do first, then why, likely causes, self-care.

use crate::pipeline::{Case, action};
use dorsum_engine::Assessment;
use dorsum_intake::Mention;
use dorsum_kb::{Kb, Region, TriageLevel};
use std::fmt::Write;

fn region_text(region: Region) -> &'static str {
    match region {
        Region::Neck => "Neck (cervical spine, C1-C7).",
        Region::Upper => {
            "Upper or mid back (thoracic spine, T1-T12, between and around the shoulder blades). Upper back pain is most often posture and muscle tension; it is also where the heart, lungs, aorta and gallbladder can refer pain."
        }
        Region::Lower => {
            "Lower back (lumbar spine, L1-L5, down to the sacrum). Lower back pain is most often a strain or a disc; the kidneys and aorta can also be felt here."
        }
        Region::Both => "Both upper and lower back.",
    }
}

/// Render an assessment as plain text.
pub fn text(kb: &Kb, case: &Case, mentions: &[Mention], a: &Assessment) -> String {
    let mut s = String::new();
    let level = a.triage.level;
    let heading = match level {
        TriageLevel::EmergencyAmbulance => "EMERGENCY - CALL AN AMBULANCE NOW",
        TriageLevel::Emergency => "EMERGENCY - GO TO THE EMERGENCY DEPARTMENT NOW",
        TriageLevel::Consultation24 => "SEE A DOCTOR WITHIN 24 HOURS",
        TriageLevel::Consultation => "BOOK A DOCTOR OR PHYSIOTHERAPIST",
        TriageLevel::SelfCare => "SELF-CARE AT HOME",
    };
    let _ = writeln!(s, "{heading}");
    let _ = writeln!(s, "{}\n", action(kb, level));

    let _ = writeln!(s, "Why ({}):", level.as_str());
    for r in &a.triage.reasons {
        let _ = writeln!(s, "  - {}", r.text);
        let _ = writeln!(s, "    [{}; source: {}]", r.rule, kb.cite_text(&r.citation));
    }

    let _ = writeln!(s, "\nWhere: {}", region_text(a.region));

    let _ = writeln!(s, "\nLikely causes (not a diagnosis):");
    for (i, rc) in a.conditions.iter().take(5).enumerate() {
        let c = kb.condition(rc.condition);
        let _ = writeln!(
            s,
            "  {}. {} ({}; ICD-10 {}) - {:.1}%",
            i + 1,
            c.name,
            c.clinical_name,
            c.icd10.join(", "),
            rc.probability * 100.0
        );
        if i < 3 {
            let list = |for_it: bool| {
                rc.contributions
                    .iter()
                    .filter(|w| (w.ratio > 1.0) == for_it)
                    .take(4)
                    .map(|w| {
                        let name = &kb.finding(w.finding).name;
                        let name = if w.present {
                            name.clone()
                        } else {
                            format!("no {}", name.to_lowercase())
                        };
                        format!("{name} (x{:.2})", w.ratio)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let pro = list(true);
            let con = list(false);
            if !pro.is_empty() {
                let _ = writeln!(s, "     for: {pro}");
            }
            if !con.is_empty() {
                let _ = writeln!(s, "     against: {con}");
            }
        }
    }

    match &a.self_care {
        Some(sc) => {
            let _ = writeln!(s, "\nSelf-care:");
            for &i in sc.advice.iter().take(6) {
                let _ = writeln!(s, "  - {}", kb.treatments[i].text);
            }
            if !sc.exercises.is_empty() {
                let _ = writeln!(s, "\nExercises (stop any that make the pain much worse):");
                for &i in &sc.exercises {
                    let e = &kb.exercises[i];
                    let _ = writeln!(s, "  * {} ({}) - {}", e.name, e.goal.as_str(), e.dose);
                    for step in &e.steps {
                        let _ = writeln!(s, "      {step}");
                    }
                }
            }
        }
        None => {
            let _ = writeln!(s, "\nNo exercises for now: get checked first, as above.");
        }
    }

    let _ = writeln!(s, "\nWhat we understood from your words:");
    if mentions.is_empty() {
        let _ = writeln!(
            s,
            "  (nothing we recognised - try describing where it hurts, since when, and anything else you have noticed)"
        );
    }
    for m in mentions {
        let quote = &case.text[m.span.0..m.span.1];
        let f = kb.finding(m.finding);
        let _ = writeln!(
            s,
            "  - {} [{}]: \"{}\"",
            f.name,
            m.assertion.as_str(),
            quote
        );
    }
    let _ = writeln!(
        s,
        "\nDorsum gives information, not a diagnosis. If you are worried or it gets worse, contact a doctor."
    );
    s
}
