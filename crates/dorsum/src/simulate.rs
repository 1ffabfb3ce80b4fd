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
    /// Findings picked by a pain score, with the bottom of their band.
    bands: Vec<(FindingIx, f64)>,
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
        let bands = dorsum
            .kb
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.pain_score.map(|(lo, _)| (FindingIx(i as u16), lo)))
            .collect();
        Patient {
            present,
            absent,
            pain,
            bands,
        }
    }

    /// The lowest whole score in a finding's pain-score band.
    fn band_floor(&self, f: FindingIx) -> Option<u8> {
        self.bands
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, lo)| lo.ceil().clamp(0.0, 10.0) as u8)
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
            // A stated score first; else words the intake maps to a score band ("agonising" → severe).
            AnswerKind::Number { .. } => match (self.pain, yes.first()) {
                (Some(n), _) => Answer::Number(n),
                (None, Some(&f)) => self.band_floor(f).map_or(Answer::DontKnow, Answer::Number),
                (None, None) => Answer::DontKnow,
            },
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

/// Run one vignette as an interview: the final assessment, how many questions were asked, and the
/// transcript (one line per question and answer).
pub fn interview(dorsum: &Dorsum, case: &Case) -> (Assessment, usize, Vec<String>) {
    let patient = Patient::new(dorsum, &case.text);
    let opener = Case {
        text: first_sentence(&case.text).to_string(),
        ..case.clone()
    };
    let mut session = Session::start(dorsum, opener);
    let mut transcript = vec![format!("opener: {}", session.case.text)];
    loop {
        match session.next() {
            Step::Done { assessment, reason } => {
                transcript.push(format!("stopped: {}", reason.as_str()));
                return (*assessment, session.interview.exchanges().len(), transcript);
            }
            Step::Ask { question, .. } => {
                let answer = patient.answer(&question);
                let kb = &dorsum.kb;
                transcript.push(format!(
                    "{} [{}] -> {}",
                    question.text(kb),
                    question
                        .options
                        .iter()
                        .map(|&f| kb.finding(f).id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    dorsum_app::session::answer_text(kb, &answer)
                ));
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
