//! `dorsum bench negex FILE`: negation detection on the NegEx annotated kit, with the same assertion code
//! the text intake uses (`dorsum_intake::is_negated`: the negation status whoever the words are about, as
//! the kit annotates it).

use anyhow::{Context, Result};
use dorsum_intake::is_negated;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Confusion counts with Negated as the positive class.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Confusion {
    fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 { 0.0 } else { a as f64 / b as f64 }
    }

    pub fn precision(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fn_)
    }

    pub fn specificity(&self) -> f64 {
        Self::ratio(self.tn, self.tn + self.fp)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn total(&self) -> usize {
        self.tp + self.fp + self.fn_ + self.tn
    }
}

/// One usable row of the kit.
struct Row {
    number: usize,
    sentence: String,
    span: (usize, usize),
    negated: bool,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parse the TSV: rows whose condition occurs in the sentence, and how many were skipped (odd, even).
fn rows(text: &str) -> (Vec<Row>, [usize; 2]) {
    let mut out = Vec::new();
    let mut skipped = [0, 0];
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let number: usize = cols[0].trim().parse().unwrap_or(0);
        let sentence = collapse(cols[2]);
        let condition = collapse(cols[1]).to_lowercase();
        match sentence.to_lowercase().find(&condition) {
            Some(start) if !condition.is_empty() => out.push(Row {
                number,
                span: (start, start + condition.len()),
                sentence,
                negated: cols[3].trim().eq_ignore_ascii_case("negated"),
            }),
            _ => skipped[number % 2] += 1,
        }
    }
    (out, skipped)
}

pub fn negex(file: &Path, show_misses: bool) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the NegEx kit at {}", file.display()))?;
    let (rows, skipped) = rows(&text);
    // Five timed passes over all rows; the median pass is the speed (the first also warms caches).
    let mut predicted = Vec::new();
    let mut passes: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            predicted = rows
                .iter()
                .map(|r| is_negated(&r.sentence, r.span.0, r.span.1))
                .collect();
            started.elapsed().as_secs_f64()
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    let seconds = passes[passes.len() / 2];
    let (mut odd, mut even, mut all) = (
        Confusion::default(),
        Confusion::default(),
        Confusion::default(),
    );
    for (row, &p) in rows.iter().zip(&predicted) {
        if row.number % 2 == 1 {
            &mut odd
        } else {
            &mut even
        }
        .add(row.negated, p);
        all.add(row.negated, p);
    }
    let per_second = rows.len() as f64 / seconds.max(1e-9);
    if show_misses {
        // Development rows only: the even rows stay unseen.
        for (row, &p) in rows.iter().zip(&predicted) {
            if row.number % 2 == 1 && row.negated != p {
                let (s, e) = row.span;
                println!(
                    "MISS {} gold={} [{}] {}",
                    row.number,
                    if row.negated { "negated" } else { "affirmed" },
                    &row.sentence[s..e],
                    row.sentence
                );
            }
        }
    }
    for (name, c, skip) in [
        ("odd rows", odd, skipped[1]),
        ("even rows", even, skipped[0]),
        ("all rows", all, skipped[0] + skipped[1]),
    ] {
        println!(
            "{name}: rows={} skipped={skip} precision={:.3} recall={:.3} specificity={:.3} f1={:.3}",
            c.total(),
            c.precision(),
            c.recall(),
            c.specificity(),
            c.f1()
        );
    }
    println!(
        "speed: {} sentences in {:.1} ms, single-threaded",
        rows.len(),
        seconds * 1000.0
    );
    println!(
        "SUMMARY f1={:.3} precision={:.3} recall={:.3} sentences_per_s={:.0}",
        all.f1(),
        all.precision(),
        all.recall(),
        per_second
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_and_row_parsing() {
        let c = Confusion {
            tp: 8,
            fp: 2,
            fn_: 2,
            tn: 88,
        };
        assert!((c.precision() - 0.8).abs() < 1e-12);
        assert!((c.recall() - 0.8).abs() < 1e-12);
        assert!((c.f1() - 0.8).abs() < 1e-12);
        assert!((c.specificity() - 88.0 / 90.0).abs() < 1e-12);
        let tsv =
            "h\n1\tEDEMA\tNo  peripheral edema.\tNegated\n2\tcough\tNothing here.\tAffirmed\n";
        let (rows, skipped) = rows(tsv);
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0].sentence[rows[0].span.0..rows[0].span.1], "edema");
        assert!(rows[0].negated);
        assert_eq!(skipped, [1, 0]);
    }
}
