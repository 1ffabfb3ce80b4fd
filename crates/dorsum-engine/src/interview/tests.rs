//! The interview state machine on the engine's hand-written fixture knowledge base (see `crate::tests`):
//! rules `fever` (consultation_24), `sudden_not_lifting` (consultation unless lifting) and `sudden_fever`
//! (emergency, age 50+); conditions `infection` (consultation_24 at 30%) and `strain`.

use super::*;
use crate::tests::{ev, kb};
use dorsum_kb::{FindingIx, Kb};

fn id(kb: &Kb, f: FindingIx) -> &str {
    &kb.finding(f).id
}

fn ask(kb: &Kb, interview: &Interview) -> Question {
    match interview.next(kb, &InterviewIndex::new(kb)) {
        Step::Ask { question, .. } => *question,
        Step::Done { reason, .. } => panic!("expected a question, interview stopped: {reason:?}"),
    }
}

fn done(kb: &Kb, interview: &Interview) -> (Assessment, StopReason) {
    match interview.next(kb, &InterviewIndex::new(kb)) {
        Step::Done { assessment, reason } => (*assessment, reason),
        Step::Ask { question, .. } => panic!("expected the end, got {:?}", question.options),
    }
}

fn opener(kb: &Kb, findings: &[(&str, bool)]) -> Vec<Observation> {
    ev(kb, 30, Sex::Male, findings).findings
}

#[test]
fn the_most_urgent_warning_sign_is_asked_first() {
    let kb = kb();
    let interview = Interview::new(30, Sex::Male, opener(&kb, &[("loc_low", true)]));
    let q = ask(&kb, &interview);
    assert_eq!(q.kind, AnswerKind::YesNo);
    assert_eq!(id(&kb, q.options[0]), "fever");
    assert_eq!(q.why.could_raise_to, Some(TriageLevel::Consultation24));
    assert_eq!(kb.rules[q.why.rules[0].1].id, "fever");
    assert_eq!(q.text(&kb), "Fever?");
    let why = q.why_text(&kb);
    assert!(why.contains("a doctor within 24 hours"), "{why}");
    assert!(why.contains("sign of infection"), "{why}");
}

#[test]
fn an_exclusive_group_is_one_choice_and_its_warning_sign_depends_on_age() {
    let kb = kb();
    // Fever already reported: at 30 the onset can only raise to consultation, below consultation_24.
    let young = Interview::new(30, Sex::Male, opener(&kb, &[("fever", true)]));
    let q = ask(&kb, &young);
    assert_eq!(q.kind, AnswerKind::OneOf);
    assert_eq!(q.why.could_raise_to, None);
    // At 55, a sudden onset with fever is an emergency, so the same question is a safety question.
    let older = Interview::new(55, Sex::Male, opener(&kb, &[("fever", true)]));
    let q = ask(&kb, &older);
    assert_eq!(q.kind, AnswerKind::OneOf);
    assert_eq!(q.why.could_raise_to, Some(TriageLevel::Emergency));
    let names: Vec<&str> = q.options.iter().map(|&f| id(&kb, f)).collect();
    assert_eq!(names, ["onset_sudden", "onset_gradual"]);
}

#[test]
fn an_emergency_answer_stops_the_interview_at_once() {
    let kb = kb();
    let mut interview = Interview::new(55, Sex::Male, opener(&kb, &[("fever", true)]));
    let q = ask(&kb, &interview);
    let sudden = kb.finding_ix("onset_sudden").unwrap();
    interview.answer(q, Answer::Chosen(vec![sudden])).unwrap();
    let (assessment, reason) = done(&kb, &interview);
    assert_eq!(reason, StopReason::Emergency);
    assert_eq!(assessment.triage.level, TriageLevel::Emergency);
}

#[test]
fn an_emergency_opener_asks_nothing() {
    let kb = kb();
    let interview = Interview::new(
        60,
        Sex::Female,
        opener(&kb, &[("fever", true), ("onset_sudden", true)]),
    );
    let (assessment, reason) = done(&kb, &interview);
    assert_eq!(reason, StopReason::Emergency);
    assert_eq!(assessment.triage.level, TriageLevel::Emergency);
    assert!(interview.exchanges().is_empty());
}

#[test]
fn dont_know_leaves_the_finding_unknown_and_is_not_asked_again() {
    let kb = kb();
    let mut interview = Interview::new(30, Sex::Male, Vec::new());
    let q = ask(&kb, &interview);
    let fever = q.options[0];
    interview.answer(q, Answer::DontKnow).unwrap();
    assert!(interview.evidence(&kb).findings.is_empty());
    let mut steps = 0;
    while let Step::Ask { question, .. } = interview.next(&kb, &InterviewIndex::new(&kb)) {
        assert!(!question.options.contains(&fever), "fever asked twice");
        interview.answer(*question, Answer::DontKnow).unwrap();
        steps += 1;
        assert!(steps <= MAX_QUESTIONS, "the interview did not stop");
    }
}

