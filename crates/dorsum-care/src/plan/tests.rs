//! Plan tests: phases, exercise choice by region and cause, advice and habits, no plan when urgent,
//! contraindications (a property over a synthetic knowledge base), with snapshots on top.

use super::*;
use crate::fixture::{CONDITIONS, EXERCISES, FINDINGS, real_kb, synthetic_kb};
use dorsum_engine::{Evidence, Observation, assess};
use dorsum_kb::{ConditionIx, FindingIx, Sex};
use jiff::civil::date;
use proptest::prelude::*;
use std::fmt::Write;

const START: Date = date(2026, 11, 2);

fn evidence(age: u8, sex: Sex, present: &[&str]) -> Evidence {
    let kb = real_kb();
    Evidence {
        age,
        sex,
        findings: present
            .iter()
            .map(|id| Observation {
                finding: kb.finding_ix(id).unwrap_or_else(|| panic!("finding {id}")),
                present: true,
            })
            .collect(),
    }
}

fn outcome_for(age: u8, sex: Sex, present: &[&str], weeks: u8) -> (CareInput, PlanOutcome) {
    let kb = real_kb();
    let ev = evidence(age, sex, present);
    let a = assess(kb, &ev);
    let input = CareInput::from_assessment(kb, &a, &ev);
    let out = plan(
        kb,
        &input,
        &PlanOptions {
            weeks,
            start: START,
        },
    )
    .unwrap();
    (input, out)
}

fn plan_for(age: u8, sex: Sex, present: &[&str]) -> (CareInput, Plan) {
    match outcome_for(age, sex, present, DEFAULT_WEEKS) {
        (input, PlanOutcome::Plan(p)) => (input, p),
        (_, PlanOutcome::NoPlan(n)) => panic!("expected a plan, got {n:?}"),
    }
}

fn exercise(id: &str) -> &'static Exercise {
    real_kb().exercises.iter().find(|e| e.id == id).unwrap()
}

fn planned_ids(p: &Plan) -> Vec<&str> {
    let mut ids: Vec<&str> = p
        .phases
        .iter()
        .flat_map(|ph| ph.exercises.iter().map(|e| e.id.as_str()))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A readable summary for snapshots (ids and numbers; texts live in the knowledge base).
fn digest(p: &Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "level {} region {} start {} weeks {}",
        p.level, p.region, p.start, p.weeks
    );
    for ph in &p.phases {
        let _ = writeln!(
            s,
            "{:<10} weeks {}-{}  {} min x {}/week",
            ph.kind.as_str(),
            ph.first_week,
            ph.last_week,
            ph.session_minutes,
            ph.sessions_per_week
        );
        for e in &ph.exercises {
            let _ = writeln!(
                s,
                "    {:<30} {:<10} {:>2} min  {:?}",
                e.id,
                e.goal.as_str(),
                e.minutes,
                e.variant
            );
        }
    }
    let _ = writeln!(s, "advice: {}", p.advice.join(", "));
    let _ = writeln!(s, "habits: {}", p.habits.join(", "));
    let _ = writeln!(s, "medication: {}", p.medication.join(", "));
    s
}

