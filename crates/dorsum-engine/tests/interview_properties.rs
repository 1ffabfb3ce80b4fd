//! Safety properties of the interview over the real knowledge base.

use dorsum_engine::interview::{
    Answer, AnswerKind, Interview, InterviewIndex, MAX_ESCALATION, MAX_QUESTIONS, Question, Step,
    StopReason,
};
use dorsum_engine::{Evidence, Observation};
use dorsum_kb::{FindingIx, Kb, Sex, TriageLevel};
use proptest::prelude::*;
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| dorsum_kb::embedded::load_embedded().expect("embedded knowledge base loads"))
}

fn index() -> &'static InterviewIndex {
    static IX: OnceLock<InterviewIndex> = OnceLock::new();
    IX.get_or_init(|| InterviewIndex::new(kb()))
}

fn opener() -> impl Strategy<Value = Evidence> {
    let n = kb().findings.len();
    (
        0u8..=120,
        prop_oneof![Just(Sex::Female), Just(Sex::Male)],
        prop::collection::vec((0..n, any::<bool>()), 0..6),
    )
        .prop_map(|(age, sex, obs)| Evidence {
            age,
            sex,
            findings: obs
                .into_iter()
                .map(|(i, present)| Observation {
                    finding: FindingIx(i as u16),
                    present,
                })
                .collect(),
        })
}

/// The answer that says "yes" to exactly one option.
fn yes_to(kind: AnswerKind, option: FindingIx) -> Answer {
    match kind {
        AnswerKind::YesNo => Answer::Yes,
        AnswerKind::OneOf | AnswerKind::AnyOf => Answer::Chosen(vec![option]),
        AnswerKind::Number { .. } => {
            let (lo, _) = kb()
                .finding(option)
                .pain_score
                .expect("a number option has a range");
            Answer::Number(lo.ceil().min(10.0) as u8)
        }
    }
}

/// "No" to a question: none of the options (a low score for a number).
fn no_to(question: &Question) -> Answer {
    match question.kind {
        AnswerKind::YesNo => Answer::No,
        AnswerKind::Number { min, .. } => Answer::Number(min),
        AnswerKind::OneOf | AnswerKind::AnyOf => Answer::Chosen(Vec::new()),
    }
}

/// An opener that is an emergency but not (yet) an ambulance: numbness around the bottom and a bladder that
/// will not empty (cauda equina).
fn cauda_equina() -> Interview {
    let kb = kb();
    let present = |id: &str| Observation {
        finding: kb.finding_ix(id).expect("finding"),
        present: true,
    };
    Interview::new(
        52,
        Sex::Male,
        vec![
            present("loc_lower_back"),
            present("saddle_anaesthesia"),
            present("urinary_retention"),
        ],
    )
}

/// At `emergency` the interview says what it knows and asks only about an ambulance: each question could
/// make it `emergency_ambulance`, at most `MAX_ESCALATION` of them; "no" to all ends at `emergency`.
#[test]
fn an_emergency_asks_at_most_the_ambulance_questions_then_stops() {
    let mut interview = cauda_equina();
    let mut asked = 0;
    loop {
        match interview.next(kb(), index()) {
            Step::Ask {
                question,
                assessment,
            } => {
                assert_eq!(assessment.triage.level, TriageLevel::Emergency);
                assert_eq!(
                    question.why.could_raise_to,
                    Some(TriageLevel::EmergencyAmbulance)
                );
                asked += 1;
                assert!(asked <= MAX_ESCALATION, "{asked} questions at an emergency");
                let no = no_to(&question);
                interview.answer(*question, no).expect("answer fits");
            }
            Step::Done { assessment, reason } => {
                assert_eq!(reason, StopReason::Emergency);
                assert_eq!(assessment.triage.level, TriageLevel::Emergency);
                break;
            }
        }
    }
    assert!(asked >= 1, "no ambulance question was asked");
}

