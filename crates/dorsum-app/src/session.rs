//! One interview session: the opener read by the intake, the engine's state machine, and the result object
//! with the questions and answers. Shared by `dorsum check` and `dorsum eval --interview`.

use crate::pipeline::{Case, Dorsum, observations};
use crate::wire::{AssessmentJson, InterviewJson};
use dorsum_engine::interview::{Answer, Interview, InterviewIndex, Step, StopReason};
use dorsum_engine::{Assessment, Observation};
use dorsum_intake::{Mention, TextIntake};
use dorsum_kb::Kb;

/// An interview about one case.
pub struct Session<'d> {
    pub dorsum: &'d Dorsum,
    pub index: InterviewIndex,
    pub case: Case,
    pub mentions: Vec<Mention>,
    pub interview: Interview,
}

impl<'d> Session<'d> {
    /// Read the opener and start the interview.
    pub fn start(dorsum: &'d Dorsum, case: Case) -> Self {
        let mentions = dorsum.intake.read(&case.text);
        let interview = Interview::new(case.age, case.sex, observations(&mentions));
        Session {
            dorsum,
            index: InterviewIndex::new(&dorsum.kb),
            case,
            mentions,
            interview,
        }
    }

    /// The next question or the result.
    pub fn next(&self) -> Step {
        self.interview.next(&self.dorsum.kb, &self.index)
    }

    /// Everything learned from answers (not from the text), in order.
    pub fn answered(&self) -> Vec<Observation> {
        let kb = &self.dorsum.kb;
        self.interview
            .exchanges()
            .iter()
            .flat_map(|e| e.answer.observations(kb, &e.question))
            .collect()
    }

    /// The result object, with the interview's questions and answers.
    pub fn result<'a>(
        &'a self,
        assessment: &'a Assessment,
        reason: StopReason,
        answered: &[Observation],
    ) -> AssessmentJson<'a> {
        let kb = &self.dorsum.kb;
        let mut json = self
            .dorsum
            .result_json(&self.case, &self.mentions, answered, assessment);
        json.interview = Some(InterviewJson {
            questions: crate::replay::exchanges_json(kb, self.interview.exchanges()),
            stopped: Some(reason.as_str()),
        });
        json
    }
}

/// An answer as stored in the result object.
pub fn answer_text(kb: &Kb, answer: &Answer) -> String {
    match answer {
        Answer::Yes => "yes".into(),
        Answer::No => "no".into(),
        Answer::DontKnow => "dont_know".into(),
        Answer::Number(n) => n.to_string(),
        Answer::Chosen(c) if c.is_empty() => "none".into(),
        Answer::Chosen(c) => c
            .iter()
            .map(|&f| kb.finding(f).id.as_str())
            .collect::<Vec<_>>()
            .join(","),
    }
}
