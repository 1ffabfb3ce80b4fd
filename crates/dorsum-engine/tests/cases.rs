//! Hand-written cases over the real knowledge base: each asserts triage level, region and the leading
//! condition, and snapshots the whole outcome (reasons, red flags, top five, self-care) on top.

use dorsum_engine::{Assessment, Evidence, Observation, assess};
use dorsum_kb::{Kb, Region, Sex, TriageLevel};
use std::fmt::Write;
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| dorsum_kb::embedded::load_embedded().expect("embedded knowledge base loads"))
}

struct Case {
    name: &'static str,
    age: u8,
    sex: Sex,
    present: &'static [&'static str],
    absent: &'static [&'static str],
    triage: TriageLevel,
    region: Region,
    leading: &'static str,
}

fn evidence(c: &Case) -> Evidence {
    let kb = kb();
    let ix = |id: &str| {
        kb.finding_ix(id)
            .unwrap_or_else(|| panic!("{}: unknown finding {id}", c.name))
    };
    Evidence {
        age: c.age,
        sex: c.sex,
        findings: c
            .present
            .iter()
            .map(|id| Observation {
                finding: ix(id),
                present: true,
            })
            .chain(c.absent.iter().map(|id| Observation {
                finding: ix(id),
                present: false,
            }))
            .collect(),
    }
}

/// A stable, readable digest of an assessment for snapshots.
fn digest(a: &Assessment) -> String {
    let kb = kb();
    let mut s = String::new();
    let _ = writeln!(s, "triage: {}", a.triage.level);
    for r in &a.triage.reasons {
        let _ = writeln!(
            s,
            "  reason {} [{}] <- {}",
            r.level,
            r.rule,
            r.citation.cite.join(",")
        );
    }
    let _ = writeln!(s, "region: {}", a.region);
    let flags: Vec<&str> = a
        .red_flags
        .iter()
        .map(|&i| kb.rules[i].id.as_str())
        .collect();
    let _ = writeln!(s, "red flags: {}", flags.join(", "));
    for rc in a.conditions.iter().take(5) {
        let c = kb.condition(rc.condition);
        let _ = writeln!(
            s,
            "  {:<32} {:.4} (prior {:.4})",
            c.id, rc.probability, rc.prior
        );
        for w in rc.contributions.iter().take(3) {
            let _ = writeln!(
                s,
                "      {}{} x{:.3}",
                if w.present { "+" } else { "-" },
                kb.finding(w.finding).id,
                w.ratio
            );
        }
    }
    match &a.self_care {
        None => {
            let _ = writeln!(s, "self-care: none");
        }
        Some(sc) => {
            let ex: Vec<&str> = sc
                .exercises
                .iter()
                .map(|&i| kb.exercises[i].id.as_str())
                .collect();
            let adv: Vec<&str> = sc
                .advice
                .iter()
                .map(|&i| kb.treatments[i].id.as_str())
                .collect();
            let _ = writeln!(s, "exercises: {}", ex.join(", "));
            let _ = writeln!(s, "advice: {}", adv.join(", "));
        }
    }
    s
}

fn check(c: &Case) {
    let a = assess(kb(), &evidence(c));
    let leading = &kb().condition(a.conditions[0].condition).id;
    let summary = digest(&a);
    assert_eq!(a.triage.level, c.triage, "{}: triage\n{summary}", c.name);
    assert_eq!(a.region, c.region, "{}: region\n{summary}", c.name);
    assert_eq!(
        leading, c.leading,
        "{}: leading condition\n{summary}",
        c.name
    );
    if c.triage > TriageLevel::Consultation {
        assert!(
            a.self_care.is_none(),
            "{}: no exercises while urgent",
            c.name
        );
    } else {
        let n = a.self_care.as_ref().map_or(0, |s| s.exercises.len());
        assert!(
            (3..=5).contains(&n),
            "{}: 3-5 exercises, got {n}\n{summary}",
            c.name
        );
    }
    insta::assert_snapshot!(c.name, summary);
}