/// A "yes" to an ambulance question at `emergency` ends the interview at once, at `emergency_ambulance`.
#[test]
fn yes_to_an_ambulance_question_stops_at_once() {
    let mut interview = cauda_equina();
    let Step::Ask { question, .. } = interview.next(kb(), index()) else {
        panic!("an ambulance question was expected");
    };
    let &(option, rule) = question
        .why
        .rules
        .first()
        .expect("an ambulance rule behind the question");
    assert_eq!(kb().rules[rule].level, TriageLevel::EmergencyAmbulance);
    let yes = yes_to(question.kind, option);
    interview.answer(*question, yes).expect("answer fits");
    match interview.next(kb(), index()) {
        Step::Done { assessment, reason } => {
            assert_eq!(reason, StopReason::Emergency);
            assert_eq!(assessment.triage.level, TriageLevel::EmergencyAmbulance);
        }
        Step::Ask { .. } => panic!("asked on after an ambulance answer"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Wherever the interview goes: at `emergency_ambulance` it stops at once, as an emergency; at
    /// `emergency` it asks only what could make it an ambulance, at most `MAX_ESCALATION` in a row, and
    /// ends as an emergency.
    #[test]
    fn at_an_emergency_only_ambulance_questions_are_asked(ev in opener(), dont_know in any::<bool>()) {
        let mut interview = Interview::new(ev.age, ev.sex, ev.findings.clone());
        let mut in_a_row = 0;
        for _ in 0..=MAX_QUESTIONS {
            match interview.next(kb(), index()) {
                Step::Done { assessment, reason } => {
                    if assessment.triage.level >= TriageLevel::Emergency {
                        prop_assert_eq!(reason, StopReason::Emergency);
                    }
                    return Ok(());
                }
                Step::Ask { question, assessment } => {
                    let level = assessment.triage.level;
                    prop_assert!(level < TriageLevel::EmergencyAmbulance);
                    if level == TriageLevel::Emergency {
                        in_a_row += 1;
                        prop_assert!(in_a_row <= MAX_ESCALATION);
                        prop_assert_eq!(question.why.could_raise_to, Some(TriageLevel::EmergencyAmbulance));
                    } else {
                        in_a_row = 0;
                    }
                    let answer = if dont_know { Answer::DontKnow } else { no_to(&question) };
                    interview.answer(*question, answer).expect("answer fits");
                }
            }
        }
        prop_assert!(false, "the interview did not stop within {MAX_QUESTIONS} questions");
    }

    /// Answering "yes" to a red-flag question ends in at least that red flag's level, whatever else is
    /// (not) known afterwards.
    #[test]
    fn yes_to_a_red_flag_ends_at_least_at_its_level(ev in opener(), skip in 0usize..4) {
        let mut interview = Interview::new(ev.age, ev.sex, ev.findings.clone());
        let mut expected = None;
        let mut skipped = 0;
        for _ in 0..=MAX_QUESTIONS {
            match interview.next(kb(), index()) {
                Step::Done { assessment, .. } => {
                    if let Some((level, rule)) = expected {
                        prop_assert!(
                            assessment.triage.level >= level,
                            "answered yes to {rule} ({level}) but ended at {}",
                            assessment.triage.level
                        );
                    }
                    return Ok(());
                }
                Step::Ask { question, .. } => {
                    let answer = match question.why.rules.first() {
                        Some(&(option, rule)) if expected.is_none() && skipped == skip => {
                            let r = &kb().rules[rule];
                            expected = Some((r.level, r.id.clone()));
                            yes_to(question.kind, option)
                        }
                        Some(_) if expected.is_none() => {
                            skipped += 1;
                            Answer::DontKnow
                        }
                        _ => Answer::DontKnow,
                    };
                    interview.answer(*question, answer).expect("answer fits");
                }
            }
        }
        prop_assert!(false, "the interview did not stop within {MAX_QUESTIONS} questions");
    }

    /// Every interview stops within the cap, and no finding is offered twice.
    #[test]
    fn interviews_stop_and_never_repeat(ev in opener(), yes in any::<bool>()) {
        let mut interview = Interview::new(ev.age, ev.sex, ev.findings.clone());
        let mut offered: Vec<FindingIx> = Vec::new();
        for _ in 0..=MAX_QUESTIONS {
            match interview.next(kb(), index()) {
                Step::Done { .. } => {
                    prop_assert!(interview.exchanges().len() <= MAX_QUESTIONS);
                    return Ok(());
                }
                Step::Ask { question, .. } => {
                    for f in &question.options {
                        prop_assert!(!offered.contains(f), "{} offered twice", kb().finding(*f).id);
                    }
                    offered.extend(&question.options);
                    let answer = if yes { yes_to(question.kind, question.options[0]) } else { Answer::No };
                    let answer = if question.kind != AnswerKind::YesNo && !yes {
                        Answer::Chosen(Vec::new())
                    } else {
                        answer
                    };
                    let answer = if matches!(question.kind, AnswerKind::Number { .. }) && !yes {
                        Answer::Number(2)
                    } else {
                        answer
                    };
                    interview.answer(*question, answer).expect("answer fits");
                }
            }
        }
        prop_assert!(false, "the interview did not stop within {MAX_QUESTIONS} questions");
    }
}
