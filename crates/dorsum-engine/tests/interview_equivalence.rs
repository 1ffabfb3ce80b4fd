//! The interview chooses the same questions as a plain reference chooser (`interview_equivalence/
//! reference.rs`, the scoring as it was before next-question latency was optimised): many seeded interviews
//! with random openers and simulated answers on the real knowledge base, and a few on the synthetic
//! 1,000 × 5,000 one the latency bench uses, as it is (nearly all safety questions) and without rules (all
//! information questions). At every step the question asked must be the reference's,
//! field by field (group, kind, options, the level a "yes" could raise the triage to, the warning-sign
//! rules, the conditions it separates, the top three), with its gain equal to 1e-9 relative; an interview
//! that stops as settled must have had no question that could raise the triage, and one with nothing to
//! ask no question at all.
//!
//! With `DORSUM_INTERVIEW_RECORD=DIR` the whole sequences (every question, answer and how each interview
//! ended) are also written to `DIR/*.jsonl` when absent, or compared with them when present: a
//! before/after check of a change that should not alter behaviour (record with the old code, replay with the
//! new). `DORSUM_EQUIVALENCE_SCALE=N` runs N times as many interviews (best in release mode):
//!
//! ```sh
//! DORSUM_EQUIVALENCE_SCALE=5 DORSUM_INTERVIEW_RECORD=/tmp/record \
//!     cargo test --release -p dorsum-engine --test interview_equivalence
//! ```

#[allow(dead_code)]
#[path = "../benches/synthetic_kb/mod.rs"]
mod synthetic_kb;

#[path = "interview_equivalence/reference.rs"]
mod reference;

use dorsum_engine::interview::{
    Answer, AnswerKind, Interview, InterviewIndex, MAX_ESCALATION, MAX_QUESTIONS, Question, Step,
    StopReason,
};
use dorsum_engine::{Assessment, Observation};
use dorsum_kb::{ConditionIx, FindingIx, Kb, KbFile, Sex, TriageLevel};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How the interview's question differs from the reference's, if it does.
fn compare(kb: &Kb, got: &Question, want: &Question) -> Option<String> {
    let mut plain = got.clone();
    plain.why.gain = want.why.gain;
    if plain != *want || !close(got.why.gain, want.why.gain) {
        let show = |q: &Question| {
            format!(
                "group {:?} {:?} options {:?} raise {:?} rules {:?} separates {:?} gain {:e} top3 {:?}",
                q.group.map(|g| &kb.group(g).id),
                q.kind,
                q.options
                    .iter()
                    .map(|&f| &kb.finding(f).id)
                    .collect::<Vec<_>>(),
                q.why.could_raise_to,
                q.why.rules,
                q.why.separates,
                q.why.gain,
                q.top3
            )
        };
        return Some(format!("\n  got:  {}\n  want: {}", show(got), show(want)));
    }
    None
}

/// How many of the latest answers were given while the triage stood at `emergency` (each earlier state
/// assessed afresh; counting back to the first that was not, at most `MAX_ESCALATION`).
fn answered_at_emergency(kb: &Kb, interview: &Interview) -> usize {
    let mut before = interview.clone();
    let mut asked = 0;
    while asked < MAX_ESCALATION && before.back().is_some() {
        let level = dorsum_engine::assess(kb, &before.evidence(kb)).triage.level;
        if level < TriageLevel::Emergency {
            break;
        }
        asked += 1;
    }
    asked
}

