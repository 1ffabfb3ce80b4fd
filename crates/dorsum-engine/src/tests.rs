//! Engine arithmetic and mechanics on a small hand-written knowledge base.

use super::*;
use dorsum_kb::{KbFile, Sex, TriageLevel, load};

const FIXTURE: &str = r#"
[meta]
version = "fixture"
emergency_number = "999"

[[source]]
id = "s"
title = "Fixture source"
publication = "Test 2026"

[[group]]
id = "onset"
question = "How did it start?"
exclusive = true

[[finding]]
id = "loc_low"
name = "Low back"
kind = "location"
region = "lower"
question = "Low back?"
phrases = ["low back"]

[[finding]]
id = "loc_neck"
name = "Neck"
kind = "location"
region = "neck"
question = "Neck?"
phrases = ["neck"]

[[finding]]
id = "loc_upper"
name = "Upper back"
kind = "location"
region = "upper"
question = "Upper back?"
phrases = ["upper back"]

[[finding]]
id = "fever"
name = "Fever"
kind = "symptom"
question = "Fever?"
phrases = ["fever"]

[[finding]]
id = "onset_sudden"
name = "Sudden"
kind = "onset"
group = "onset"
question = "Sudden?"
phrases = ["suddenly"]

[[finding]]
id = "onset_gradual"
name = "Gradual"
kind = "onset"
group = "onset"
question = "Gradual?"
phrases = ["gradually"]

[[finding]]
id = "lifting"
name = "Lifting"
kind = "trigger"
question = "Lifting?"
phrases = ["lifting"]

[[condition]]
id = "infection"
name = "Infection"
clinical_name = "Discitis"
icd10 = ["M46.4"]
category = "serious_spinal"
region = "lower"
urgency = "consultation_24"
threshold = 0.3
threshold_cite = { cite = ["s"] }
[condition.prior]
cite = ["s"]
bands = [
  { age = "0-17", female = 0.1, male = 0.1 },
  { age = "18-39", female = 0.1, male = 0.1 },
  { age = "40-59", female = 0.1, male = 0.2 },
  { age = "60-79", female = 0.1, male = 0.1 },
  { age = "80+", female = 0.1, male = 0.1 },
]
[[condition.lr]]
finding = "fever"
lr_pos = 5.0
lr_neg = 0.5
cite = ["s"]
[[condition.lr]]
finding = "onset_gradual"
lr_pos = 2.0
lr_neg = 1.0
cite = ["s"]

[[condition]]
id = "strain"
name = "Strain"
clinical_name = "Lumbar strain"
icd10 = ["S39.0"]
category = "musculoskeletal"
region = "lower"
urgency = "self_care"
threshold = 0.5
threshold_cite = { cite = ["s"] }
[condition.prior]
cite = ["s"]
bands = [
  { age = "0-17", female = 0.5, male = 0.5 },
  { age = "18-39", female = 0.5, male = 0.5 },
  { age = "40-59", female = 0.5, male = 0.5 },
  { age = "60-79", female = 0.5, male = 0.5 },
  { age = "80+", female = 0.5, male = 0.5 },
]
[[condition.lr]]
finding = "lifting"
lr_pos = 4.0
cite = ["s"]
[[condition.lr]]
finding = "onset_sudden"
lr_pos = 3.0
lr_neg = 0.5
cite = ["s"]

[[rule]]
id = "sudden_fever"
kind = "red_flag"
level = "emergency"
all = ["fever", "onset_sudden"]
min_age = 50
text = "Fever with sudden pain."
cite = ["s"]

[[rule]]
id = "sudden_not_lifting"
kind = "red_flag"
level = "consultation"
all = ["onset_sudden"]
unless = ["lifting"]
text = "Sudden pain without a strain."
cite = ["s"]

[[rule]]
id = "fever"
kind = "red_flag"
level = "consultation_24"
any = ["fever"]
text = "Fever with back pain."
cite = ["s"]

[[exercise]]
id = "bridge"
name = "Bridge"
regions = ["lower"]
goal = "strength"
steps = ["Lift hips."]
dose = "10"
contraindications = { findings = ["fever"] }
cite = ["s"]

[[exercise]]
id = "chin_tuck"
name = "Chin tuck"
regions = ["neck"]
goal = "mobility"
steps = ["Tuck chin."]
dose = "10"
contraindications = { conditions = ["infection"] }
cite = ["s"]

[[treatment]]
id = "heat"
kind = "self_care"
regions = ["lower", "neck"]
text = "Heat helps."
cite = ["s"]
"#;

pub(crate) fn kb() -> Kb {
    load(&[KbFile {
        path: "fixture.toml",
        text: FIXTURE,
    }])
    .expect("fixture loads")
}