#[test]
fn every_interview_ends_within_the_cap() {
    let kb = kb();
    for answer_yes in [false, true] {
        let mut interview = Interview::new(45, Sex::Female, Vec::new());
        for _ in 0..=MAX_QUESTIONS {
            match interview.next(&kb, &InterviewIndex::new(&kb)) {
                Step::Ask { question, .. } => {
                    let answer = match question.kind {
                        AnswerKind::YesNo if answer_yes => Answer::Yes,
                        AnswerKind::YesNo => Answer::No,
                        AnswerKind::Number { .. } => Answer::Number(3),
                        _ => Answer::Chosen(question.options[..1].to_vec()),
                    };
                    interview.answer(*question, answer).unwrap();
                }
                Step::Done { .. } => break,
            }
        }
        assert!(matches!(
            interview.next(&kb, &InterviewIndex::new(&kb)),
            Step::Done { .. }
        ));
    }
}

#[test]
fn answers_become_observations() {
    let kb = kb();
    let mut interview = Interview::new(55, Sex::Male, Vec::new());
    let q = ask(&kb, &interview);
    assert_eq!(id(&kb, q.options[0]), "fever");
    interview.answer(q, Answer::No).unwrap();
    let q = ask(&kb, &interview);
    assert_eq!(q.kind, AnswerKind::OneOf);
    let gradual = kb.finding_ix("onset_gradual").unwrap();
    interview.answer(q, Answer::Chosen(vec![gradual])).unwrap();
    let evidence = interview.evidence(&kb);
    let expect = ev(
        &kb,
        55,
        Sex::Male,
        &[
            ("fever", false),
            ("onset_sudden", false),
            ("onset_gradual", true),
        ],
    );
    assert_eq!(evidence, expect);
}

#[test]
fn revising_an_answer_drops_what_followed_and_recomputes() {
    let kb = kb();
    let mut interview = Interview::new(55, Sex::Male, Vec::new());
    let q = ask(&kb, &interview);
    interview.answer(q, Answer::No).unwrap();
    let q = ask(&kb, &interview);
    let sudden = kb.finding_ix("onset_sudden").unwrap();
    interview.answer(q, Answer::Chosen(vec![sudden])).unwrap();
    assert_eq!(interview.exchanges().len(), 2);
    // Fever was "no"; now it is "yes": with a sudden onset at 55 that is an emergency, but the onset answer
    // came after, so it is dropped and asked again.
    interview.revise(0, Answer::Yes).unwrap();
    assert_eq!(interview.exchanges().len(), 1);
    let q = ask(&kb, &interview);
    assert_eq!(q.why.could_raise_to, Some(TriageLevel::Emergency));
    assert_eq!(
        interview.back().map(|q| q.options),
        Some(vec![kb.finding_ix("fever").unwrap()])
    );
    assert!(interview.exchanges().is_empty());
}

#[test]
fn answers_that_do_not_fit_are_refused() {
    let kb = kb();
    let mut interview = Interview::new(55, Sex::Male, Vec::new());
    let q = ask(&kb, &interview);
    assert_eq!(
        interview.answer(q.clone(), Answer::Chosen(vec![])),
        Err(AnswerError::NotYesNo)
    );
    interview.answer(q, Answer::No).unwrap();
    let q = ask(&kb, &interview);
    let lifting = kb.finding_ix("lifting").unwrap();
    assert_eq!(
        interview.answer(q.clone(), Answer::Chosen(vec![lifting])),
        Err(AnswerError::NotAnOption)
    );
    assert_eq!(
        interview.answer(q.clone(), Answer::Chosen(q.options.clone())),
        Err(AnswerError::NotOne)
    );
    assert_eq!(
        interview.answer(q, Answer::Yes),
        Err(AnswerError::WrongKind("yes"))
    );
    assert_eq!(
        interview.revise(7, Answer::Yes),
        Err(AnswerError::NoSuchAnswer(7))
    );
    assert_eq!(interview.exchanges().len(), 1);
}

#[test]
fn the_interview_settles_when_nothing_could_change_the_triage() {
    let kb = kb();
    // Everything the fixture could ask about is known: no question is left.
    let interview = Interview::new(
        30,
        Sex::Male,
        opener(
            &kb,
            &[
                ("fever", false),
                ("onset_gradual", true),
                ("lifting", true),
                ("loc_low", true),
                ("loc_neck", false),
                ("loc_upper", false),
            ],
        ),
    );
    let (assessment, reason) = done(&kb, &interview);
    assert_eq!(reason, StopReason::NothingToAsk);
    assert_eq!(assessment.triage.level, TriageLevel::SelfCare);
}
