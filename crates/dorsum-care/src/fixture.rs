//! Test fixtures: the real knowledge base once, and a small synthetic one where most exercises have
//! contraindications.

use dorsum_kb::{Kb, KbFile, load};
use std::fmt::Write;
use std::sync::OnceLock;

/// The embedded knowledge base, loaded once.
pub fn real_kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| dorsum_kb::embedded::load_embedded().expect("embedded kb loads"))
}

/// Number of synthetic findings (`f0` ...) and conditions (`c0` ...).
pub const FINDINGS: usize = 6;
pub const CONDITIONS: usize = 5;
/// Number of synthetic exercises (`e0` ...).
pub const EXERCISES: usize = 24;

/// A synthetic knowledge base: 24 exercises over every region and goal, 20 of them with contraindications
/// spread over 6 findings and 5 conditions (the loader needs one on each; the other 4 name a finding no
/// test reports).
pub fn synthetic_kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| {
        let text = synthetic_toml();
        load(&[KbFile {
            path: "synthetic.toml",
            text: &text,
        }])
        .unwrap_or_else(|p| panic!("synthetic kb: {p:?}"))
    })
}

fn synthetic_toml() -> String {
    let mut s = String::from(
        r#"
[meta]
version = "synthetic"
emergency_number = "999"

[[source]]
id = "s"
title = "Synthetic source"
publication = "Test 2026"

[[finding]]
id = "never"
name = "Never reported"
kind = "symptom"
question = "Never?"
phrases = ["never reported"]
"#,
    );
    for f in 0..FINDINGS {
        let _ = write!(
            s,
            "\n[[finding]]\nid = \"f{f}\"\nname = \"Finding {f}\"\nkind = \"symptom\"\nquestion = \"F{f}?\"\nphrases = [\"finding {f}\"]\n"
        );
    }
    for c in 0..CONDITIONS {
        let _ = write!(
            s,
            r#"
[[condition]]
id = "c{c}"
name = "Condition {c}"
clinical_name = "Condition {c}"
icd10 = ["M54.5"]
category = "musculoskeletal"
region = "lower"
urgency = "self_care"
threshold = 0.5
threshold_cite = {{ cite = ["s"] }}
[condition.prior]
cite = ["s"]
bands = [
  {{ age = "0-17", female = 0.1, male = 0.1 }},
  {{ age = "18-39", female = 0.1, male = 0.1 }},
  {{ age = "40-59", female = 0.1, male = 0.1 }},
  {{ age = "60-79", female = 0.1, male = 0.1 }},
  {{ age = "80+", female = 0.1, male = 0.1 }},
]
[[condition.lr]]
finding = "f{c}"
lr_pos = 2.0
cite = ["s"]
"#
        );
    }
    let regions = [
        "[\"lower\"]",
        "[\"upper\"]",
        "[\"neck\"]",
        "[\"upper\", \"neck\"]",
        "[\"lower\", \"upper\"]",
        "[\"neck\", \"upper\", \"lower\"]",
    ];
    let goals = ["mobility", "strength", "relaxation"];
    for e in 0..EXERCISES {
        let region = regions[e % regions.len()];
        let goal = goals[(e / 2) % goals.len()];
        let contra = if e % 6 == 5 {
            "{ findings = [\"never\"] }".to_string()
        } else {
            let mut findings = vec![format!("\"f{}\"", e % FINDINGS)];
            if e % 3 == 0 {
                findings.push(format!("\"f{}\"", (e + 2) % FINDINGS));
            }
            let conditions = if e % 4 == 1 {
                String::new()
            } else {
                format!("\"c{}\"", (e * 7) % CONDITIONS)
            };
            format!(
                "{{ findings = [{}], conditions = [{conditions}] }}",
                findings.join(", ")
            )
        };
        let dose = if e % 5 == 0 {
            "5 to 10 minutes"
        } else {
            "2 sets of 10"
        };
        let suits = format!("[\"c{}\"]", e % CONDITIONS);
        let _ = write!(
            s,
            r#"
[[exercise]]
id = "e{e}"
name = "Exercise {e}"
regions = {region}
goal = "{goal}"
steps = ["Do it."]
dose = "{dose}"
progression = "Harder."
regression = "Easier."
suits = {suits}
contraindications = {contra}
cite = ["s"]
"#
        );
    }
    s.push_str(
        r#"
[[treatment]]
id = "t_self_care"
kind = "self_care"
regions = ["neck", "upper", "lower"]
text = "Keep moving."
contraindications = { findings = ["f0"] }
cite = ["s"]

[[treatment]]
id = "t_habit"
kind = "habit"
regions = ["lower"]
text = "Lift with your legs."
cite = ["s"]

[[treatment]]
id = "t_medication"
kind = "medication"
regions = ["neck", "upper", "lower"]
text = "A class of painkiller. Follow the label or ask a pharmacist."
contraindications = { conditions = ["c1"] }
cite = ["s"]
"#,
    );
    s
}
