//! The adaptive interview: a pure state machine that takes answers and returns the next question or the
//! result.
//!
//! The opener (findings parsed from the person's own words, plus age and sex) starts it. Each step
//! reassesses everything from the opener and the answers so far, so changing an earlier answer simply
//! recomputes the rest. The order of questions:
//! 0. **Emergency short-circuit**: once the triage is `emergency_ambulance`, stop at once and say what to
//!    do. At `emergency`, first ask the questions whose "yes" would still make it `emergency_ambulance`
//!    (a rule at that level that would fire, or a condition needing an ambulance that would pass its
//!    threshold), most informative first and at most [`MAX_ESCALATION`] of them, then stop. Stopping at
//!    `emergency` at once would under-triage by one level whenever the opener happened to leave out the
//!    sign that calls for an ambulance (a faint, a cold leg, a major injury): the person would be told to
//!    get to an emergency department when they should not move. Those few questions are the only ones
//!    asked once care is already urgent, and the result still puts what to do now first.
//! 1. **Where**: when the opener named no place, the body-map question comes first; the rest of the picture
//!    depends on it.
//! 2. **Safety first**: while some question could raise the triage for the current picture, ask the one
//!    that could raise it most. A "yes" raises it when a rule would fire or a condition in the picture would
//!    pass its threshold. A condition is in the picture at [`MIN_RELEVANT`] or more, at half that when it
//!    needs a doctor within 24 hours, and at [`MIN_RELEVANT_EMERGENCY`] (a tenth) when it needs emergency
//!    care ([`min_relevant`]): an opener often says little about an aneurysm or a bleed, and those must
//!    still get their questions. Rules that send the
//!    person to emergency care are always screened for; less urgent rules only when their finding points
//!    to a condition in the picture.
//! 3. **Information**: otherwise ask the question with the greatest urgency-weighted expected information
//!    gain over the differential.
//! 4. **Stop** when nothing could raise the triage and the top three causes have not changed over the last
//!    [`STABLE_AFTER`] answers (or no question is worth asking), or after [`MAX_QUESTIONS`].

mod index;
mod question;

pub use index::{InterviewIndex, Link, answer_rates};
pub use question::{
    Answer, AnswerError, AnswerKind, MAX_OPTIONS, MIN_GAIN, MIN_RELEVANT, MIN_RELEVANT_EMERGENCY,
    Question, Why, min_relevant,
};

use crate::evidence::{Evidence, EvidenceState, Observation};
use crate::{Assessment, differential, triage};
use dorsum_kb::{Kb, Sex, TriageLevel};
use question::Picture;

/// The most questions one interview asks.
pub const MAX_QUESTIONS: usize = 20;
/// The top three must hold for this many answers in a row before the interview may stop.
pub const STABLE_AFTER: usize = 2;
/// Once the triage is `emergency`, at most this many questions whose "yes" would make it
/// `emergency_ambulance` before the interview stops.
pub const MAX_ESCALATION: usize = 3;

/// One question and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub question: Question,
    pub answer: Answer,
}

/// Why the interview stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The triage reached `emergency_ambulance`, or `emergency` with no (further) question that could make
    /// it `emergency_ambulance`: act now.
    Emergency,
    /// No answer could change the triage and the leading causes are stable.
    Settled,
    /// Nothing left worth asking.
    NothingToAsk,
    /// [`MAX_QUESTIONS`] were asked.
    QuestionCap,
}

impl StopReason {
    /// Stable wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Emergency => "emergency",
            StopReason::Settled => "settled",
            StopReason::NothingToAsk => "nothing_to_ask",
            StopReason::QuestionCap => "question_cap",
        }
    }
}

/// What the interview wants next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Ask this; the assessment is the picture so far.
    Ask {
        question: Box<Question>,
        assessment: Box<Assessment>,
    },
    /// Finished.
    Done {
        assessment: Box<Assessment>,
        reason: StopReason,
    },
}

/// An interview in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    age: u8,
    sex: Sex,
    opener: Vec<Observation>,
    exchanges: Vec<Exchange>,
}

impl Interview {
    /// Start from age, sex and the findings read from the person's opening description.
    pub fn new(age: u8, sex: Sex, opener: Vec<Observation>) -> Self {
        Interview {
            age,
            sex,
            opener,
            exchanges: Vec::new(),
        }
    }

    /// The questions asked and answered so far, in order.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// Everything known: the opener's findings, then each answer's.
    pub fn evidence(&self, kb: &Kb) -> Evidence {
        self.evidence_before(kb, self.exchanges.len())
    }

    /// What was known before the first `answers` answers: the opener's findings and those answers'.
    fn evidence_before(&self, kb: &Kb, answers: usize) -> Evidence {
        let mut findings = self.opener.clone();
        for e in &self.exchanges[..answers] {
            findings.extend(e.answer.observations(kb, &e.question));
        }
        Evidence {
            age: self.age,
            sex: self.sex,
            findings,
        }
    }

