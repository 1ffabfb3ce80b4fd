//! Clinical floors (BRIEF §6) on both vignette sets, through the real binary, and coverage: every condition
//! in the knowledge base leads at least one case written for it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn summary(file: &str) -> BTreeMap<String, f64> {
    let out = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(["eval", &repo(file)])
        .output()
        .expect("run dorsum eval");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    println!("{file}:\n{text}");
    let last = text.lines().last().expect("output");
    last.strip_prefix("SUMMARY ")
        .expect("SUMMARY line last")
        .split(' ')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

fn assert_floors(file: &str) {
    let s = summary(file);
    assert!(s["triage"] >= 80.0, "{file}: triage {} < 80", s["triage"]);
    assert_no_emergency_under_triaged(file);
    assert!(s["under"] <= 5.0, "{file}: under-triage {} > 5", s["under"]);
    assert!(s["top3"] >= 75.0, "{file}: top-3 {} < 75", s["top3"]);
    assert!(s["region"] >= 90.0, "{file}: region {} < 90", s["region"]);
}

const LEVELS: [&str; 5] = [
    "self_care",
    "consultation",
    "consultation_24",
    "emergency",
    "emergency_ambulance",
];

fn rank(level: &str) -> usize {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .expect("known level")
}

/// Run the cases through `assess --jsonl`, paired with their gold lines.
fn results(file: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    let input = std::fs::read_to_string(repo(file)).unwrap();
    let gold: Vec<serde_json::Value> = input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(["assess", "--jsonl"])
        .stdin(std::fs::File::open(repo(file)).unwrap())
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let results: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), gold.len());
    gold.into_iter().zip(results).collect()
}

/// BRIEF §6: no case whose preferred level is an emergency may be less urgent than every acceptable level.
fn assert_no_emergency_under_triaged(file: &str) {
    for (gold, result) in results(file) {
        let acceptable: Vec<usize> = gold["triage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| rank(l.as_str().unwrap()))
            .collect();
        if acceptable[0] < rank("emergency") {
            continue;
        }
        let given = rank(result["triage"]["level"].as_str().unwrap());
        assert!(
            acceptable.iter().any(|&a| given >= a),
            "{file}: emergency case {} under-triaged as {}",
            gold["id"],
            LEVELS[given]
        );
    }
}

#[test]
fn dev_set_meets_the_floors() {
    assert_floors("tests/vignettes/dev.jsonl");
}

#[test]
fn own_set_meets_the_floors() {
    assert_floors("tests/vignettes/own.jsonl");
}

#[test]
fn holdout_set_meets_the_floors() {
    assert_floors("tests/vignettes/holdout.jsonl");
}

/// True when a code of the condition matches an expected code (BRIEF §6 rule).
fn matches(predicted: &str, expected: &str) -> bool {
    predicted == expected
        || predicted.starts_with(expected)
        || (predicted.len() > 3 && expected.starts_with(predicted))
}

/// Every condition in the knowledge base leads (ranks first on) at least one case written for it: a case of
/// `tests/vignettes/conditions.jsonl` naming it, or a case of `own.jsonl` whose codes it matches.
#[test]
fn every_condition_leads_a_case_written_for_it() {
    let kb = dorsum_kb::embedded::load_embedded().expect("built-in knowledge base");
    let all: BTreeSet<String> = kb.conditions.iter().map(|c| c.id.clone()).collect();
    let mut led = BTreeSet::new();
    for (gold, result) in results("tests/vignettes/conditions.jsonl") {
        if result["conditions"][0]["id"] == gold["condition"] {
            led.insert(gold["condition"].as_str().unwrap().to_string());
        }
    }
    for (gold, result) in results("tests/vignettes/own.jsonl") {
        let top = &result["conditions"][0];
        let written_for_it = top["icd10"].as_array().unwrap().iter().any(|p| {
            gold["conditions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| matches(p.as_str().unwrap(), e.as_str().unwrap()))
        });
        if written_for_it {
            led.insert(top["id"].as_str().unwrap().to_string());
        }
    }
    let missing: Vec<&String> = all.difference(&led).collect();
    assert!(
        missing.is_empty(),
        "conditions that lead no case written for them: {missing:?}"
    );
}
