//! Simulated patients for `dorsum eval --interview`: the interview opens with the first sentence of a
//! vignette, and every question is answered from what the intake reads in the whole text; anything the text
//! does not mention is "don't know".

use dorsum_app::pipeline::{Case, Dorsum};
use dorsum_app::session::Session;
use dorsum_engine::Assessment;
use dorsum_engine::interview::{Answer, AnswerKind, Question, Step};
use dorsum_intake::{QuantityKind, TextIntake};
use dorsum_kb::FindingIx;

/// The first sentence: up to the first `.`, `!` or `?` that ends a sentence (followed by a space or the
/// end), or the whole text.
pub fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
            && !text[..i].trim().is_empty()
        {
            return &text[..=i];
        }
    }
    text
}

/// What a simulated patient knows: the findings the full text affirms or denies, and a pain score.
pub struct Patient {
    present: Vec<FindingIx>,
    absent: Vec<FindingIx>,
    pain: Option<u8>,
}

impl Patient {
    /// Read the whole text once.
    pub fn new(dorsum: &Dorsum, text: &str) -> Self {
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for m in dorsum.intake.read(text) {
            match m.assertion.presence() {
                Some(true) => present.push(m.finding),
                Some(false) => absent.push(m.finding),
                None => {}
            }
        }
        let pain = dorsum_intake::quantities(text)
            .iter()
            .find(|q| q.kind == QuantityKind::PainScore)
            .map(|q| q.value.round().clamp(0.0, 10.0) as u8);
        Patient {
            present,
            absent,
            pain,
        }
    }

    /// Answer as the person in the vignette would, from what the text says.
    pub fn answer(&self, q: &Question) -> Answer {
        let yes: Vec<FindingIx> = q
            .options
            .iter()
            .copied()
            .filter(|f| self.present.contains(f))
            .collect();
        let no = q.options.iter().any(|f| self.absent.contains(f));
        match q.kind {
            AnswerKind::YesNo if !yes.is_empty() => Answer::Yes,
            AnswerKind::YesNo if no => Answer::No,
            AnswerKind::Number { .. } => self.pain.map_or(Answer::DontKnow, Answer::Number),
            AnswerKind::OneOf if yes.len() == 1 => Answer::Chosen(yes),
            AnswerKind::OneOf if no && q.options.iter().all(|f| self.absent.contains(f)) => {
                Answer::Chosen(Vec::new())
            }
            AnswerKind::AnyOf if !yes.is_empty() => Answer::Chosen(yes),
            AnswerKind::AnyOf if no && q.options.iter().all(|f| self.absent.contains(f)) => {
                Answer::Chosen(Vec::new())
            }
            _ => Answer::DontKnow,
        }
    }
}

/// Run one vignette as an interview: the final assessment and how many questions were asked.
pub fn interview(dorsum: &Dorsum, case: &Case) -> (Assessment, usize) {
    let patient = Patient::new(dorsum, &case.text);
    let opener = Case {
        text: first_sentence(&case.text).to_string(),
        ..case.clone()
    };
    let mut session = Session::start(dorsum, opener);
    loop {
        match session.next() {
            Step::Done { assessment, .. } => {
                return (*assessment, session.interview.exchanges().len());
            }
            Step::Ask { question, .. } => {
                let answer = patient.answer(&question);
                session
                    .interview
                    .answer(*question, answer)
                    .expect("a simulated answer fits its question");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn the_opener_is_the_first_sentence() {
        assert_eq!(
            first_sentence("Back pain for 3 days. No fever."),
            "Back pain for 3 days."
        );
        assert_eq!(
            first_sentence("it hurts 2.5 days now"),
            "it hurts 2.5 days now"
        );
        assert_eq!(first_sentence("Ouch! Then more"), "Ouch!");
        assert_eq!(first_sentence(". hi"), ". hi");
    }
}
