//! Table-driven test: sentences written the way patients talk, each with the findings and assertions a
//! careful reader is sure of (`expect`) and findings that must not be read as present (`absent`).
//! Data: `tests/data/patient_sentences.jsonl`.

use dorsum_intake::{Assertion, PhraseIntake, TextIntake};
use dorsum_kb::Kb;

/// Sentences still misread when this ratchet was last lowered (2026-11-23: 12 of 351; before that 32 of
/// 299). Most that remain need one phrase to report two findings ("no fall or injury": minor and major
/// trauma) or a phrase inside a longer one ("stiff" in "stiff every morning").
const MAX_MISREAD: usize = 12;

fn parse_line(line: &str) -> (String, Vec<(String, String)>, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
    let text = v["text"].as_str().unwrap().to_string();
    let expect = v["expect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let absent = v["absent"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    (text, expect, absent)
}

fn check(kb: &Kb, intake: &PhraseIntake, line: &str) -> Option<String> {
    let (text, expect, absent) = parse_line(line);
    let found: Vec<(String, &str)> = intake
        .read(&text)
        .iter()
        .map(|m| (kb.finding(m.finding).id.clone(), m.assertion.as_str()))
        .collect();
    let mut problems = Vec::new();
    for (id, assertion) in &expect {
        if !found.iter().any(|(f, a)| f == id && a == assertion) {
            problems.push(format!("missing {id}={assertion}"));
        }
    }
    for id in &absent {
        if found
            .iter()
            .any(|(f, a)| f == id && *a == Assertion::Affirmed.as_str())
        {
            problems.push(format!("wrongly affirmed {id}"));
        }
    }
    (!problems.is_empty()).then(|| format!("{text:?}: {} (found {found:?})", problems.join(", ")))
}

#[test]
fn patient_sentences() {
    let kb = dorsum_kb::embedded::load_embedded().expect("built-in knowledge base");
    let intake = PhraseIntake::new(&kb);
    let data = include_str!("data/patient_sentences.jsonl");
    let lines: Vec<&str> = data.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 150, "at least 150 sentences");
    let failures: Vec<String> = lines
        .iter()
        .filter_map(|l| check(&kb, &intake, l))
        .collect();
    println!(
        "{} of {} sentences misread:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
    // A ratchet while the free-text parser is being built: the count may only go down. Lower it whenever a
    // change fixes sentences; the goal is zero.
    assert!(
        failures.len() <= MAX_MISREAD,
        "{} of {} sentences misread (at most {MAX_MISREAD} allowed):\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
}
