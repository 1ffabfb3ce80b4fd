//! Negation benchmark on the public NegEx annotated kit (Chapman et al. 2001).
//!
//! `cargo run --release -p dorsum-intake --example negex -- [PATH]` (default
//! `../shared/benchmarks/negex/rsAnnotations-1-120-random.txt`). For each row the condition is found in
//! the sentence case-insensitively after collapsing whitespace (first occurrence; rows where it is absent
//! are skipped), and the intake's clause-level assertion for that span is compared with the gold
//! Negated/Affirmed label. Odd and even rows are reported separately (develop on odd rows only).

use dorsum_intake::{Assertion, assertion_of};
use std::time::Instant;

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
    skipped: usize,
}

impl Score {
    fn line(&self, name: &str) -> String {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        let n = self.tp + self.fp + self.fn_ + self.tn;
        format!(
            "{name}: rows={n} skipped={} precision={p:.3} recall={r:.3} F1={f1:.3} accuracy={:.3}",
            self.skipped,
            (self.tp + self.tn) as f64 / n.max(1) as f64
        )
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/benchmarks/negex/rsAnnotations-1-120-random.txt".into());
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut odd = Score::default();
    let mut even = Score::default();
    let mut cases = Vec::new();
    for line in data.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let row: usize = cols[0].trim().parse().unwrap_or(0);
        let score = if row % 2 == 1 { &mut odd } else { &mut even };
        let sentence = collapse(cols[2]);
        let condition = collapse(cols[1]).to_lowercase();
        let Some(start) = sentence.to_lowercase().find(&condition) else {
            score.skipped += 1;
            continue;
        };
        cases.push((
            row,
            sentence,
            start,
            start + condition.len(),
            cols[3].trim() == "Negated",
        ));
    }
    let started = Instant::now();
    let predictions: Vec<bool> = cases
        .iter()
        .map(|(_, s, a, b, _)| assertion_of(s, *a, *b) == Assertion::Negated)
        .collect();
    let elapsed = started.elapsed();
    for ((row, _, _, _, gold), predicted) in cases.iter().zip(&predictions) {
        let score = if row % 2 == 1 { &mut odd } else { &mut even };
        match (gold, predicted) {
            (true, true) => score.tp += 1,
            (false, true) => score.fp += 1,
            (true, false) => score.fn_ += 1,
            (false, false) => score.tn += 1,
        }
    }
    println!("{}", odd.line("odd rows"));
    println!("{}", even.line("even rows"));
    println!(
        "speed: {} sentences in {:.1} ms = {:.0} sentences/s",
        cases.len(),
        elapsed.as_secs_f64() * 1000.0,
        cases.len() as f64 / elapsed.as_secs_f64()
    );
}
