//! Drive the real `dorsum` binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn dorsum(args: &[&str], stdin: Option<&str>) -> Output {
    dorsum_with_db(args, stdin, &scratch_db())
}

/// A store file of this test process's own, so tests never touch the user's data.
fn scratch_db() -> String {
    let dir = std::env::temp_dir().join(format!("dorsum-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("shared.db").to_string_lossy().into_owned()
}

fn dorsum_with_db(args: &[&str], stdin: Option<&str>, db: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(args)
        .env("DORSUM_DB", db)
        .env_remove("DORSUM_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dorsum");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn jsonl_answers_every_line_in_order_and_reports_bad_ones() {
    let long = "a".repeat(10_001);
    let input = [
        r#"{"id": "ok1", "age": 30, "sex": "male", "text": "Hurt my lower back lifting boxes yesterday, no leg pain"}"#.to_string(),
        String::new(),
        "this is not json".to_string(),
        r#"{"id": "old", "age": 150, "sex": "female", "text": "back pain"}"#.to_string(),
        r#"{"id": 7, "age": 40, "sex": "x", "text": "back pain"}"#.to_string(),
        r#"{"id": "empty", "age": 40, "sex": "female", "text": "   "}"#.to_string(),
        format!(r#"{{"id": "long", "age": 40, "sex": "female", "text": "{long}"}}"#),
        r#"{"age": 40, "sex": "female"}"#.to_string(),
        r#"[1, 2]"#.to_string(),
        r#"{"id": "ok2", "age": 67, "sex": "female", "text": "Crushing pain between my shoulder blades going into my left arm, I am sweating and feel sick", "extra": true}"#.to_string(),
    ]
    .join("\n");
    let out = dorsum(&["assess", "--jsonl"], Some(&input));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 9, "one line per non-blank input line");

    let ok = &lines[0];
    assert_eq!(ok["schema"], 1);
    assert_eq!(ok["id"], "ok1");
    assert_eq!(ok["triage"]["level"], "self_care");
    assert_eq!(ok["region"], "lower");
    assert!(ok["kb_version"].as_str().unwrap().contains('+'));
    assert!(ok["conditions"][0]["probability"].as_f64().unwrap() > 0.0);
    assert!(
        ok["conditions"][0]["icd10"][0]
            .as_str()
            .unwrap()
            .contains('.')
    );
    let finding = ok["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "rad_leg_below_knee")
        .expect("leg pain understood");
    assert_eq!(finding["present"], false);
    assert_eq!(finding["assertion"], "negated");
    let span = finding["span"].as_array().unwrap();
    let text = ok["text"].as_str().unwrap();
    let quoted = &text[span[0].as_u64().unwrap() as usize..span[1].as_u64().unwrap() as usize];
    assert!(quoted.ends_with("leg pain"), "{quoted}");

    let err = |i: usize, line: u64, field: Option<&str>| {
        let e = &lines[i];
        assert_eq!(e["line"], line, "{e}");
        match field {
            Some(f) => assert_eq!(e["error"]["field"], f, "{e}"),
            None => assert!(e["error"]["field"].is_null(), "{e}"),
        }
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
        e
    };
    assert!(err(1, 3, None)["id"].is_null());
    assert_eq!(err(2, 4, Some("age"))["id"], "old");
    assert_eq!(err(3, 5, Some("sex"))["id"], 7);
    err(4, 6, Some("text"));
    assert!(
        err(5, 7, Some("text"))["error"]["message"]
            .as_str()
            .unwrap()
            .contains("10000")
    );
    assert!(err(6, 8, Some("text"))["id"].is_null());
    err(7, 9, None);

    let acs = &lines[8];
    assert_eq!(acs["id"], "ok2");
    assert_eq!(acs["triage"]["level"], "emergency_ambulance");
    assert!(!acs["red_flags"].as_array().unwrap().is_empty());
    assert!(acs["self_care"].is_null());
}

#[test]
fn assess_text_puts_what_to_do_first() {
    let out = dorsum(
        &[
            "assess",
            "--text",
            "Sudden ripping pain in my mid back going into my stomach",
            "--age",
            "66",
            "--sex",
            "male",
        ],
        None,
    );
    assert!(out.status.success());
    let s = stdout(&out);
    assert!(
        s.starts_with("EMERGENCY - CALL AN AMBULANCE NOW\nCall an ambulance now"),
        "{s}"
    );
    assert!(s.contains("Likely causes"));
    assert!(
        s.contains("Aortic dissection") || s.contains("aortic dissection"),
        "{s}"
    );

    let out = dorsum(
        &[
            "assess",
            "--text",
            "stiff lower back after sitting all day at my desk",
            "--age",
            "31",
            "--sex",
            "female",
            "--format",
            "json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["triage"]["level"], "self_care");
    assert_eq!(v["age"], 31);
    assert_eq!(v["sex"], "female");
    let n = v["self_care"]["exercises"].as_array().unwrap().len();
    assert!((3..=5).contains(&n), "{n} exercises");
}

#[test]
fn assess_text_rejects_bad_input_with_a_fix() {
    let out = dorsum(
        &[
            "assess",
            "--text",
            "back pain",
            "--age",
            "200",
            "--sex",
            "male",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--age") && err.contains("0 to 120"), "{err}");
    let out = dorsum(&["assess", "--text", "back pain", "--age", "40"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("female or male"));
    let out = dorsum(
        &["assess", "--text", "", "--age", "40", "--sex", "male"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn kb_check_passes_on_the_repository_and_fails_on_a_broken_fixture() {
    let out = dorsum(&["kb", "check", &repo("kb")], None);
    let s = stdout(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("\nparameters: "), "{s}");
    assert!(s.contains(" published, "), "{s}");
    assert!(s.trim_end().ends_with("\n0 errors, 0 warnings"), "{s}");

    let dir = format!("{}/tests/fixtures/broken_kb", env!("CARGO_MANIFEST_DIR"));
    let out = dorsum(&["kb", "check", &dir], None);
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    assert!(
        s.contains(
            "kb.toml:17: error: rule 'missing_finding' names unknown finding 'no_such_finding'"
        ),
        "{s}"
    );
    assert!(
        s.contains("kb.toml:25: error: rule 'uncited': missing citation"),
        "{s}"
    );
    assert!(s.contains("2 errors"), "{s}");
}

#[test]
fn eval_ends_with_the_summary_line() {
    let out = dorsum(&["eval", &repo("tests/vignettes/dev.jsonl")], None);
    assert!(out.status.success());
    let s = stdout(&out);
    let last = s.lines().last().unwrap();
    let re = last.strip_prefix("SUMMARY triage=").expect("summary line");
    for key in [" under=", " emerg_sens=", " top3=", " region="] {
        assert!(re.contains(key), "{last}");
    }
    assert!(!last.contains('%'));
}

#[test]
fn parse_shows_findings_with_spans_and_assertions() {
    let text =
        "No fever, chills or weight loss. Sharp pain in my lower back since yesterday, temp 38.4";
    let out = dorsum(&["parse", "--text", text, "--format", "json"], None);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = f["span"][0].as_u64().unwrap() as usize;
            let e = f["span"][1].as_u64().unwrap() as usize;
            (
                f["id"].as_str().unwrap().to_string(),
                f["assertion"].as_str().unwrap().to_string(),
                text[s..e].to_string(),
            )
        })
        .collect();
    let has = |id: &str, a: &str, q: &str| found.iter().any(|f| f.0 == id && f.1 == a && f.2 == q);
    assert!(has("weight_loss", "negated", "weight loss"), "{found:?}");
    assert!(has("rigors", "negated", "chills"), "{found:?}");
    assert!(has("loc_lower_back", "affirmed", "lower back"), "{found:?}");
    assert!(has("fever", "affirmed", "38.4"), "{found:?}");
    assert!(
        has("duration_days", "affirmed", "since yesterday")
            || has("duration_days", "affirmed", "yesterday"),
        "{found:?}"
    );
    let out = dorsum(&["parse", "--text", text], None);
    assert!(stdout(&out).contains("negated"));
}

#[test]
fn check_reads_scripted_answers_and_saves_json_and_markdown() {
    let dir = std::env::temp_dir().join(format!("dorsum-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let answers = dir.join("answers.txt");
    let mut script = String::from(
        "# a scripted interview\nage: 41\nsex: female\ntext: dull ache in my lower back for two weeks after gardening\n",
    );
    script.push_str(&"none\n".repeat(20));
    std::fs::write(&answers, script).unwrap();
    let (json, md) = (dir.join("r.json"), dir.join("r.md"));
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let out = dorsum(
        &[
            "check",
            "--no-save",
            "--answers",
            &path(&answers),
            "--save-json",
            &path(&json),
            "--save-markdown",
            &path(&md),
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Question 1 ["), "{stdout}");
    assert!(stdout.contains("Why am I asked this?"), "{stdout}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["age"], 41);
    assert_eq!(v["region"], "lower");
    let questions = v["interview"]["questions"].as_array().unwrap();
    assert!(!questions.is_empty() && questions.len() <= 20);
    assert!(
        questions
            .iter()
            .all(|q| q["answer"] == "none" || q["answer"] == "no")
    );
    // Negative answers become absent findings with no span.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["present"] == false && f["span"].is_null())
    );
    assert!(["self_care", "consultation"].contains(&v["triage"]["level"].as_str().unwrap()));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# Dorsum result"), "{md}");
    assert!(md.contains("## Likely causes"), "{md}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_says_when_the_script_runs_out_or_does_not_fit() {
    let out = dorsum(
        &["check", "--no-save"],
        Some("age: 30\nsex: male\ntext: upper back ache\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ran out of answers at question 1"), "{err}");
    let out = dorsum(
        &["check", "--no-save"],
        Some("age: 30\nsex: male\ntext: upper back ache\nmaybe\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not answer"), "{err}");
    let out = dorsum(
        &["check", "--no-save"],
        Some("age: 300\nsex: male\ntext: upper back ache\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("age"));
}

#[test]
fn eval_interview_prints_both_runs_and_the_summary_line() {
    let out = dorsum(
        &["eval", "--interview", &repo("tests/vignettes/dev.jsonl")],
        None,
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with("FULLTEXT triage=")),
        "{stdout}"
    );
    let last = lines.last().unwrap();
    let keys: Vec<&str> = last
        .split_whitespace()
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "SUMMARY",
            "triage",
            "under",
            "emerg_sens",
            "top3",
            "region",
            "questions_median",
            "questions_p90"
        ]
    );
}

#[test]
fn diary_story_saves_plans_charts_exports_and_deletes() {
    let dir = std::env::temp_dir().join(format!("dorsum-diary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("story.db").to_string_lossy().into_owned();
    let run = |args: &[&str]| dorsum_with_db(args, None, &db);
    let err = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // No assessment yet: the plan says what to do first; the diary still takes entries.
    let out = run(&["plan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err(&out).contains("no saved assessment yet"),
        "{}",
        err(&out)
    );
    let out = run(&["diary", "add", "--pain", "6"]);
    assert!(out.status.success(), "{}", err(&out));
    assert!(
        stdout(&out).contains("Needs an assessment first"),
        "{}",
        stdout(&out)
    );

    // assess --text saves; the plan follows from it.
    let out = run(&[
        "assess",
        "--text",
        "my lower back aches since i lifted a box 3 days ago, pain 6/10",
        "--age",
        "38",
        "--sex",
        "female",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    assert!(err(&out).contains("Saved as"), "{}", err(&out));
    let out = run(&["plan", "--format", "json"]);
    assert!(out.status.success(), "{}", err(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["outcome"], "plan");
    assert_eq!(plan["weeks"], 6);
    assert_eq!(plan["region"], "lower");
    assert_eq!(plan["phases"].as_array().unwrap().len(), 4);
    assert!(!plan["habits"].as_array().unwrap().is_empty());
    let text = stdout(&run(&["plan"]));
    assert!(
        text.contains("Settle the pain") && text.contains("Build strength"),
        "{text}"
    );

    // Bad input changes nothing.
    for bad in [
        vec!["diary", "add", "--pain", "11"],
        vec!["diary", "add", "--pain", "-1"],
        vec!["diary", "add", "--pain", "3", "--date", "2999-01-01"],
        vec!["diary", "add", "--pain", "3", "--date", "yesterday"],
        vec!["diary", "add", "--pain", "3", "--where", "knee"],
        vec!["diary", "add", "--pain", "3", "--exercise", "flying_kick"],
        vec![
            "diary",
            "peg",
            "--pain",
            "3",
            "--enjoyment",
            "12",
            "--activity",
            "1",
        ],
    ] {
        let out = run(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!err(&out).is_empty());
    }
    let out = run(&[
        "diary",
        "add",
        "--pain",
        "4",
        "--sessions",
        "1",
        "--where",
        "lower",
        "--exercise",
        "glute_bridge",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    assert!(
        stdout(&out).contains("Carry on with your plan"),
        "{}",
        stdout(&out)
    );

    // A new red flag in the symptoms re-triages at once.
    let out = run(&[
        "diary",
        "add",
        "--pain",
        "5",
        "--symptoms",
        "since this morning i cant feel it when i wipe and i cant pee",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    let s = stdout(&out);
    assert!(s.contains("EMERGENCY"), "{s}");
    assert!(s.contains("ASSESS AGAIN NOW"), "{s}");

    let out = run(&[
        "diary",
        "peg",
        "--pain",
        "5",
        "--enjoyment",
        "4",
        "--activity",
        "6",
    ]);
    assert!(out.status.success(), "{}", err(&out));
    assert!(stdout(&out).contains("score 5.0"), "{}", stdout(&out));
    let list = stdout(&run(&["diary", "list"]));
    assert_eq!(list.matches("pain ").count(), 4, "{list}");
    assert!(list.contains("PEG 5.0"), "{list}");
    assert!(list.contains("Exercises done: glute_bridge"), "{list}");

    let svg_path = dir.join("chart.svg");
    let out = run(&["diary", "chart", "--out", svg_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err(&out));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<script") && !svg.contains("https://"));

    let export: serde_json::Value =
        serde_json::from_slice(&run(&["export", "--json"]).stdout).unwrap();
    assert_eq!(export["assessments"].as_array().unwrap().len(), 1);
    assert_eq!(export["diary"].as_array().unwrap().len(), 3);
    assert_eq!(export["assessments"][0]["result"]["schema"], 1);

    // Without a terminal and without --yes nothing is deleted.
    let out = run(&["delete", "--all"]);
    assert_eq!(out.status.code(), Some(2));
    let again: serde_json::Value =
        serde_json::from_slice(&run(&["export", "--json"]).stdout).unwrap();
    assert_eq!(again["diary"].as_array().unwrap().len(), 3);
    let out = run(&["delete", "--all", "--yes"]);
    assert!(out.status.success(), "{}", err(&out));
    let empty: serde_json::Value =
        serde_json::from_slice(&run(&["export", "--json"]).stdout).unwrap();
    assert!(empty["diary"].as_array().unwrap().is_empty());
    assert!(empty["assessments"].as_array().unwrap().is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn plan_from_a_result_file_and_no_plan_when_urgent() {
    let dir = std::env::temp_dir().join(format!("dorsum-planfrom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let urgent = dorsum(
        &[
            "assess",
            "--no-save",
            "--format",
            "json",
            "--age",
            "70",
            "--sex",
            "male",
            "--text",
            "back pain with fever and shivers since yesterday, i inject drugs",
        ],
        None,
    );
    let file = dir.join("urgent.json");
    std::fs::write(&file, &urgent.stdout).unwrap();
    let out = dorsum(
        &["plan", "--from", file.to_str().unwrap(), "--format", "json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["outcome"], "no_plan");
    assert!(!plan["do_now"].as_str().unwrap().is_empty());
    let out = dorsum(
        &["plan", "--from", file.to_str().unwrap(), "--weeks", "2"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.join("junk.json"), "not json").unwrap();
    let out = dorsum(
        &["plan", "--from", dir.join("junk.json").to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a result object"));
    std::fs::remove_dir_all(&dir).ok();
}