/// Checks every plan must pass.
fn check_invariants(kb: &Kb, input: &CareInput, p: &Plan) {
    // Phases in order, contiguous, covering every week.
    let kinds: Vec<PhaseKind> = p.phases.iter().map(|ph| ph.kind).collect();
    assert_eq!(kinds, PhaseKind::ALL);
    assert_eq!(p.phases[0].first_week, 1);
    assert_eq!(p.phases.last().unwrap().last_week, p.weeks);
    for w in p.phases.windows(2) {
        assert_eq!(w[1].first_week, w[0].last_week + 1);
    }
    let relevant = oracle_relevant(&input.ranked);
    for ph in &p.phases {
        assert!(ph.first_week <= ph.last_week);
        assert_eq!(ph.sessions_per_week, 7);
        assert!(ph.session_minutes <= MAX_SESSION_MINUTES, "{ph:?}");
        assert_eq!(
            ph.session_minutes,
            ph.exercises.iter().map(|e| e.minutes).sum::<u32>()
        );
        let mut seen = Vec::new();
        for pe in &ph.exercises {
            assert!(!seen.contains(&pe.id), "{} twice in {:?}", pe.id, ph.kind);
            seen.push(pe.id.clone());
            let e = kb.exercises.iter().find(|e| e.id == pe.id).unwrap();
            assert!(
                oracle_fits(&e.regions, input.region),
                "{} does not fit {}",
                e.id,
                input.region
            );
            assert!(
                !e.contraindications
                    .findings
                    .iter()
                    .any(|f| input.present.contains(f)),
                "{} contraindicated by a present finding",
                e.id
            );
            assert!(
                !e.contraindications
                    .conditions
                    .iter()
                    .any(|c| relevant.contains(c)),
                "{} contraindicated by a likely condition",
                e.id
            );
            assert_eq!(pe.goal, e.goal);
            assert_eq!(pe.minutes, exercise_minutes(e));
            match pe.variant {
                Variant::Easier => assert!(e.regression.is_some()),
                Variant::Harder => assert!(e.progression.is_some()),
                Variant::Standard => {}
            }
        }
    }
    for (ids, kind) in [
        (&p.advice, TreatmentKind::SelfCare),
        (&p.habits, TreatmentKind::Habit),
        (&p.medication, TreatmentKind::Medication),
    ] {
        for id in ids {
            let t = kb.treatments.iter().find(|t| &t.id == id).unwrap();
            assert_eq!(t.kind, kind, "{id}");
            assert!(oracle_fits(&t.regions, input.region), "{id}");
            assert!(
                !t.contraindications
                    .findings
                    .iter()
                    .any(|f| input.present.contains(f)),
                "{id}"
            );
            assert!(
                !t.contraindications
                    .conditions
                    .iter()
                    .any(|c| relevant.contains(c)),
                "{id}"
            );
        }
    }
}

/// Independent statement of the rule: the top three conditions and any at 10% or more.
fn oracle_relevant(ranked: &[(ConditionIx, f64)]) -> Vec<ConditionIx> {
    ranked
        .iter()
        .enumerate()
        .filter(|&(i, &(_, p))| i < 3 || p >= 0.10)
        .map(|(_, &(c, _))| c)
        .collect()
}

/// Independent statement of region fit: the region itself, or upper and lower entries for both.
fn oracle_fits(regions: &[Region], region: Region) -> bool {
    regions.contains(&region)
        || regions.contains(&Region::Both)
        || (region == Region::Both
            && (regions.contains(&Region::Upper) || regions.contains(&Region::Lower)))
}

fn regions_of(id: &str) -> &'static [Region] {
    &exercise(id).regions
}