macro_rules! cases {
    ($($name:ident: $age:expr, $sex:ident, present [$($p:literal),*], absent [$($a:literal),*] => $triage:ident, $region:ident, $leading:literal;)+) => {
        $(
            #[test]
            fn $name() {
                check(&Case {
                    name: stringify!($name),
                    age: $age,
                    sex: Sex::$sex,
                    present: &[$($p),*],
                    absent: &[$($a),*],
                    triage: TriageLevel::$triage,
                    region: Region::$region,
                    leading: $leading,
                });
            }
        )+
    };
}

cases! {
    lifting_strain_low_back: 30, Male,
        present ["loc_lower_back", "trig_lifting", "mechanical_pain", "duration_days"],
        absent ["rad_leg_below_knee", "saddle_anaesthesia", "fever"]
        => SelfCare, Lower, "lumbar_strain";
    desk_worker_between_shoulder_blades: 35, Female,
        present ["loc_between_shoulder_blades", "rf_desk_work", "trig_posture", "char_tight_muscles"],
        absent ["chest_pain", "breathlessness"]
        => SelfCare, Upper, "nonspecific_thoracic_pain";
    stiff_neck_from_posture: 40, Male,
        present ["loc_neck", "char_stiffness", "trig_posture", "duration_days"],
        absent ["arm_weakness", "fever"]
        => SelfCare, Neck, "nonspecific_neck_pain";
    sciatica_for_three_weeks: 45, Female,
        present ["loc_lower_back", "rad_leg_below_knee", "leg_numbness", "duration_1_6_weeks"],
        absent ["saddle_anaesthesia", "urinary_retention", "leg_weakness"]
        => Consultation, Lower, "lumbar_radiculopathy";
    cauda_equina: 50, Female,
        present ["loc_lower_back", "rad_both_legs", "saddle_anaesthesia", "urinary_retention"],
        absent []
        => Emergency, Lower, "cauda_equina_syndrome";
    spinal_infection_in_drug_user: 38, Male,
        present ["loc_lower_back", "fever", "rigors", "rf_ivdu", "pain_at_rest"],
        absent []
        => Emergency, Lower, "spinal_infection";
    cancer_history_night_pain_weight_loss: 68, Female,
        present ["loc_mid_back", "rf_cancer_history", "night_pain", "weight_loss", "duration_1_6_weeks"],
        absent []
        => Consultation24, Upper, "spinal_malignancy";
    fragility_fracture_on_steroids: 78, Female,
        present ["loc_mid_back", "rf_steroids", "onset_sudden", "trauma_minor"],
        absent []
        => Consultation24, Upper, "osteoporotic_vertebral_fracture";
    heart_attack_felt_between_shoulder_blades: 62, Male,
        present ["loc_between_shoulder_blades", "char_pressure", "rad_left_arm_jaw", "sweating", "nausea_vomiting"],
        absent []
        => EmergencyAmbulance, Upper, "acute_coronary_syndrome";
    aortic_dissection: 66, Male,
        present ["loc_mid_back", "onset_sudden", "char_tearing", "pain_migrating", "pain_severe", "rf_hypertension"],
        absent []
        => EmergencyAmbulance, Upper, "aortic_dissection";
    pulmonary_embolism_after_surgery: 34, Female,
        present ["loc_upper_back", "trig_deep_breath", "breathlessness", "rf_recent_surgery", "palpitations"],
        absent []
        => EmergencyAmbulance, Upper, "pulmonary_embolism";
    pneumothorax_tall_young_man: 20, Male,
        present ["loc_upper_back", "onset_sudden", "char_sharp", "trig_deep_breath", "breathlessness", "rf_tall_thin"],
        absent []
        => Emergency, Upper, "pneumothorax";
    car_crash_midline_tenderness: 35, Male,
        present ["trauma_major", "loc_lower_back", "midline_tenderness", "pain_severe"],
        absent []
        => EmergencyAmbulance, Lower, "traumatic_vertebral_fracture";
    both_regions_desk_worker: 42, Male,
        present ["loc_between_shoulder_blades", "loc_lower_back", "char_stiffness", "rf_desk_work", "trig_sitting"],
        absent ["rad_leg_below_knee", "leg_numbness"]
        => SelfCare, Both, "nonspecific_low_back_pain";
}
