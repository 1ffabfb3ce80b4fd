//! `dorsum report`, `dorsum export --fhir`, `dorsum diary psfs` and the PSFS suggestion after `dorsum check`,
//! through the real binary with a scratch store.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Scratch {
    dir: PathBuf,
    db: String,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dorsum-report-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("store.db").to_string_lossy().into_owned();
        Scratch { dir, db }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, "")
    }

    fn run_with(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dorsum"))
            .args(args)
            .env("DORSUM_DB", &self.db)
            .env_remove("DORSUM_DATABASE_URL")
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run dorsum");
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }

    /// Files in the folder other than the store (and its WAL files).
    fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("store.db"))
            .collect();
        v.sort();
        v
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        out(o),
        err(o)
    );
}

fn fails(o: &Output, message: &str) {
    assert_eq!(o.status.code(), Some(2), "{}{}", out(o), err(o));
    assert!(
        err(o).contains(message),
        "expected {message:?} in:\n{}",
        err(o)
    );
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A helper script: true when it ran, false when its tool is missing here (exit 3) outside CI.
fn script(name: &str, args: &[&str]) -> Option<Output> {
    let o = Command::new("bash")
        .arg(repo().join("scripts").join(name))
        .args(args)
        .output()
        .expect("run script");
    if o.status.code() == Some(3) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} could not run under CI=true: {}",
            err(&o)
        );
        eprintln!("SKIPPED: {name}: {}", err(&o).trim());
        return None;
    }
    Some(o)
}

#[test]
fn bad_input_gives_a_clear_message_and_never_a_file() {
    let s = Scratch::new("bad");
    // No assessment yet.
    let report = s.path("r.pdf");
    fails(
        &s.run(&["report", "--out", &report]),
        "no saved assessment yet",
    );
    fails(&s.run(&["report"]), "no saved assessment yet");
    fails(&s.run(&["export", "--fhir"]), "nothing to export yet");
    assert!(s.files().is_empty(), "{:?}", s.files());

    ok(&s.run(&[
        "assess",
        "--text",
        "my lower back aches since i lifted a box 3 days ago, pain 6/10",
        "--age",
        "38",
        "--sex",
        "female",
    ]));
    // A name that is neither .pdf nor .html, a missing folder, a folder, a place nobody may write.
    fails(
        &s.run(&["report", "--out", &s.path("r.docx")]),
        "the report is a .pdf or a .html file",
    );
    fails(
        &s.run(&["report", "--out", &s.path("missing/r.pdf")]),
        "does not exist",
    );
    let folder = s.path("folder.pdf");
    std::fs::create_dir(&folder).unwrap();
    fails(&s.run(&["report", "--out", &folder]), "it is a folder");
    std::fs::remove_dir(&folder).unwrap();
    fails(
        &s.run(&["export", "--fhir", "--out", &s.path("missing/b.json")]),
        "does not exist",
    );
    if Path::new("/proc/self").is_dir() {
        // Even root cannot create files in /proc: the write fails after the report is made.
        fails(
            &s.run(&["report", "--out", "/proc/dorsum-report.pdf"]),
            "cannot write",
        );
        assert!(!Path::new("/proc/dorsum-report.pdf").exists());
    }
    assert!(
        s.files().is_empty(),
        "no half-written or temp files: {:?}",
        s.files()
    );
    // --json and --fhir are one or the other; one is needed.
    assert_eq!(
        s.run(&["export", "--json", "--fhir"]).status.code(),
        Some(2)
    );
    assert_eq!(s.run(&["export"]).status.code(), Some(2));
}