#[test]
fn lower_back_strain_gets_four_phases_of_lower_back_work() {
    let (input, p) = plan_for(
        35,
        Sex::Male,
        &["loc_lower_back", "trig_lifting", "strain_event"],
    );
    check_invariants(real_kb(), &input, &p);
    assert_eq!(p.region, Region::Lower);
    let weeks: Vec<(PhaseKind, u8, u8)> = p
        .phases
        .iter()
        .map(|ph| (ph.kind, ph.first_week, ph.last_week))
        .collect();
    assert_eq!(
        weeks,
        [
            (PhaseKind::Settle, 1, 1),
            (PhaseKind::Restore, 2, 3),
            (PhaseKind::Strengthen, 4, 5),
            (PhaseKind::Keep, 6, 6),
        ]
    );
    for ph in &p.phases {
        assert!(
            (MIN_SESSION_MINUTES..=MAX_SESSION_MINUTES).contains(&ph.session_minutes),
            "{:?}: {} min",
            ph.kind,
            ph.session_minutes
        );
        for e in &ph.exercises {
            assert!(regions_of(&e.id).contains(&Region::Lower), "{}", e.id);
        }
    }
    let goals = |k: PhaseKind| -> Vec<Goal> {
        p.phases
            .iter()
            .find(|ph| ph.kind == k)
            .unwrap()
            .exercises
            .iter()
            .map(|e| e.goal)
            .collect()
    };
    // Settle: relaxation and gentle movement, easier versions; strengthen: mostly strength.
    assert!(goals(PhaseKind::Settle).contains(&Goal::Relaxation));
    assert!(!goals(PhaseKind::Settle).contains(&Goal::Strength));
    assert!(
        p.phases[0]
            .exercises
            .iter()
            .all(|e| e.variant == Variant::Easier)
    );
    let strength = goals(PhaseKind::Strengthen)
        .iter()
        .filter(|g| **g == Goal::Strength)
        .count();
    assert!(strength >= 3, "{strength}");
    assert!(
        p.phases[3]
            .exercises
            .iter()
            .any(|e| e.variant == Variant::Harder)
    );
    // The seed article's lower-back list.
    let ids = planned_ids(&p);
    for id in ["childs_pose", "glute_bridge", "pelvic_tilt"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // Advice, heat or ice, habits, medication classes.
    for id in ["stay_active", "heat_or_ice", "reassess_after_a_week"] {
        assert!(p.advice.iter().any(|a| a == id), "{id}");
    }
    for id in [
        "lift_with_legs",
        "desk_setup_and_screen_breaks",
        "sleep_posture",
        "stop_smoking",
        "active_routine",
    ] {
        assert!(p.habits.iter().any(|a| a == id), "{id}");
    }
    assert!(!p.medication.is_empty() && p.medication.len() <= MAX_MEDICATION);
    for id in &p.medication {
        let t = real_kb().treatments.iter().find(|t| &t.id == id).unwrap();
        assert!(
            t.text
                .to_lowercase()
                .contains("follow the label or ask a pharmacist"),
            "{id}"
        );
    }
    insta::assert_snapshot!(digest(&p));
}

#[test]
fn desk_worker_with_upper_back_pain_gets_the_upper_back_list_and_habits() {
    let (input, p) = plan_for(
        35,
        Sex::Female,
        &[
            "loc_between_shoulder_blades",
            "rf_desk_work",
            "trig_posture",
        ],
    );
    check_invariants(real_kb(), &input, &p);
    assert_eq!(p.region, Region::Upper);
    for ph in &p.phases {
        assert!((MIN_SESSION_MINUTES..=MAX_SESSION_MINUTES).contains(&ph.session_minutes));
        for e in &ph.exercises {
            assert!(regions_of(&e.id).contains(&Region::Upper), "{}", e.id);
        }
    }
    let ids = planned_ids(&p);
    for id in [
        "wall_angels",
        "thoracic_extension",
        "foam_roll_upper_back",
        "shoulder_blade_squeeze",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    for id in [
        "desk_setup_and_screen_breaks",
        "backpack_both_shoulders",
        "sleep_posture",
        "lift_with_legs",
    ] {
        assert!(p.habits.iter().any(|a| a == id), "{id}");
    }
    assert!(p.advice.iter().any(|a| a == "heat_or_ice"));
    insta::assert_snapshot!(digest(&p));
}

#[test]
fn neck_pain_gets_neck_exercises_only() {
    let (input, p) = plan_for(
        30,
        Sex::Female,
        &["loc_neck", "trig_posture", "rf_desk_work"],
    );
    check_invariants(real_kb(), &input, &p);
    assert_eq!(p.region, Region::Neck);
    let ids = planned_ids(&p);
    for id in &ids {
        assert!(regions_of(id).contains(&Region::Neck), "{id}");
    }
    assert!(ids.contains(&"chin_tuck"));
    // Lifting is about the back, not the neck; the bag and the screen are.
    assert!(!p.habits.iter().any(|a| a == "lift_with_legs"));
    assert!(p.habits.iter().any(|a| a == "backpack_both_shoulders"));
    insta::assert_snapshot!(digest(&p));
}

#[test]
fn pain_in_both_halves_gets_upper_and_lower_work() {
    let (input, p) = plan_for(
        35,
        Sex::Female,
        &["loc_upper_back", "loc_lower_back", "rf_desk_work"],
    );
    check_invariants(real_kb(), &input, &p);
    assert_eq!(p.region, Region::Both);
    let ids = planned_ids(&p);
    let only = |r: Region| {
        ids.iter()
            .filter(|id| {
                let rs = regions_of(id);
                rs.contains(&r) && rs.len() == 1
            })
            .count()
    };
    assert!(only(Region::Lower) >= 1, "{ids:?}");
    assert!(
        ids.iter().any(|id| {
            let rs = regions_of(id);
            rs.contains(&Region::Upper) && !rs.contains(&Region::Lower)
        }),
        "{ids:?}"
    );
    insta::assert_snapshot!(digest(&p));
}

#[test]
fn the_likely_cause_leads_the_choice() {
    let (_, sciatica) = plan_for(
        45,
        Sex::Male,
        &["loc_lower_back", "rad_leg_below_knee", "duration_1_6_weeks"],
    );
    assert_eq!(sciatica.level, TriageLevel::Consultation);
    let first = &sciatica.phases[0].exercises;
    assert!(
        first.iter().any(|e| e.id == "sciatic_nerve_glide"),
        "{first:?}"
    );
    let (_, strain) = plan_for(
        35,
        Sex::Male,
        &["loc_lower_back", "trig_lifting", "strain_event"],
    );
    assert!(!planned_ids(&strain).contains(&"sciatic_nerve_glide"));
}

#[test]
fn thin_bones_rule_out_flexion_and_foam_rolling() {
    let (input, p) = plan_for(72, Sex::Female, &["loc_lower_back", "rf_osteoporosis"]);
    check_invariants(real_kb(), &input, &p);
    let ids = planned_ids(&p);
    for id in [
        "childs_pose",
        "knee_to_chest",
        "figure_four_stretch",
        "forearm_plank",
    ] {
        assert!(
            !ids.contains(&id),
            "{id} planned despite osteoporosis: {ids:?}"
        );
    }
    assert!(!p.advice.iter().any(|a| a == "yoga"));
    assert!(ids.len() >= 5, "{ids:?}");
}

#[test]
fn no_plan_when_urgent_only_what_to_do_now() {
    let kb = real_kb();
    let (input, out) = outcome_for(40, Sex::Male, &["loc_lower_back", "saddle_anaesthesia"], 6);
    assert_eq!(input.level, TriageLevel::Emergency);
    match out {
        PlanOutcome::NoPlan(n) => {
            assert_eq!(n.level, TriageLevel::Emergency);
            assert!(n.do_now.contains("emergency department"));
            assert!(n.do_now.contains(&kb.meta.emergency_number));
        }
        PlanOutcome::Plan(p) => panic!("plan for an emergency: {p:?}"),
    }
    for (level, words) in [
        (TriageLevel::Consultation24, "24 hours"),
        (TriageLevel::EmergencyAmbulance, "ambulance"),
    ] {
        let input = CareInput::from_ids(kb, level, Region::Lower, &[], &[]).unwrap();
        match plan(kb, &input, &PlanOptions::starting(START)).unwrap() {
            PlanOutcome::NoPlan(n) => assert!(n.do_now.contains(words), "{}", n.do_now),
            PlanOutcome::Plan(_) => panic!("plan at {level}"),
        }
    }
    // Consultation still gets a plan, beside the appointment.
    let input =
        CareInput::from_ids(kb, TriageLevel::Consultation, Region::Lower, &[], &[]).unwrap();
    assert!(matches!(
        plan(kb, &input, &PlanOptions::starting(START)).unwrap(),
        PlanOutcome::Plan(p) if p.level == TriageLevel::Consultation
    ));
}

#[test]
fn plan_length_is_configurable_and_bounded() {
    assert_eq!(
        phase_weeks(4).map(|(_, a, b)| (a, b)),
        [(1, 1), (2, 2), (3, 3), (4, 4)]
    );
    assert_eq!(
        phase_weeks(6).map(|(_, a, b)| (a, b)),
        [(1, 1), (2, 3), (4, 5), (6, 6)]
    );
    assert_eq!(
        phase_weeks(8).map(|(_, a, b)| (a, b)),
        [(1, 1), (2, 4), (5, 7), (8, 8)]
    );
    assert_eq!(
        phase_weeks(12).map(|(_, a, b)| (a, b)),
        [(1, 2), (3, 6), (7, 10), (11, 12)]
    );
    for weeks in MIN_WEEKS..=MAX_WEEKS {
        let w = phase_weeks(weeks);
        assert_eq!(w[0].1, 1);
        assert_eq!(w[3].2, weeks);
        for (i, &(kind, a, b)) in w.iter().enumerate() {
            assert_eq!(kind, PhaseKind::ALL[i]);
            assert!(a <= b, "{weeks}: {w:?}");
            if i > 0 {
                assert_eq!(a, w[i - 1].2 + 1);
            }
        }
    }
    let kb = real_kb();
    let input = CareInput::from_ids(kb, TriageLevel::SelfCare, Region::Lower, &[], &[]).unwrap();
    for weeks in [0, 3, 27] {
        let err = plan(
            kb,
            &input,
            &PlanOptions {
                weeks,
                start: START,
            },
        )
        .unwrap_err();
        assert_eq!(err, Error::Weeks { weeks });
        assert!(err.to_string().contains("4 to 26 weeks"));
    }
    match plan(
        kb,
        &input,
        &PlanOptions {
            weeks: 12,
            start: START,
        },
    )
    .unwrap()
    {
        PlanOutcome::Plan(p) => {
            check_invariants(kb, &input, &p);
            assert_eq!(p.weeks, 12);
            assert_eq!(p.last_day(), date(2027, 1, 24));
        }
        PlanOutcome::NoPlan(_) => panic!(),
    }
}

#[test]
fn exercise_minutes_read_the_dose() {
    assert_eq!(exercise_minutes(exercise("walking_programme")), 5);
    assert_eq!(exercise_minutes(exercise("diaphragmatic_breathing")), 5);
    assert_eq!(exercise_minutes(exercise("foam_roll_upper_back")), 1);
    assert_eq!(
        exercise_minutes(exercise("glute_bridge")),
        DEFAULT_EXERCISE_MINUTES
    );
    let mut e = exercise("glute_bridge").clone();
    e.dose = "45 minutes of walking".into();
    assert_eq!(exercise_minutes(&e), MAX_SESSION_MINUTES / 2);
    e.dose = "a few minutes".into();
    assert_eq!(exercise_minutes(&e), DEFAULT_EXERCISE_MINUTES);
}

#[test]
fn weeks_dates_and_moving_to_the_next_phase() {
    let (_, mut p) = plan_for(35, Sex::Male, &["loc_lower_back", "trig_lifting"]);
    assert_eq!(p.week_start(1), START);
    assert_eq!(p.week_start(2), date(2026, 11, 9));
    assert_eq!(p.last_day(), date(2026, 12, 13));
    assert_eq!(p.week_of(date(2026, 11, 1)), None);
    assert_eq!(p.week_of(START), Some(1));
    assert_eq!(p.week_of(date(2026, 11, 8)), Some(1));
    assert_eq!(p.week_of(date(2026, 11, 9)), Some(2));
    assert_eq!(p.week_of(date(2026, 12, 13)), Some(6));
    assert_eq!(p.week_of(date(2026, 12, 14)), None);
    assert_eq!(
        p.phase_on(date(2026, 11, 16)).unwrap().kind,
        PhaseKind::Restore
    );
    assert_eq!(p.phase_start(date(2026, 11, 20)), Some(date(2026, 11, 9)));

    // Better early in week 3 (restore is weeks 2-3): strengthen starts this week, keep runs to the end.
    assert_eq!(
        p.move_to_next_phase(date(2026, 11, 17)),
        Some(PhaseKind::Strengthen)
    );
    let weeks: Vec<(PhaseKind, u8, u8)> = p
        .phases
        .iter()
        .map(|ph| (ph.kind, ph.first_week, ph.last_week))
        .collect();
    assert_eq!(
        weeks,
        [
            (PhaseKind::Settle, 1, 1),
            (PhaseKind::Restore, 2, 2),
            (PhaseKind::Strengthen, 3, 4),
            (PhaseKind::Keep, 5, 6),
        ]
    );
    // Moving on in the first week of a phase skips it.
    assert_eq!(
        p.move_to_next_phase(date(2026, 11, 16)),
        Some(PhaseKind::Keep)
    );
    let kinds: Vec<PhaseKind> = p.phases.iter().map(|ph| ph.kind).collect();
    assert_eq!(
        kinds,
        [PhaseKind::Settle, PhaseKind::Restore, PhaseKind::Keep]
    );
    assert_eq!(p.phases[2].first_week, 3);
    assert_eq!(p.phases[2].last_week, 6);
    // Nothing after the last phase, nor outside the plan.
    assert_eq!(p.move_to_next_phase(date(2026, 12, 1)), None);
    assert_eq!(p.move_to_next_phase(date(2027, 1, 1)), None);
}

#[test]
fn plan_serialises_to_ids_and_back() {
    let (_, p) = plan_for(35, Sex::Male, &["loc_lower_back", "trig_lifting"]);
    let out = PlanOutcome::Plan(p);
    let v = serde_json::to_value(&out).unwrap();
    assert_eq!(v["outcome"], "plan");
    assert_eq!(v["level"], "self_care");
    assert_eq!(v["region"], "lower");
    assert_eq!(v["start"], "2026-11-02");
    assert_eq!(v["weeks"], 6);
    assert_eq!(v["phases"][0]["kind"], "settle");
    assert_eq!(v["phases"][0]["exercises"][0]["variant"], "easier");
    assert!(v["phases"][0]["exercises"][0]["goal"].is_string());
    assert!(
        v["advice"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "heat_or_ice")
    );
    let back: PlanOutcome = serde_json::from_value(v).unwrap();
    assert_eq!(back, out);

    let kb = real_kb();
    let input = CareInput::from_ids(kb, TriageLevel::Emergency, Region::Lower, &[], &[]).unwrap();
    let no = plan(kb, &input, &PlanOptions::starting(START)).unwrap();
    let v = serde_json::to_value(&no).unwrap();
    assert_eq!(v["outcome"], "no_plan");
    assert_eq!(v["level"], "emergency");
    assert_eq!(serde_json::from_value::<PlanOutcome>(v).unwrap(), no);
}

#[test]
fn a_saved_result_gives_the_same_plan_as_the_assessment() {
    let kb = real_kb();
    let ev = evidence(72, Sex::Female, &["loc_lower_back", "rf_osteoporosis"]);
    let a = assess(kb, &ev);
    let from_assessment = CareInput::from_assessment(kb, &a, &ev);
    let conditions: Vec<(&str, f64)> = a
        .conditions
        .iter()
        .map(|rc| (kb.condition(rc.condition).id.as_str(), rc.probability))
        .collect();
    let present: Vec<&str> = from_assessment
        .present
        .iter()
        .map(|&f| kb.finding(f).id.as_str())
        .collect();
    let from_ids =
        CareInput::from_ids(kb, a.triage.level, a.region, &conditions, &present).unwrap();
    assert_eq!(from_ids, from_assessment);
    let options = PlanOptions::starting(START);
    assert_eq!(
        plan(kb, &from_ids, &options).unwrap(),
        plan(kb, &from_assessment, &options).unwrap()
    );
    assert_eq!(
        CareInput::from_ids(
            kb,
            TriageLevel::SelfCare,
            Region::Lower,
            &[("nope", 0.5)],
            &[]
        ),
        Err(Error::UnknownCondition("nope".into()))
    );
    assert_eq!(
        CareInput::from_ids(kb, TriageLevel::SelfCare, Region::Lower, &[], &["nope"]),
        Err(Error::UnknownFinding("nope".into()))
    );
}

#[test]
fn the_exercise_library_is_complete() {
    let kb = real_kb();
    assert!(kb.exercises.len() >= 25, "{} exercises", kb.exercises.len());
    for e in &kb.exercises {
        assert!(e.progression.is_some(), "{} has no progression", e.id);
        assert!(e.regression.is_some(), "{} has no regression", e.id);
        assert!(!e.steps.is_empty() && !e.dose.is_empty(), "{}", e.id);
        assert!(
            !e.contraindications.findings.is_empty() || !e.contraindications.conditions.is_empty(),
            "{}",
            e.id
        );
    }
    // Every region has something for every goal.
    for region in [Region::Neck, Region::Upper, Region::Lower] {
        for goal in [Goal::Mobility, Goal::Strength, Goal::Relaxation] {
            assert!(
                kb.exercises
                    .iter()
                    .any(|e| e.goal == goal && e.regions.contains(&region)),
                "no {goal} exercise for {region}"
            );
        }
    }
    // The articles' list and the physiotherapy staples.
    for id in [
        "wall_angels",
        "thoracic_extension",
        "foam_roll_upper_back",
        "shoulder_blade_squeeze",
        "forearm_plank",
        "childs_pose",
        "glute_bridge",
        "pelvic_tilt",
        "cat_cow",
        "doorway_chest_stretch",
        "sphinx_backbend",
        "side_plank",
        "prone_press_up",
        "hamstring_stretch",
        "figure_four_stretch",
        "clamshell",
        "prone_y_t_raise",
        "seated_neck_rotation",
    ] {
        assert!(kb.exercises.iter().any(|e| e.id == id), "{id} missing");
    }
    // Loaded or deep flexion is held back with a suspected osteoporotic fracture.
    let fracture = kb.condition_ix("osteoporotic_vertebral_fracture").unwrap();
    for id in [
        "childs_pose",
        "knee_to_chest",
        "forearm_plank",
        "side_plank",
        "figure_four_stretch",
    ] {
        assert!(
            exercise(id)
                .contraindications
                .conditions
                .contains(&fracture),
            "{id}"
        );
    }
}

#[test]
fn habits_and_medication_in_the_knowledge_base() {
    let kb = real_kb();
    for id in [
        "desk_setup_and_screen_breaks",
        "backpack_both_shoulders",
        "sleep_posture",
        "lift_with_legs",
        "stop_smoking",
        "active_routine",
    ] {
        let t = kb.treatments.iter().find(|t| t.id == id).unwrap();
        assert_eq!(t.kind, TreatmentKind::Habit, "{id}");
    }
    let heat = kb
        .treatments
        .iter()
        .find(|t| t.id == "heat_or_ice")
        .unwrap();
    assert_eq!(heat.kind, TreatmentKind::SelfCare);
    assert!(heat.text.contains("20 minutes"));
    for t in kb
        .treatments
        .iter()
        .filter(|t| t.kind == TreatmentKind::Medication)
    {
        assert!(
            t.text
                .to_lowercase()
                .contains("follow the label or ask a pharmacist"),
            "{}",
            t.id
        );
    }
}

fn synthetic_input() -> impl Strategy<Value = (CareInput, u8)> {
    (
        proptest::collection::vec(any::<bool>(), FINDINGS),
        proptest::collection::vec(0.0f64..1.0, CONDITIONS),
        prop_oneof![
            Just(Region::Neck),
            Just(Region::Upper),
            Just(Region::Lower),
            Just(Region::Both)
        ],
        prop_oneof![
            4 => Just(TriageLevel::SelfCare),
            4 => Just(TriageLevel::Consultation),
            1 => Just(TriageLevel::Consultation24),
            1 => Just(TriageLevel::Emergency),
        ],
        MIN_WEEKS..=MAX_WEEKS,
    )
        .prop_map(|(present, probs, region, level, weeks)| {
            let kb = synthetic_kb();
            let mut ranked: Vec<(ConditionIx, f64)> = probs
                .iter()
                .enumerate()
                .map(|(i, &p)| (kb.condition_ix(&format!("c{i}")).unwrap(), p))
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            let present = present
                .iter()
                .enumerate()
                .filter(|(_, p)| **p)
                .map(|(i, _)| kb.finding_ix(&format!("f{i}")).unwrap())
                .collect();
            (
                CareInput {
                    level,
                    region,
                    ranked,
                    present,
                },
                weeks,
            )
        })
}

#[test]
fn the_synthetic_knowledge_base_is_mostly_contraindications() {
    let kb = synthetic_kb();
    assert_eq!(kb.exercises.len(), EXERCISES);
    let never = kb.finding_ix("never").unwrap();
    let real = kb
        .exercises
        .iter()
        .filter(|e| {
            e.contraindications.findings.iter().any(|f| *f != never)
                || !e.contraindications.conditions.is_empty()
        })
        .count();
    assert!(real * 5 >= EXERCISES * 4, "{real} of {EXERCISES}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No contraindicated exercise (or advice) is ever planned, phases always tile the weeks, sessions never
    /// run over 20 minutes, and urgent triage never gets a plan.
    #[test]
    fn no_contraindicated_exercise_is_ever_planned((input, weeks) in synthetic_input()) {
        let kb = synthetic_kb();
        match plan(kb, &input, &PlanOptions { weeks, start: START }).unwrap() {
            PlanOutcome::Plan(p) => {
                prop_assert!(input.level <= TriageLevel::Consultation);
                check_invariants(kb, &input, &p);
            }
            PlanOutcome::NoPlan(n) => {
                prop_assert!(input.level >= TriageLevel::Consultation24);
                prop_assert_eq!(n.level, input.level);
            }
        }
    }

    /// The same over the real knowledge base with random findings present and random likely causes.
    #[test]
    fn no_contraindicated_exercise_over_the_real_knowledge_base(
        present in proptest::collection::vec(0usize..10_000, 0..12),
        conditions in proptest::collection::vec((0usize..10_000, 0.0f64..1.0), 0..8),
        region in prop_oneof![
            Just(Region::Neck),
            Just(Region::Upper),
            Just(Region::Lower),
            Just(Region::Both)
        ],
    ) {
        let kb = real_kb();
        let mut present: Vec<FindingIx> = present
            .iter()
            .map(|i| FindingIx((i % kb.findings.len()) as u16))
            .collect();
        present.sort();
        present.dedup();
        let mut ranked: Vec<(ConditionIx, f64)> = Vec::new();
        for &(i, p) in &conditions {
            let c = ConditionIx((i % kb.conditions.len()) as u16);
            if !ranked.iter().any(|(x, _)| *x == c) {
                ranked.push((c, p));
            }
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let input = CareInput { level: TriageLevel::SelfCare, region, ranked, present };
        match plan(kb, &input, &PlanOptions::starting(START)).unwrap() {
            PlanOutcome::Plan(p) => check_invariants(kb, &input, &p),
            PlanOutcome::NoPlan(_) => prop_assert!(false, "self_care must get a plan"),
        }
    }
}