/// Check one step against the reference: `None` when it agrees.
///
/// The stopping rules mirrored here: at `emergency_ambulance` stop at once; at `emergency` ask the best
/// question that could make it `emergency_ambulance`, at most `MAX_ESCALATION` of them (and within
/// `MAX_QUESTIONS`), then stop; below that, the body map first when no place is known, then the best
/// question, settling only when no question could raise the triage.
fn check_step(
    kb: &Kb,
    index: &InterviewIndex,
    interview: &Interview,
    step: &Step,
) -> Option<String> {
    let evidence = interview.evidence(kb);
    let assessment: &Assessment = match step {
        Step::Ask { assessment, .. } | Step::Done { assessment, .. } => assessment,
    };
    let level = assessment.triage.level;
    let emergency_stop = matches!(
        step,
        Step::Done {
            reason: StopReason::Emergency,
            ..
        }
    );
    if level == TriageLevel::EmergencyAmbulance {
        return (!emergency_stop).then(|| "at emergency_ambulance, did not stop at once".into());
    }
    let picture = reference::Picture::new(kb, index, &evidence, assessment);
    let mut offered = vec![false; kb.findings.len()];
    for e in interview.exchanges() {
        for f in &e.question.options {
            offered[f.0 as usize] = true;
        }
    }
    let candidates = picture.candidates(&offered);
    if level == TriageLevel::Emergency {
        let room = interview.exchanges().len() < MAX_QUESTIONS
            && answered_at_emergency(kb, interview) < MAX_ESCALATION;
        let want = reference::best(&candidates)
            .filter(|q| room && q.why.could_raise_to == Some(TriageLevel::EmergencyAmbulance));
        return match (step, want) {
            (Step::Ask { question, .. }, Some(want)) => compare(kb, question, want),
            (Step::Ask { .. }, None) => {
                Some("asked at emergency, but the reference has no ambulance question left".into())
            }
            (Step::Done { .. }, Some(_)) => {
                Some("stopped at emergency, but the reference has an ambulance question".into())
            }
            (Step::Done { .. }, None) if emergency_stop => None,
            (Step::Done { reason, .. }, None) => {
                Some(format!("at emergency, stopped as {}", reason.as_str()))
            }
        };
    }
    if emergency_stop {
        return Some(format!("stopped as an emergency at {level}"));
    }
    let located = evidence
        .findings
        .iter()
        .any(|o| o.present && kb.finding(o.finding).kind == dorsum_kb::FindingKind::Location);
    let first = if located {
        None
    } else {
        candidates.iter().find(|q| reference::is_body_map(kb, q))
    };
    let want = first.or_else(|| reference::best(&candidates));
    let raising = candidates.iter().any(|q| q.why.could_raise_to.is_some());
    match step {
        Step::Ask { question, .. } => match want {
            Some(want) => compare(kb, question, want),
            None => Some("asked, but the reference has nothing to ask".into()),
        },
        Step::Done {
            reason: StopReason::Settled,
            ..
        } if raising || first.is_some() => {
            Some("settled, but the reference has a question that could raise the triage".into())
        }
        Step::Done {
            reason: StopReason::NothingToAsk,
            ..
        } if want.is_some() => Some("nothing to ask, but the reference has a question".into()),
        Step::Done { .. } => None,
    }
}

/// Interviews on the real knowledge base.
const REAL_INTERVIEWS: usize = 800;
/// Interviews on the synthetic knowledge base (each step is far slower there), and on it without rules.
const SYNTHETIC_INTERVIEWS: usize = 12;
const SYNTHETIC_INFORMATION_INTERVIEWS: usize = 6;

