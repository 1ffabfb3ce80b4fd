//! Next-question latency of the interview (issue 5): one step is one `Interview::next` call with the index
//! prebuilt, on the real knowledge base and on a synthetic one of 1,000 conditions × 5,000 findings
//! (`synthetic_kb`), at three points of an interview: the opener only, after 3 answers and after 8. Also the
//! one-off cost of building the `InterviewIndex` for each, and for comparison `assess` alone at the same
//! states (the part of a step that is not choosing the question).
//!
//! Nearly every question on the synthetic knowledge base is a safety question (it has hundreds of warning
//! signs), and then only the questions that could raise the triage most compete. The worst case for the
//! chooser is a step where nothing could raise the triage and every question competes on information gain:
//! `synthetic_no_rules` measures the same synthetic interview states on the synthetic knowledge base with
//! its rules removed and every threshold out of reach.
//!
//! ```sh
//! cargo bench -p dorsum-engine --bench next_question
//! ```
//!
//! The answers come from a simulated person with a hidden condition: "yes" to a finding whose LR+ for that
//! condition is 2 or more and that is not a warning sign, "no" otherwise (the interview therefore keeps
//! asking rather than stopping at an emergency). Results are recorded in `docs/BENCHMARKS.md`.

mod synthetic_kb;

use criterion::{Criterion, criterion_group, criterion_main};
use dorsum_engine::Observation;
use dorsum_engine::interview::{Answer, AnswerKind, Interview, InterviewIndex, Question, Step};
use dorsum_kb::{ConditionIx, FindingIx, Kb, KbFile, Sex, TriageLevel};
use std::hint::black_box;
use std::time::Instant;

/// The interview points measured: answers given before the measured `next`.
const POINTS: [usize; 3] = [0, 3, 8];

/// The simulated person's answer to `q`.
fn answer(kb: &Kb, hidden: ConditionIx, q: &Question) -> Answer {
    let lr = |f: FindingIx| {
        kb.condition(hidden)
            .likelihoods
            .iter()
            .find(|l| l.finding == f)
            .map_or(1.0, |l| l.lr_pos)
    };
    let yes = |f: FindingIx| lr(f) >= 2.0 && !kb.finding(f).red_flag;
    match q.kind {
        AnswerKind::YesNo => {
            if yes(q.options[0]) {
                Answer::Yes
            } else {
                Answer::No
            }
        }
        AnswerKind::OneOf => {
            // The option the hidden condition makes likeliest (ties: the first); never a warning sign.
            let pick = q
                .options
                .iter()
                .copied()
                .filter(|&f| !kb.finding(f).red_flag)
                .max_by(|&a, &b| lr(a).total_cmp(&lr(b)).then(b.cmp(&a)));
            Answer::Chosen(pick.into_iter().collect())
        }
        AnswerKind::AnyOf => {
            Answer::Chosen(q.options.iter().copied().filter(|&f| yes(f)).collect())
        }
        AnswerKind::Number { .. } => Answer::Number(5),
    }
}

/// Interviews after 0, 3 and 8 answers, each still asking; `None` when the simulated interview stops
/// before the last point.
fn states(
    kb: &Kb,
    index: &InterviewIndex,
    age: u8,
    sex: Sex,
    opener: &[Observation],
    hidden: ConditionIx,
) -> Option<Vec<Interview>> {
    let mut interview = Interview::new(age, sex, opener.to_vec());
    let mut out = Vec::new();
    for answered in 0..=POINTS[POINTS.len() - 1] {
        let Step::Ask { question, .. } = interview.next(kb, index) else {
            return None;
        };
        if POINTS.contains(&answered) {
            out.push(interview.clone());
        }
        let a = answer(kb, hidden, &question);
        interview.answer(*question, a).expect("valid answer");
    }
    Some(out)
}