pub(crate) fn ev(kb: &Kb, age: u8, sex: Sex, findings: &[(&str, bool)]) -> Evidence {
    Evidence {
        age,
        sex,
        findings: findings
            .iter()
            .map(|&(id, present)| Observation {
                finding: kb.finding_ix(id).unwrap(),
                present,
            })
            .collect(),
    }
}

fn prob(a: &Assessment, kb: &Kb, id: &str) -> f64 {
    a.conditions
        .iter()
        .find(|rc| kb.condition(rc.condition).id == id)
        .unwrap()
        .probability
}

const EPS: f64 = 1e-12;

#[test]
fn posterior_matches_hand_computation() {
    // prior 0.1 -> odds 1/9; x5 -> 5/9 -> p = 5/14
    assert!((differential::posterior(0.1, [5.0]) - 5.0 / 14.0).abs() < EPS);
    // x0.5 -> 1/18 -> p = 1/19
    assert!((differential::posterior(0.1, [0.5]) - 1.0 / 19.0).abs() < EPS);
    // no evidence keeps the prior
    assert!((differential::posterior(0.25, []) - 0.25).abs() < EPS);
    // 0.5 prior x4 x3 -> odds 12 -> 12/13
    assert!((differential::posterior(0.5, [4.0, 3.0]) - 12.0 / 13.0).abs() < EPS);
}

#[test]
fn present_absent_and_unknown_findings_apply_the_right_ratio() {
    let kb = kb();
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("fever", true)]));
    assert!((prob(&a, &kb, "infection") - 5.0 / 14.0).abs() < EPS);
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("fever", false)]));
    assert!((prob(&a, &kb, "infection") - 1.0 / 19.0).abs() < EPS);
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[]));
    assert!((prob(&a, &kb, "infection") - 0.1).abs() < EPS);
    // the prior depends on age band and sex: 40-59 male is 0.2; x5 -> odds 1.25 -> 5/9
    let a = assess(&kb, &ev(&kb, 45, Sex::Male, &[("fever", true)]));
    assert!((prob(&a, &kb, "infection") - 5.0 / 9.0).abs() < EPS);
}

#[test]
fn a_present_report_beats_an_absent_one() {
    let kb = kb();
    let a = assess(
        &kb,
        &ev(&kb, 30, Sex::Female, &[("fever", false), ("fever", true)]),
    );
    assert!((prob(&a, &kb, "infection") - 5.0 / 14.0).abs() < EPS);
}

#[test]
fn exclusive_group_implies_absence_of_siblings() {
    let kb = kb();
    // onset_sudden present: onset_gradual implied absent (lr_neg 1 for infection: no change);
    // strain: sudden x3 -> 0.5 prior odds 1 -> 3 -> 0.75
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("onset_sudden", true)]));
    assert!((prob(&a, &kb, "strain") - 0.75).abs() < EPS);
    // onset_gradual present: onset_sudden implied absent -> strain x0.5 -> 1/3, infection x2 -> 2/11
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("onset_gradual", true)]));
    assert!((prob(&a, &kb, "strain") - 1.0 / 3.0).abs() < EPS);
    assert!((prob(&a, &kb, "infection") - 2.0 / 11.0).abs() < EPS);
    let strain = a
        .conditions
        .iter()
        .find(|rc| kb.condition(rc.condition).id == "strain")
        .unwrap();
    assert!(strain.contributions[0].implied);
    assert!(!strain.contributions[0].present);
}

#[test]
fn triage_is_the_most_urgent_reason_with_age_limits() {
    let kb = kb();
    let young = assess(
        &kb,
        &ev(
            &kb,
            30,
            Sex::Male,
            &[("fever", true), ("onset_sudden", true)],
        ),
    );
    assert_eq!(young.triage.level, TriageLevel::Consultation24);
    assert_eq!(young.red_flags.len(), 2);
    let old = assess(
        &kb,
        &ev(
            &kb,
            50,
            Sex::Male,
            &[("fever", true), ("onset_sudden", true)],
        ),
    );
    assert_eq!(old.triage.level, TriageLevel::Emergency);
    assert_eq!(old.triage.reasons[0].rule, "sudden_fever");
    assert_eq!(old.red_flags.len(), 3);
}

#[test]
fn condition_past_its_threshold_raises_triage() {
    let kb = kb();
    // gradual x2 at 45 male: 0.2 -> odds 0.25 x2 = 0.5 -> 1/3 >= 0.3 -> consultation_24
    let a = assess(&kb, &ev(&kb, 45, Sex::Male, &[("onset_gradual", true)]));
    assert_eq!(a.triage.level, TriageLevel::Consultation24);
    assert_eq!(a.triage.reasons[0].rule, "condition:infection");
    assert!(a.red_flags.is_empty());
    // same at 30: 0.1 -> 2/11 < 0.3 -> self care with the default reason
    let a = assess(&kb, &ev(&kb, 30, Sex::Male, &[("onset_gradual", true)]));
    assert_eq!(a.triage.level, TriageLevel::SelfCare);
    assert_eq!(a.triage.reasons[0].rule, "no_warning_signs");
}

