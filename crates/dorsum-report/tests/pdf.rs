//! The PDF, read back by another implementation: poppler's pdftotext finds the facts, pdftoppm renders
//! every page (to target/report-pages/, to look at). poppler-utils is installed by
//! scripts/ensure_poppler.sh when missing; without it the poppler checks are skipped with a message, except
//! under CI=true.

mod common;

use common::{Story, clock, kb};
use dorsum_report::{Report, ReportInput};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// True when poppler-utils is there (installing it if it can); false means skip.
fn poppler() -> bool {
    let status = Command::new("bash")
        .arg(repo().join("scripts/ensure_poppler.sh"))
        .status()
        .expect("run scripts/ensure_poppler.sh");
    if status.success() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "poppler-utils is needed under CI=true (scripts/ensure_poppler.sh failed)"
    );
    eprintln!("SKIPPED: poppler-utils is not installed and cannot be installed here");
    false
}

fn pdf_of(story: &Story) -> Vec<u8> {
    let plan = story.plan();
    let clock = clock();
    Report::build(&ReportInput {
        kb: kb(),
        records: story.records(),
        plan: Some(&plan),
        clock: &clock,
    })
    .unwrap()
    .to_pdf()
}

/// Write the PDF under target/report-pages/NAME/, render every page there, return (text, pages, dir).
fn poppler_read(name: &str, pdf: &[u8]) -> (String, usize, PathBuf) {
    let dir = repo().join("target/report-pages").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success(), "pdftotext failed: {:?}", text);
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    assert!(info.status.success(), "pdfinfo failed: {:?}", info);
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    let render = Command::new("pdftoppm")
        .args(["-r", "80", "-png"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
        .unwrap();
    assert!(render.status.success(), "pdftoppm failed: {:?}", render);
    let pngs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert_eq!(pngs.len(), pages, "one image per page");
    for png in &pngs {
        let bytes = std::fs::read(png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000,
            "{png:?}"
        );
    }
    (String::from_utf8(text.stdout).unwrap(), pages, dir)
}

/// Collapse runs of whitespace so phrases can be found across layout gaps.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_is_a_whole_pdf_without_poppler_too() {
    let pdf = pdf_of(&Story::interview());
    assert!(pdf.starts_with(b"%PDF-"));
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(32)..]).into_owned();
    assert!(tail.contains("%%EOF"), "{tail}");
    // Base-14 fonts: nothing embedded.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("/Helvetica"));
    assert!(!raw.contains("/FontFile"));
}

#[test]
fn pdftotext_finds_triage_red_flag_answers_and_pain_scores() {
    if !poppler() {
        return;
    }
    let (text, pages, dir) = poppler_read("interview", &pdf_of(&Story::interview()));
    let flat = squash(&text);
    assert!(pages <= 2, "one or two pages, not {pages} (see {dir:?})");
    for needle in [
        "Back pain report for the clinician",
        "Age 52",
        "Sex female",
        "My lower back has ached for 3 weeks since gardening",
        "(consultation)",
        "Red flags asked and answered",
        "None of these",
        "Yes: Numbness",
        "Don't know",
        "Absent, in their words: \"fever\"",
        "No: Weakness in a leg",
        "Non-specific low back pain",
        "M54.5",
        "Pain at the assessment (2026-03-02): 6/10",
        "2026-03-19 2/10",
        "2026-03-03 6/10",
        "PEG score",
        "walking the dog (6)",
        "14 of",
        "What Dorsum is and is not",
        "Page 1 of",
    ] {
        assert!(flat.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    eprintln!("rendered {pages} page(s) to {}", dir.display());
}

#[test]
fn an_emergency_pdf_shows_the_fired_red_flag_and_no_plan() {
    if !poppler() {
        return;
    }
    let (text, pages, _) = poppler_read("emergency", &pdf_of(&Story::emergency()));
    let flat = squash(&text);
    assert!(pages <= 2);
    for needle in [
        "Emergency: go to the emergency department now (emergency)",
        "Red-flag rules that fired",
        "cauda equina",
        "Present, in their words: \"can't pee\"",
        "No pain diary entries yet",
        "No home exercise plan",
        "Pain at the assessment (2026-03-19): 8/10",
    ] {
        assert!(flat.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
}

#[test]
fn pdf_text_survives_special_characters() {
    if !poppler() {
        return;
    }
    let mut story = Story::interview();
    let mut v: serde_json::Value = serde_json::from_str(common::INTERVIEW).unwrap();
    v["text"] = "Pain (left side) \\ right, 50% worse – “sharp” ≥ 7 café 痛".into();
    v["findings"] = serde_json::json!([]);
    story.assessments[0].result_json = v.to_string();
    let (text, _, _) = poppler_read("special", &pdf_of(&story));
    assert!(
        squash(&text).contains("Pain (left side) \\ right, 50% worse – “sharp” >= 7 café ?"),
        "{text}"
    );
}

#[test]
fn a_long_diary_flows_onto_pages_with_the_header_repeated() {
    if !poppler() {
        return;
    }
    let mut story = Story::interview();
    let long = "a much longer complaint that goes on ".repeat(60);
    let mut v: serde_json::Value = serde_json::from_str(common::INTERVIEW).unwrap();
    v["text"] = long.clone().into();
    story.assessments[0].result_json = v.to_string();
    story.diary = (1..=28)
        .map(|d| common::diary(d, &format!("2026-02-{d:02}"), (d % 11) as i64, 1))
        .collect();
    let (text, pages, _) = poppler_read("long", &pdf_of(&story));
    assert!(pages >= 2);
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    // Only the latest fortnight is tabled.
    assert!(squash(&text).contains("2026-02-28 6/10"));
    assert!(!squash(&text).contains("2026-02-01 1/10"));
}