/// A whole simulated interview, to report how many steps it takes and why it stops.
fn run_to_end(
    kb: &Kb,
    index: &InterviewIndex,
    interview: &Interview,
    hidden: ConditionIx,
) -> (usize, String) {
    let mut interview = interview.clone();
    loop {
        match interview.next(kb, index) {
            Step::Ask { question, .. } => {
                let a = answer(kb, hidden, &question);
                interview.answer(*question, a).expect("valid answer");
            }
            Step::Done { reason, .. } => {
                return (interview.exchanges().len(), reason.as_str().to_string());
            }
        }
    }
}

/// What one step could have to score: findings not yet reported or offered, and their likelihood ratios
/// (links; a chooser that scored everything would visit each), with how many of those link to a condition
/// below 1 in 10,000 (which add almost nothing to the information gain).
fn workload(kb: &Kb, index: &InterviewIndex, interview: &Interview) -> String {
    let evidence = interview.evidence(kb);
    let mut known = vec![false; kb.findings.len()];
    for o in &evidence.findings {
        known[o.finding.0 as usize] = true;
    }
    for e in interview.exchanges() {
        for f in &e.question.options {
            known[f.0 as usize] = true;
        }
    }
    let mut probability = vec![0.0; kb.conditions.len()];
    for rc in dorsum_engine::assess(kb, &evidence).conditions {
        probability[rc.condition.0 as usize] = rc.probability;
    }
    let (mut open, mut links, mut faint) = (0, 0, 0);
    for f in (0..kb.findings.len()).filter(|&f| !known[f]) {
        open += 1;
        for l in index.links(FindingIx(f as u16)) {
            links += 1;
            if probability[l.condition as usize] < 1e-4 {
                faint += 1;
            }
        }
    }
    let faint_conditions = probability.iter().filter(|&&p| p < 1e-4).count();
    format!(
        "{open} open findings, {links} links ({faint} to the {faint_conditions} conditions below 1e-4)"
    )
}

fn present(f: FindingIx) -> Observation {
    Observation {
        finding: f,
        present: true,
    }
}

struct Case {
    name: &'static str,
    kb: Kb,
    index: InterviewIndex,
    states: Vec<Interview>,
}

fn real_case() -> Case {
    let kb = dorsum_kb::embedded::load_embedded().expect("embedded kb loads");
    let index = InterviewIndex::new(&kb);
    let opener = [present(
        kb.finding_ix("loc_lower_back").expect("loc_lower_back"),
    )];
    let hidden = kb
        .condition_ix("nonspecific_low_back_pain")
        .expect("nonspecific_low_back_pain");
    let states = states(&kb, &index, 42, Sex::Female, &opener, hidden)
        .expect("real kb: the simulated interview asks at least 9 questions");
    let (steps, reason) = run_to_end(&kb, &index, &states[0], hidden);
    for (state, answered) in states.iter().zip(POINTS) {
        eprintln!("real kb after {answered}: {}", workload(&kb, &index, state));
    }
    eprintln!(
        "real kb: {} findings, {} conditions, {} likelihood ratios, {} rules, {} groups; opener loc_lower_back, \
         hidden nonspecific_low_back_pain: {steps} questions, then {reason}",
        kb.findings.len(),
        kb.conditions.len(),
        kb.conditions
            .iter()
            .map(|c| c.likelihoods.len())
            .sum::<usize>(),
        kb.rules.len(),
        kb.groups.len(),
    );
    Case {
        name: "real",
        kb,
        index,
        states,
    }
}