#[test]
fn region_from_locations_and_fallback() {
    let kb = kb();
    let r = |f: &[(&str, bool)]| assess(&kb, &ev(&kb, 30, Sex::Female, f)).region;
    assert_eq!(r(&[("loc_low", true)]), dorsum_kb::Region::Lower);
    assert_eq!(
        r(&[("loc_neck", true), ("loc_upper", true)]),
        dorsum_kb::Region::Neck
    );
    assert_eq!(
        r(&[("loc_upper", true), ("loc_neck", true)]),
        dorsum_kb::Region::Upper
    );
    assert_eq!(
        r(&[("loc_upper", true), ("loc_low", true)]),
        dorsum_kb::Region::Both
    );
    assert_eq!(
        r(&[("loc_upper", false), ("loc_low", true)]),
        dorsum_kb::Region::Lower
    );
    // nothing located: the leading condition's usual region
    assert_eq!(r(&[]), dorsum_kb::Region::Lower);
}

#[test]
fn self_care_respects_level_region_and_contraindications() {
    let kb = kb();
    let a = assess(
        &kb,
        &ev(
            &kb,
            30,
            Sex::Female,
            &[("loc_low", true), ("lifting", true)],
        ),
    );
    let sc = a.self_care.expect("self care");
    assert_eq!(
        sc.exercises,
        [kb.exercises.iter().position(|e| e.id == "bridge").unwrap()]
    );
    assert_eq!(sc.advice, [0]);
    // neck: chin tuck is contraindicated by infection being among the top three conditions
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("loc_neck", true)]));
    assert!(a.self_care.unwrap().exercises.is_empty());
    // fever: consultation_24, no self-care at all
    let a = assess(
        &kb,
        &ev(&kb, 30, Sex::Female, &[("loc_low", true), ("fever", true)]),
    );
    assert!(a.self_care.is_none());
}

#[test]
fn unless_switches_a_rule_off() {
    let kb = kb();
    let a = assess(&kb, &ev(&kb, 30, Sex::Female, &[("onset_sudden", true)]));
    assert_eq!(a.triage.level, TriageLevel::Consultation);
    let a = assess(
        &kb,
        &ev(
            &kb,
            30,
            Sex::Female,
            &[("onset_sudden", true), ("lifting", true)],
        ),
    );
    assert_eq!(a.triage.level, TriageLevel::SelfCare);
    let a = assess(
        &kb,
        &ev(
            &kb,
            30,
            Sex::Female,
            &[("onset_sudden", true), ("lifting", false)],
        ),
    );
    assert_eq!(a.triage.level, TriageLevel::Consultation);
}

#[test]
fn a_warning_sign_lowers_the_ranking_but_never_the_safety_probability() {
    // Add a likelihood where sudden onset (a warning sign) argues against infection.
    let text = FIXTURE.replace(
        "[[condition.lr]]\nfinding = \"onset_gradual\"\nlr_pos = 2.0\nlr_neg = 1.0\ncite = [\"s\"]",
        "[[condition.lr]]\nfinding = \"onset_gradual\"\nlr_pos = 2.0\nlr_neg = 1.0\ncite = [\"s\"]\n[[condition.lr]]\nfinding = \"onset_sudden\"\nlr_pos = 0.5\ncite = [\"s\"]",
    );
    let kb = load(&[KbFile {
        path: "f.toml",
        text: &text,
    }])
    .unwrap();
    // 45 male: prior 0.2 -> odds 1/4; gradual x2 -> 1/2 -> 1/3 (>= 0.3 threshold)
    let before = assess(&kb, &ev(&kb, 45, Sex::Male, &[("onset_gradual", true)]));
    assert_eq!(before.triage.level, TriageLevel::Consultation24);
    // also sudden (reported explicitly): ranking x0.5 -> odds 1/4 -> 0.2; safety keeps x1 -> 1/3
    let after = assess(
        &kb,
        &ev(
            &kb,
            45,
            Sex::Male,
            &[("onset_gradual", true), ("onset_sudden", true)],
        ),
    );
    let rc = after
        .conditions
        .iter()
        .find(|rc| kb.condition(rc.condition).id == "infection")
        .unwrap();
    assert!((rc.probability - 0.2).abs() < EPS);
    assert!((rc.safety_probability - 1.0 / 3.0).abs() < EPS);
    assert!(after.triage.level >= before.triage.level);
    assert!(
        after
            .triage
            .reasons
            .iter()
            .any(|r| r.rule == "condition:infection")
    );
}