/// `DORSUM_EQUIVALENCE_SCALE=N` runs N times as many interviews (for a longer check, in release mode).
fn scale() -> usize {
    std::env::var("DORSUM_EQUIVALENCE_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// splitmix64: small, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AskRecord {
    group: Option<String>,
    kind: String,
    options: Vec<String>,
    could_raise_to: Option<String>,
    rules: Vec<(String, String)>,
    separates: Vec<String>,
    gain: f64,
    top3: Vec<String>,
    answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct InterviewRecord {
    seed: u64,
    age: u8,
    sex: String,
    hidden: Option<String>,
    opener: Vec<(String, bool)>,
    asked: Vec<AskRecord>,
    /// The most questions asked in a row while the triage already stood at `emergency`.
    #[serde(default)]
    escalations: usize,
    stop: String,
    triage: String,
}

fn record_question(kb: &Kb, q: &Question, answer: &Answer) -> AskRecord {
    let finding = |f: FindingIx| kb.finding(f).id.clone();
    AskRecord {
        group: q.group.map(|g| kb.group(g).id.clone()),
        kind: match q.kind {
            AnswerKind::Number { min, max } => format!("number {min}..={max}"),
            k => k.as_str().to_string(),
        },
        options: q.options.iter().map(|&f| finding(f)).collect(),
        could_raise_to: q.why.could_raise_to.map(|l| l.as_str().to_string()),
        rules: q
            .why
            .rules
            .iter()
            .map(|&(f, r)| (finding(f), kb.rules[r].id.clone()))
            .collect(),
        separates: q
            .why
            .separates
            .iter()
            .map(|&c| kb.condition(c).id.clone())
            .collect(),
        gain: q.why.gain,
        top3: q.top3.iter().map(|&c| kb.condition(c).id.clone()).collect(),
        answer: match answer {
            Answer::Yes => "yes".into(),
            Answer::No => "no".into(),
            Answer::DontKnow => "dont_know".into(),
            Answer::Number(n) => format!("number {n}"),
            Answer::Chosen(c) => format!(
                "chosen [{}]",
                c.iter().map(|&f| finding(f)).collect::<Vec<_>>().join(", ")
            ),
        },
    }
}

/// A simulated person: either a hidden condition (mostly "yes" to the findings it makes at least twice as
/// likely, rarely to others) or no pattern at all ("yes" at a fixed rate); warning signs at their own, low
/// rate so that most interviews go on past their safety questions; sometimes "don't know".
struct Person {
    hidden: Option<ConditionIx>,
    yes_rate: f64,
    red_flag_rate: f64,
}

impl Person {
    fn lr(&self, kb: &Kb, f: FindingIx) -> f64 {
        self.hidden.map_or(1.0, |c| {
            kb.condition(c)
                .likelihoods
                .iter()
                .find(|l| l.finding == f)
                .map_or(1.0, |l| l.lr_pos)
        })
    }

    fn yes(&self, kb: &Kb, rng: &mut Rng, f: FindingIx) -> bool {
        let p = if kb.finding(f).red_flag {
            self.red_flag_rate
        } else if self.hidden.is_some() {
            if self.lr(kb, f) >= 2.0 { 0.85 } else { 0.03 }
        } else {
            self.yes_rate
        };
        rng.chance(p)
    }

    fn answer(&self, kb: &Kb, rng: &mut Rng, q: &Question) -> Answer {
        if rng.chance(0.08) {
            return Answer::DontKnow;
        }
        match q.kind {
            AnswerKind::YesNo => {
                if self.yes(kb, rng, q.options[0]) {
                    Answer::Yes
                } else {
                    Answer::No
                }
            }
            AnswerKind::OneOf => {
                let pick = if self.hidden.is_some() && rng.chance(0.8) {
                    q.options
                        .iter()
                        .copied()
                        .max_by(|&a, &b| self.lr(kb, a).total_cmp(&self.lr(kb, b)).then(b.cmp(&a)))
                        .expect("options")
                } else {
                    q.options[rng.below(q.options.len())]
                };
                if kb.finding(pick).red_flag && !rng.chance(self.red_flag_rate) {
                    Answer::DontKnow
                } else {
                    Answer::Chosen(vec![pick])
                }
            }
            AnswerKind::AnyOf => Answer::Chosen(
                q.options
                    .iter()
                    .copied()
                    .filter(|&f| self.yes(kb, rng, f))
                    .collect(),
            ),
            AnswerKind::Number { min, max } => {
                Answer::Number(min + rng.below(usize::from(max - min) + 1) as u8)
            }
        }
    }
}

/// One seeded interview to the end.
fn run(
    kb: &Kb,
    index: &InterviewIndex,
    seed: u64,
    opener_from: &[FindingIx],
    mismatches: &mut Vec<String>,
) -> InterviewRecord {
    let mut rng = Rng(seed);
    let age = rng.below(101) as u8;
    let sex = if rng.chance(0.5) {
        Sex::Female
    } else {
        Sex::Male
    };
    let hidden = rng
        .chance(0.6)
        .then(|| ConditionIx(rng.below(kb.conditions.len()) as u16));
    let person = Person {
        hidden,
        yes_rate: [0.05, 0.15, 0.3][rng.below(3)],
        red_flag_rate: [0.0, 0.005, 0.03][rng.below(3)],
    };
    let count = rng.below(6);
    let mut opener: Vec<Observation> = (0..count)
        .map(|_| Observation {
            finding: opener_from[rng.below(opener_from.len())],
            present: rng.chance(0.75),
        })
        .collect();
    // A person with a hidden condition usually opens with its strongest ordinary finding.
    if let Some(c) = hidden
        && rng.chance(0.8)
        && let Some(l) = kb
            .condition(c)
            .likelihoods
            .iter()
            .filter(|l| !kb.finding(l.finding).red_flag)
            .max_by(|a, b| a.lr_pos.total_cmp(&b.lr_pos))
    {
        opener.push(Observation {
            finding: l.finding,
            present: true,
        });
    }
    let mut interview = Interview::new(age, sex, opener.clone());
    let mut asked = Vec::new();
    let (mut escalations, mut run_at_emergency) = (0, 0);
    loop {
        let step = interview.next(kb, index);
        if let Some(problem) = check_step(kb, index, &interview, &step) {
            mismatches.push(format!(
                "seed {seed:#x}, after {} answers: {problem}",
                interview.exchanges().len()
            ));
        }
        match step {
            Step::Ask {
                question,
                assessment,
            } => {
                if assessment.triage.level == TriageLevel::Emergency {
                    run_at_emergency += 1;
                    escalations = escalations.max(run_at_emergency);
                } else {
                    run_at_emergency = 0;
                }
                let answer = person.answer(kb, &mut rng, &question);
                asked.push(record_question(kb, &question, &answer));
                interview.answer(*question, answer).expect("a valid answer");
            }
            Step::Done { assessment, reason } => {
                return InterviewRecord {
                    seed,
                    age,
                    sex: format!("{sex:?}"),
                    hidden: hidden.map(|c| kb.condition(c).id.clone()),
                    opener: opener
                        .iter()
                        .map(|o| (kb.finding(o.finding).id.clone(), o.present))
                        .collect(),
                    asked,
                    escalations,
                    stop: reason.as_str().to_string(),
                    triage: assessment.triage.level.as_str().to_string(),
                };
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Equal but for gains within 1e-9 relative.
fn same(a: &InterviewRecord, b: &InterviewRecord) -> bool {
    let strip = |r: &InterviewRecord| {
        let mut r = r.clone();
        for q in &mut r.asked {
            q.gain = 0.0;
        }
        r
    };
    strip(a) == strip(b)
        && a.asked.len() == b.asked.len()
        && a.asked
            .iter()
            .zip(&b.asked)
            .all(|(x, y)| close(x.gain, y.gain))
}

/// With `DORSUM_INTERVIEW_RECORD=DIR`: write the sequences to `DIR/name` when absent, else compare.
fn record(name: &str, records: &[InterviewRecord]) {
    let Some(dir) = std::env::var_os("DORSUM_INTERVIEW_RECORD") else {
        return;
    };
    let path = PathBuf::from(dir).join(name);
    if !path.exists() {
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).expect("serialises"));
            text.push('\n');
        }
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("record directory");
        std::fs::write(&path, text).expect("record written");
        eprintln!(
            "{name}: recorded {} interviews in {}",
            records.len(),
            path.display()
        );
        return;
    }
    let text = std::fs::read_to_string(&path).expect("record readable");
    let expected: Vec<InterviewRecord> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("record line parses"))
        .collect();
    assert_eq!(expected.len(), records.len(), "{name}: interview count");
    let mut differ = 0;
    for (want, got) in expected.iter().zip(records) {
        if !same(want, got) {
            differ += 1;
            if differ <= 3 {
                let step = want
                    .asked
                    .iter()
                    .zip(&got.asked)
                    .position(|(a, b)| a != b)
                    .unwrap_or(want.asked.len().min(got.asked.len()));
                eprintln!(
                    "{name}: seed {:#x} differs at step {step}\n  want: {:?}\n  got:  {:?}\n  want stop {} {}, got stop {} {}",
                    want.seed,
                    want.asked.get(step),
                    got.asked.get(step),
                    want.stop,
                    want.triage,
                    got.stop,
                    got.triage
                );
            }
        }
    }
    assert_eq!(
        differ,
        0,
        "{name}: {differ} of {} interviews differ from {}",
        records.len(),
        path.display()
    );
    eprintln!(
        "{name}: {} interviews match {}",
        records.len(),
        path.display()
    );
}

fn report(name: &str, mismatches: &[String]) {
    for m in mismatches.iter().take(5) {
        eprintln!("{name}: {m}");
    }
    assert!(
        mismatches.is_empty(),
        "{name}: {} steps differ from the reference",
        mismatches.len()
    );
}

#[test]
fn real_kb_interviews_choose_as_the_reference() {
    let kb = dorsum_kb::embedded::load_embedded().expect("embedded knowledge base loads");
    let index = InterviewIndex::new(&kb);
    let all: Vec<FindingIx> = (0..kb.findings.len())
        .map(|i| FindingIx(i as u16))
        .collect();
    let mut mismatches = Vec::new();
    let records: Vec<InterviewRecord> = (0..(REAL_INTERVIEWS * scale()) as u64)
        .map(|i| run(&kb, &index, 0x5eed_0000 + i, &all, &mut mismatches))
        .collect();
    report("real", &mismatches);
    // The interviews must exercise every path: safety questions, information questions, each kind of
    // question, and the usual ways to stop.
    let asked: Vec<&AskRecord> = records.iter().flat_map(|r| &r.asked).collect();
    let raising = asked.iter().filter(|q| q.could_raise_to.is_some()).count();
    assert!(asked.len() >= 4_000, "only {} questions asked", asked.len());
    assert!(
        raising >= 1_000 && asked.len() - raising >= 500,
        "{raising} of {} raise",
        asked.len()
    );
    for kind in ["yes_no", "one_of", "any_of", "number 0..=10"] {
        assert!(asked.iter().any(|q| q.kind == kind), "no {kind} question");
    }
    for stop in ["emergency", "settled"] {
        assert!(
            records.iter().any(|r| r.stop == stop),
            "no interview stops {stop}"
        );
    }
    // At `emergency`, the ambulance questions: some interviews ask them, never more than the limit.
    assert!(
        records.iter().any(|r| r.escalations > 0),
        "no question asked at emergency"
    );
    assert!(records.iter().all(|r| r.escalations <= MAX_ESCALATION));
    record("interview_real.jsonl", &records);
}

fn synthetic_kb() -> Kb {
    let (text, _) = synthetic_kb::toml();
    dorsum_kb::load(&[KbFile {
        path: "synthetic.toml",
        text: &text,
    }])
    .unwrap_or_else(|p| panic!("synthetic kb does not load: {p:?}"))
}

/// Interviews on a synthetic knowledge base, openers from its common findings (places, durations, onsets
/// and the first few hundred others).
fn synthetic_interviews(name: &str, kb: &Kb, seed: u64, count: usize) -> Vec<InterviewRecord> {
    let index = InterviewIndex::new(kb);
    let common: Vec<FindingIx> = (0..300).map(FindingIx).collect();
    let mut mismatches = Vec::new();
    let records: Vec<InterviewRecord> = (0..count as u64)
        .map(|i| run(kb, &index, seed + i, &common, &mut mismatches))
        .collect();
    report(name, &mismatches);
    record(&format!("interview_{name}.jsonl"), &records);
    records
}

/// The synthetic knowledge base: nearly every question there is a safety question (hundreds of warning
/// signs), so the choice is among those that could raise the triage most.
#[test]
fn synthetic_kb_interviews_choose_as_the_reference() {
    let kb = synthetic_kb();
    let records = synthetic_interviews(
        "synthetic",
        &kb,
        0x5717_0000,
        SYNTHETIC_INTERVIEWS * scale(),
    );
    let asked: usize = records.iter().map(|r| r.asked.len()).sum();
    assert!(asked >= 60, "only {asked} questions asked");
}

/// The same knowledge base with no way to raise the triage (no rules, no threshold reachable): every
/// question is chosen by information gain alone, among all 600-odd candidates.
#[test]
fn synthetic_kb_information_questions_choose_as_the_reference() {
    let mut kb = synthetic_kb();
    kb.rules.clear();
    for c in &mut kb.conditions {
        c.threshold = 2.0;
    }
    let records = synthetic_interviews(
        "synthetic_information",
        &kb,
        0x1f0_0000,
        SYNTHETIC_INFORMATION_INTERVIEWS * scale(),
    );
    let asked: Vec<&AskRecord> = records.iter().flat_map(|r| &r.asked).collect();
    assert!(asked.len() >= 30, "only {} questions asked", asked.len());
    assert!(asked.iter().all(|q| q.could_raise_to.is_none()));
}