#[test]
fn report_and_fhir_export_from_a_diary_story() {
    let s = Scratch::new("story");
    ok(&s.run(&[
        "assess",
        "--text",
        "my lower back aches since i lifted a box 3 days ago, pain 6/10, no fever",
        "--age",
        "38",
        "--sex",
        "female",
    ]));
    // An empty diary: the report is made, and says so.
    let html_path = s.path("report.html");
    let o = s.run(&["report", "--out", &html_path]);
    ok(&o);
    assert!(err(&o).contains("the pain diary is empty"), "{}", err(&o));
    assert!(out(&o).contains("Wrote the report (HTML)"));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("No pain diary entries yet"));

    ok(&s.run(&["diary", "add", "--pain", "5", "--sessions", "2"]));
    ok(&s.run(&[
        "diary",
        "peg",
        "--pain",
        "5",
        "--enjoyment",
        "4",
        "--activity",
        "6",
    ]));
    ok(&s.run(&[
        "diary",
        "psfs",
        "--activity",
        "walking the dog=4",
        "--activity",
        "sitting at work=6",
    ]));

    // HTML to stdout by default.
    let o = s.run(&["report"]);
    ok(&o);
    let html = out(&o);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("<dt>Age</dt><dd>38</dd>"));
    assert!(html.contains("my lower back aches since i lifted a box"));
    assert!(html.contains("walking the dog (4)"));
    assert!(
        html.contains("<strong>5.0</strong>"),
        "PEG and PSFS mean 5.0"
    );

    // The PDF, whole.
    let pdf_path = s.path("report.pdf");
    let o = s.run(&["report", "--out", &pdf_path]);
    ok(&o);
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf[pdf.len() - 16..]).contains("%%EOF"));
    if script("ensure_poppler.sh", &[]).is_some() {
        let text = Command::new("pdftotext")
            .args(["-layout", &pdf_path, "-"])
            .output()
            .unwrap();
        assert!(text.status.success());
        let text = out(&text).split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "Self-care at home",
            "(self_care)",
            "Absent, in their words: \"fever\"",
            "5/10",
            "Pain at the assessment",
            "6/10",
            "walking the dog (4)",
        ] {
            assert!(text.contains(needle), "{needle:?} not in:\n{text}");
        }
    }

    // FHIR to stdout and to a file; the file passes the official R4 schema.
    let o = s.run(&["export", "--fhir"]);
    ok(&o);
    let bundle: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let kinds: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap())
        .collect();
    for k in [
        "Patient",
        "Questionnaire",
        "QuestionnaireResponse",
        "Observation",
        "Condition",
    ] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    let file = s.path("bundle.json");
    let o = s.run(&["export", "--fhir", "--out", &file]);
    ok(&o);
    assert!(out(&o).contains("Exported a FHIR R4 bundle"));
    if let Some(v) = script("fhir_validate.sh", &[&file]) {
        assert!(v.status.success(), "{}{}", out(&v), err(&v));
    }
    // JSON export still works and now holds the PSFS.
    let o = s.run(&["export", "--json"]);
    ok(&o);
    let export: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(export["psfs"].as_array().unwrap().len(), 1);
    assert_eq!(
        s.files(),
        ["bundle.json", "report.html", "report.pdf"],
        "no temp files left"
    );
}

#[test]
fn diary_psfs_validates_before_saving_and_compares_with_the_first() {
    let s = Scratch::new("psfs");
    let count = || {
        let o = s.run(&["export", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["psfs"].as_array().unwrap().len()
    };
    for (bad, message) in [
        (vec!["diary", "psfs"], "give at least one activity"),
        (
            vec!["diary", "psfs", "--activity", "walking"],
            "needs a score",
        ),
        (
            vec!["diary", "psfs", "--activity", "walking=eleven"],
            "whole number",
        ),
        (
            vec!["diary", "psfs", "--activity", "walking=11"],
            "0 (unable) to 10",
        ),
        (vec!["diary", "psfs", "--activity", "=5"], "needs a name"),
        (
            vec![
                "diary",
                "psfs",
                "--activity",
                "walking=5",
                "--activity",
                "Walking=6",
            ],
            "repeats an earlier one",
        ),
        (
            vec![
                "diary",
                "psfs",
                "--activity",
                "a=1",
                "--activity",
                "b=1",
                "--activity",
                "c=1",
                "--activity",
                "d=1",
                "--activity",
                "e=1",
                "--activity",
                "f=1",
            ],
            "give 1 to 5 activities, not 6",
        ),
        (
            vec![
                "diary",
                "psfs",
                "--activity",
                "walking=5",
                "--date",
                "2999-01-01",
            ],
            "in the future",
        ),
    ] {
        fails(&s.run(&bad), message);
    }
    assert_eq!(count(), 0, "nothing saved by bad input");

    let o = s.run(&[
        "diary",
        "psfs",
        "--date",
        "2026-01-05",
        "--activity",
        "walking the dog=3",
        "--activity",
        "gardening = 4",
    ]);
    ok(&o);
    assert!(out(&o).contains("score 3.5"), "{}", out(&o));
    assert!(out(&o).contains("Stratford"));
    let o = s.run(&[
        "diary",
        "psfs",
        "--date",
        "2026-01-19",
        "--activity",
        "walking the dog=6",
        "--activity",
        "gardening=6",
    ]);
    ok(&o);
    assert!(out(&o).contains("score 6.0"), "{}", out(&o));
    assert!(
        out(&o).contains("Since 2026-01-05: 3.5 -> 6.0, better"),
        "{}",
        out(&o)
    );
    assert_eq!(count(), 2);
}

#[test]
fn check_suggests_the_psfs_after_a_home_care_result() {
    let s = Scratch::new("check");
    let mut script = String::from(
        "age: 41\nsex: female\ntext: dull ache in my lower back for two weeks after gardening\n",
    );
    script.push_str(&"none\n".repeat(20));
    let o = s.run_with(&["check", "--no-save"], &script);
    ok(&o);
    assert!(out(&o).contains("`dorsum diary psfs`"), "{}", out(&o));

    // Not after an emergency: that comes first (after at most three questions about an ambulance).
    let o = s.run_with(
        &["check", "--no-save"],
        "age: 60\nsex: male\ntext: since this morning i cant feel it when i wipe and i cant pee, low back pain\nnone\nnone\nnone\n",
    );
    ok(&o);
    assert!(out(&o).contains("STOP THE CHECK HERE"), "{}", out(&o));
    assert!(!out(&o).contains("dorsum diary psfs"), "{}", out(&o));
}
