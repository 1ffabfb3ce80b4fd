//! `dorsum parse --text "..."`: what the text intake understood, with spans and assertions.

use crate::Format;
use anyhow::Result;
use dorsum_app::pipeline::{Dorsum, parse_text};
use dorsum_app::wire::{ParsedFinding, RadiationJson, parsed};
use dorsum_intake::TextIntake;
use std::io::Write;
use std::process::ExitCode;

pub fn run(text: String, format: Format, kb_dir: Option<&std::path::Path>) -> Result<ExitCode> {
    let text = parse_text(Some(&serde_json::Value::String(text)))
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))?;
    let dorsum = Dorsum::open(kb_dir)?;
    let mentions = dorsum.intake.read(&text);
    let (found, quantities) = parsed(&dorsum.kb, &mentions, &text);
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
                let [s, e] = q.span;
                writeln!(
                    out,
                    "{:<12} {:<28} {:>4}..{:<4} \"{}\"  (= {})",
                    "quantity",
                    q.kind,
                    s,
                    e,
                    &text[s..e],
                    q.value
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
