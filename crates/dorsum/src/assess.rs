//! `dorsum assess`: one case from flags, or JSON Lines on stdin.

use crate::{AssessArgs, Format};
use anyhow::{Context, Result, bail};
use dorsum_app::pipeline::{Case, Dorsum, FieldError, case_id, parse_age, parse_sex, parse_text};
use dorsum_app::render;
use dorsum_app::wire::{FieldErrorJson, LineErrorJson};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

pub fn run(
    args: AssessArgs,
    db: Option<&str>,
    kb_dir: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let care = dorsum_app::routing::CareRouting::from_flag_or_env(args.care.as_deref())
        .map_err(|e| anyhow::anyhow!("the care file is not valid:\n{e}"))?;
    let dorsum = Dorsum::open(kb_dir)?.with_care(care);
    if args.jsonl {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        jsonl(&dorsum, stdin.lock(), &mut out)?;
        out.flush().context("cannot write to stdout")?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(text) = args.text else {
        bail!(
            "give a description with --text \"...\" (plus --age and --sex), or use --jsonl to read JSON Lines on stdin"
        );
    };
    let fail = |e: FieldError| anyhow::anyhow!("--{}: {}", e.field, e.message);
    let age = parse_age(args.age.map(serde_json::Value::String).as_ref()).map_err(fail)?;
    let sex = parse_sex(args.sex.map(serde_json::Value::String).as_ref()).map_err(fail)?;
    let text = parse_text(Some(&serde_json::Value::String(text))).map_err(fail)?;
    let case = Case {
        id: serde_json::Value::String(case_id(age, sex, &text)),
        age,
        sex,
        text,
    };
    let (mentions, assessment) = dorsum.run(&case);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            let json = dorsum.result_json(&case, &mentions, &[], &assessment);
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            out.write_all(render::text(&dorsum.kb, &case, &mentions, &[], &assessment).as_bytes())?;
            out.write_all(
                service_text(&dorsum.care.route(&dorsum.kb, assessment.triage.level)).as_bytes(),
            )?;
        }
    }
    if !args.no_save {
        let json = dorsum.result_json(&case, &mentions, &[], &assessment);
        let observations = dorsum_app::pipeline::observations(&mentions);
        let (id, location) =
            crate::store::save(db, &dorsum, &case, &observations, &assessment, &json, None)?;
        eprintln!("Saved as {id} in {location} (--no-save to skip).");
    }
    Ok(ExitCode::SUCCESS)
}

/// Where to go, as readable lines after the result.
fn service_text(s: &dorsum_app::wire::ServiceJson) -> String {
    let mut out = format!("\nWhere to go: {}\n", s.name);
    for (label, value) in [
        ("Phone", &s.phone),
        ("Address", &s.address),
        ("Hours", &s.hours),
        ("Book", &s.booking_url),
        ("Video", &s.telehealth_url),
        ("Note", &s.note),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("  {label}: {v}\n"));
        }
    }
    out
}

/// Validate one JSON line into a case.
pub fn parse_line(line: &str) -> Result<Case, (serde_json::Value, FieldErrorJson)> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        (
            serde_json::Value::Null,
            FieldErrorJson {
                field: None,
                message: format!("not a JSON object: {e}"),
            },
        )
    })?;
    let Some(obj) = value.as_object() else {
        return Err((
            serde_json::Value::Null,
            FieldErrorJson {
                field: None,
                message: "each line must be a JSON object like {\"id\": \"1\", \"age\": 40, \"sex\": \"female\", \"text\": \"...\"}".into(),
            },
        ));
    };
    let id = match obj.get("id") {
        Some(v @ (serde_json::Value::String(_) | serde_json::Value::Number(_))) => v.clone(),
        _ => serde_json::Value::Null,
    };
    let to_wire = |e: FieldError| {
        (
            id.clone(),
            FieldErrorJson {
                field: Some(e.field),
                message: e.message,
            },
        )
    };
    let age = parse_age(obj.get("age")).map_err(to_wire)?;
    let sex = parse_sex(obj.get("sex")).map_err(to_wire)?;
    let text = parse_text(obj.get("text")).map_err(to_wire)?;
    Ok(Case { id, age, sex, text })
}

/// One result line per non-blank input line, in order; bad lines get an error object and the batch goes on.
pub fn jsonl(dorsum: &Dorsum, input: impl BufRead, out: &mut impl Write) -> Result<()> {
    for (i, line) in input.split(b'\n').enumerate() {
        let bytes = line.context("cannot read stdin")?;
        let line_no = i + 1;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        match parse_line(text) {
            Ok(case) => out.write_all(dorsum.result_line(&case)?.as_bytes())?,
            Err((id, error)) => serde_json::to_writer(
                &mut *out,
                &LineErrorJson {
                    id,
                    line: line_no,
                    error,
                },
            )?,
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}