fn synthetic_case() -> Case {
    let started = Instant::now();
    let (text, shape) = synthetic_kb::toml();
    let generated = started.elapsed();
    let started = Instant::now();
    let kb = dorsum_kb::load(&[KbFile {
        path: "synthetic.toml",
        text: &text,
    }])
    .unwrap_or_else(|p| panic!("synthetic kb does not load: {p:?}"));
    let loaded = started.elapsed();
    eprintln!(
        "synthetic kb: {shape:?}; generated in {generated:.1?}, loaded and validated in {loaded:.1?}"
    );
    let index = InterviewIndex::new(&kb);
    // A person with lower back pain and an ordinary (self-care) condition: the first such condition, in
    // knowledge-base order, whose simulated interview is still asking after 8 answers.
    let lower_back = FindingIx(synthetic_kb::LOWER_BACK as u16);
    let mut tried = 0;
    for (ci, c) in kb.conditions.iter().enumerate() {
        if c.urgency != TriageLevel::SelfCare {
            continue;
        }
        tried += 1;
        let hidden = ConditionIx(ci as u16);
        // The opener: lower back pain and the condition's strongest ordinary finding.
        let strongest = c
            .likelihoods
            .iter()
            .filter(|l| !kb.finding(l.finding).red_flag && l.finding != lower_back)
            .max_by(|a, b| a.lr_pos.total_cmp(&b.lr_pos))
            .map(|l| l.finding)
            .expect("a finding");
        let opener = [present(lower_back), present(strongest)];
        if let Some(states) = states(&kb, &index, 42, Sex::Female, &opener, hidden) {
            let (steps, reason) = run_to_end(&kb, &index, &states[0], hidden);
            for (state, answered) in states.iter().zip(POINTS) {
                eprintln!(
                    "synthetic kb after {answered}: {}",
                    workload(&kb, &index, state)
                );
            }
            eprintln!(
                "synthetic kb: hidden condition {} (self-care conditions tried: {tried}); opener {} + {}: \
                 {steps} questions, then {reason}",
                c.id,
                kb.finding(lower_back).id,
                kb.finding(strongest).id
            );
            return Case {
                name: "synthetic",
                kb,
                index,
                states,
            };
        }
    }
    panic!("synthetic kb: no self-care condition gives 9 questions");
}

/// The synthetic case with no way to raise the triage: no rules, and no threshold reachable. Every step then
/// chooses among all the questions by information gain alone.
fn no_rules_case(synthetic: &Case) -> Case {
    let mut kb = synthetic.kb.clone();
    kb.rules.clear();
    for c in &mut kb.conditions {
        c.threshold = 2.0;
    }
    let index = InterviewIndex::new(&kb);
    for (state, answered) in synthetic.states.iter().zip(POINTS) {
        let step = match state.next(&kb, &index) {
            Step::Ask { question, .. } => format!(
                "asks {} options, gain {:.3}",
                question.options.len(),
                question.why.gain
            ),
            Step::Done { reason, .. } => format!("stops: {}", reason.as_str()),
        };
        eprintln!(
            "synthetic kb, no rules, after {answered}: {}; {step}",
            workload(&kb, &index, state)
        );
    }
    Case {
        name: "synthetic_no_rules",
        kb,
        index,
        states: synthetic.states.clone(),
    }
}

fn benches(c: &mut Criterion) {
    let synthetic = synthetic_case();
    let no_rules = no_rules_case(&synthetic);
    let cases = [real_case(), synthetic, no_rules];
    let mut group = c.benchmark_group("next_question");
    for case in &cases {
        for (state, answered) in case.states.iter().zip(POINTS) {
            group.bench_function(format!("{}/after_{answered}", case.name), |b| {
                b.iter(|| black_box(state).next(black_box(&case.kb), black_box(&case.index)))
            });
        }
    }
    group.finish();
    // For comparison: the assessment alone (what `next` computes before choosing a question), same states.
    let mut group = c.benchmark_group("assess");
    for case in &cases[..2] {
        for (state, answered) in case.states.iter().zip(POINTS) {
            let evidence = state.evidence(&case.kb);
            group.bench_function(format!("{}/after_{answered}", case.name), |b| {
                b.iter(|| dorsum_engine::assess(black_box(&case.kb), black_box(&evidence)))
            });
        }
    }
    group.finish();
    let mut group = c.benchmark_group("interview_index_new");
    for case in &cases[..2] {
        group.bench_function(case.name, |b| {
            b.iter(|| InterviewIndex::new(black_box(&case.kb)))
        });
    }
    group.finish();
}

criterion_group!(next_question, benches);
criterion_main!(next_question);