    /// How many of the latest answers were given while the triage already stood at `emergency` (counting
    /// back to the first one that was not, and at most [`MAX_ESCALATION`]).
    fn asked_at_emergency(&self, kb: &Kb) -> usize {
        let mut asked = 0;
        while asked < MAX_ESCALATION && asked < self.exchanges.len() {
            let evidence = self.evidence_before(kb, self.exchanges.len() - asked - 1);
            if crate::assess(kb, &evidence).triage.level < TriageLevel::Emergency {
                break;
            }
            asked += 1;
        }
        asked
    }

    /// Record the answer to a question `next` returned.
    pub fn answer(&mut self, question: Question, answer: Answer) -> Result<(), AnswerError> {
        answer.validate(&question)?;
        self.exchanges.push(Exchange { question, answer });
        Ok(())
    }

    /// Change the answer at `position` (0-based). Later answers are dropped, because the questions after
    /// it were chosen from the old answer; `next` recomputes everything from there.
    pub fn revise(&mut self, position: usize, answer: Answer) -> Result<(), AnswerError> {
        let exchange = self
            .exchanges
            .get(position)
            .ok_or(AnswerError::NoSuchAnswer(position))?;
        answer.validate(&exchange.question)?;
        self.exchanges.truncate(position + 1);
        self.exchanges[position].answer = answer;
        Ok(())
    }

    /// Undo the last answer, if any, returning its question.
    pub fn back(&mut self) -> Option<Question> {
        self.exchanges.pop().map(|e| e.question)
    }

    /// The next question, or the result.
    pub fn next(&self, kb: &Kb, index: &InterviewIndex) -> Step {
        let evidence = self.evidence(kb);
        let state = EvidenceState::new(kb, &evidence);
        let ranked = differential::rank(kb, &state, &evidence);
        let fired = triage::fired_rules(kb, &state, &evidence);
        let level = triage::decide(kb, &fired, &ranked).level;
        // The result reuses the ranking and fired rules computed above.
        let done = |reason| Step::Done {
            assessment: Box::new(crate::assemble(
                kb,
                &evidence,
                &state,
                ranked.clone(),
                &fired,
            )),
            reason,
        };
        // Act now: an ambulance at once; at `emergency`, only the few questions that could still make it an
        // ambulance (never under-triage), then stop.
        let escalating = level == TriageLevel::Emergency;
        if level >= TriageLevel::EmergencyAmbulance
            || (escalating
                && (self.exchanges.len() >= MAX_QUESTIONS
                    || self.asked_at_emergency(kb) >= MAX_ESCALATION))
        {
            return done(StopReason::Emergency);
        }
        if self.exchanges.len() >= MAX_QUESTIONS {
            return done(StopReason::QuestionCap);
        }
        let mut offered = vec![false; kb.findings.len()];
        for e in &self.exchanges {
            for f in &e.question.options {
                offered[f.0 as usize] = true;
            }
        }
        let picture = Picture::new(kb, index, &evidence, &state, level, &ranked);
        let mut candidates = picture.candidates(&offered);
        if escalating {
            // Above `emergency` there is only `emergency_ambulance`: every question that could raise the
            // triage could make it that; ask the most informative, else stop.
            return match question::best(candidates).filter(|q| q.why.could_raise_to.is_some()) {
                Some(question) => Step::Ask {
                    question: Box::new(question),
                    assessment: Box::new(crate::assemble(kb, &evidence, &state, ranked, &fired)),
                },
                None => done(StopReason::Emergency),
            };
        }
        // Where it hurts comes first when the opener did not say: the rest of the picture depends on it.
        let located = evidence
            .findings
            .iter()
            .any(|o| o.present && kb.finding(o.finding).kind == dorsum_kb::FindingKind::Location);
        let body_map = |q: &Question| {
            q.options
                .iter()
                .any(|&f| kb.finding(f).kind == dorsum_kb::FindingKind::Location)
        };
        let first = if located {
            None
        } else {
            candidates.iter().position(body_map)
        };
        let safety = candidates.iter().any(|q| q.why.could_raise_to.is_some());
        if first.is_none() && !safety && self.stable(&picture.top3) {
            return done(StopReason::Settled);
        }
        let chosen = match first {
            Some(i) => Some(candidates.swap_remove(i)),
            None => question::best(candidates),
        };
        match chosen {
            Some(question) => Step::Ask {
                question: Box::new(question),
                assessment: Box::new(crate::assemble(kb, &evidence, &state, ranked, &fired)),
            },
            None => done(StopReason::NothingToAsk),
        }
    }

    /// True when the top three were the same (as a set) before each of the last [`STABLE_AFTER`] answers as
    /// now. A "don't know" counts: it is what the person can tell us, and asking on would not change it.
    fn stable(&self, top3: &[dorsum_kb::ConditionIx]) -> bool {
        let same = |a: &[dorsum_kb::ConditionIx]| {
            a.len() == top3.len() && a.iter().all(|c| top3.contains(c))
        };
        self.exchanges.len() >= STABLE_AFTER
            && self.exchanges[self.exchanges.len() - STABLE_AFTER..]
                .iter()
                .all(|e| same(&e.question.top3))
    }
}

#[cfg(test)]
mod tests;
