//! `dorsum parse --text "..."`: what the text intake understood, with spans and assertions.

use crate::Format;
use anyhow::Result;
use dorsum_app::pipeline::{Dorsum, parse_text};
use dorsum_app::wire::FindingJson;
use dorsum_intake::TextIntake;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// A finding as the result object shows it, plus where a spreading pain goes.
#[derive(Debug, Serialize)]
struct ParsedFinding<'a> {
    #[serde(flatten)]
    finding: FindingJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    radiation: Option<RadiationJson>,
}

/// `{"to": "foot", "side": "left"}`.
#[derive(Debug, Serialize)]
struct RadiationJson {
    to: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
}

impl RadiationJson {
    fn text(&self) -> String {
        match self.side {
            Some(side) => format!(" -> {} ({side})", self.to),
            None => format!(" -> {}", self.to),
        }
    }
}

pub fn run(text: String, format: Format, kb_dir: Option<&std::path::Path>) -> Result<ExitCode> {
    let text = parse_text(Some(&serde_json::Value::String(text)))
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))?;
    let dorsum = Dorsum::open(kb_dir)?;
    let mentions = dorsum.intake.read(&text);
    let found: Vec<ParsedFinding> = mentions
        .iter()
        .map(|m| {
            let f = dorsum.kb.finding(m.finding);
            ParsedFinding {
                finding: FindingJson {
                    id: &f.id,
                    name: &f.name,
                    present: m.assertion.presence(),
                    assertion: m.assertion.as_str(),
                    span: Some([m.span.0, m.span.1]),
                    side: m.side.map(|s| s.as_str()),
                },
                radiation: m.radiation.map(|r| RadiationJson {
                    to: r.to.as_str(),
                    side: r.side.map(|s| s.as_str()),
                }),
            }
        })
        .collect();
    let quantities: Vec<serde_json::Value> = dorsum_intake::quantities(&text)
        .iter()
        .map(|q| serde_json::json!({ "kind": q.kind.as_str(), "value": q.value, "span": [q.span.0, q.span.1] }))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({ "text": text, "findings": found, "quantities": quantities }),
            )?;
            writeln!(out)?;
        }
        Format::Text => {
            if found.is_empty() {
                writeln!(out, "nothing recognised")?;
            }
            for q in &quantities {
                let (s, e) = (
                    q["span"][0].as_u64().unwrap_or(0) as usize,
                    q["span"][1].as_u64().unwrap_or(0) as usize,
                );
                writeln!(
                    out,
                    "{:<12} {:<28} {:>4}..{:<4} \"{}\"  (= {})",
                    "quantity",
                    q["kind"].as_str().unwrap_or_default(),
                    s,
                    e,
                    &text[s..e],
                    q["value"]
                )?;
            }
            for ParsedFinding {
                finding: f,
                radiation,
            } in &found
            {
                let [s, e] = f.span.unwrap_or([0, 0]);
                writeln!(
                    out,
                    "{:<12} {:<28} {:>4}..{:<4} \"{}\"  ({}){}{}",
                    f.assertion,
                    f.id,
                    s,
                    e,
                    &text[s..e],
                    f.name,
                    f.side.map(|side| format!(" [{side}]")).unwrap_or_default(),
                    radiation
                        .as_ref()
                        .map(RadiationJson::text)
                        .unwrap_or_default()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
