//! Safety properties of the interview over the real knowledge base.

use dorsum_engine::interview::{
    Answer, AnswerKind, Interview, InterviewIndex, MAX_QUESTIONS, Step,
};
use dorsum_engine::{Evidence, Observation};
use dorsum_kb::{FindingIx, Kb, Sex};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

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
