//! `dorsum plan`, `dorsum diary add|list|peg|chart`, `dorsum export --json` and `dorsum delete --all`:
//! the store and the care crate wired together. Validation happens before anything is written.

use crate::check::write_atomically;
use crate::store::{block_on, open};
use anyhow::{Context, Result, bail};
use dorsum_app::care::{
    Retriage, advice_line, baseline, care_input, follow_up_now, plan_from_saved, plan_text, points,
    retriage, saved_on, today,
};
use dorsum_app::pipeline::Dorsum;
use dorsum_care::{Peg, PlanOptions, PlanOutcome, pain_chart};
use dorsum_kb::Region;
use dorsum_store::{Date, NewDiaryEntry, NewPeg, Score, Storage};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum DiaryCommand {
    /// Add a diary entry: pain 0-10 and, optionally, where, sessions done, new symptoms and a note.
    Add {
        /// Pain now, 0 (none) to 10 (as bad as you can imagine).
        #[arg(long)]
        pain: i64,
        /// The day (YYYY-MM-DD); today when left out. Not in the future.
        #[arg(long)]
        date: Option<String>,
        /// Where it hurts: upper, lower, both or neck.
        #[arg(long = "where", value_name = "REGION")]
        region: Option<String>,
        /// Exercise sessions done that day.
        #[arg(long, default_value_t = 0)]
        sessions: u32,
        /// New symptoms in your own words (checked for warning signs at once).
        #[arg(long)]
        symptoms: Option<String>,
        /// A note for yourself.
        #[arg(long)]
        note: Option<String>,
        /// An exercise you did (its id from `dorsum plan`); repeat for several.
        #[arg(long = "exercise", value_name = "ID")]
        exercises: Vec<String>,
    },
    /// Record the weekly PEG scale (pain, enjoyment of life, general activity, each 0-10); asked when not given.
    Peg {
        #[arg(long)]
        pain: Option<i64>,
        #[arg(long)]
        enjoyment: Option<i64>,
        #[arg(long)]
        activity: Option<i64>,
        /// The day (YYYY-MM-DD); today when left out.
        #[arg(long)]
        date: Option<String>,
    },
    /// Record the Patient-Specific Functional Scale: up to 5 activities the pain makes hard, each 0-10.
    Psfs(crate::report::PsfsArgs),
    /// List the diary, PEG scores and the follow-up advice.
    List,
    /// Draw pain over time as SVG (stdout, or --out FILE.svg).
    Chart {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn parse_date(text: Option<&str>) -> Result<Date> {
    let Some(text) = text else {
        return Ok(today());
    };
    let date: Date = text.trim().parse().with_context(|| {
        format!("--date '{text}' is not a date: use YYYY-MM-DD, e.g. 2026-11-20")
    })?;
    if date > today() {
        bail!(
            "--date {date} is in the future: give today ({}) or an earlier day",
            today()
        );
    }
    Ok(date)
}

fn score(flag: &str, value: i64) -> Result<Score> {
    Score::new(value).map_err(|_| {
        anyhow::anyhow!("--{flag} {value} is outside 0-10: give a whole number from 0 to 10")
    })
}

/// `dorsum plan`.
pub fn plan(
    db: Option<&str>,
    from: Option<&Path>,
    weeks: u8,
    json: bool,
    kb_dir: Option<&Path>,
) -> Result<ExitCode> {
    let dorsum = Dorsum::open(kb_dir)?;
    let outcome = match from {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let result: serde_json::Value = serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not a result object (JSON from `dorsum assess --format json` or `dorsum check --save-json`)",
                    path.display()
                )
            })?;
            let input = care_input(&dorsum.kb, &result)?;
            dorsum_care::plan(
                &dorsum.kb,
                &input,
                &PlanOptions {
                    weeks,
                    start: today(),
                },
            )?
        }
        None => {
            let saved = block_on(async {
                let store = open(db).await?;
                let latest = store.latest_assessment().await?;
                store.close().await;
                Ok::<_, anyhow::Error>(latest)
            })??;
            let Some(saved) = saved else {
                bail!(
                    "no saved assessment yet: run `dorsum check` (or `dorsum assess --text ...`) first, or give --from FILE"
                );
            };
            plan_from_saved(&dorsum.kb, &saved, weeks)?
        }
    };
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &outcome)?;
        writeln!(out)?;
    } else {
        out.write_all(plan_text(&dorsum.kb, &outcome).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `dorsum diary ...`.
pub fn diary(db: Option<&str>, command: DiaryCommand, kb_dir: Option<&Path>) -> Result<ExitCode> {
    let dorsum = Dorsum::open(kb_dir)?;
    let kb = &dorsum.kb;
    match command {
        DiaryCommand::Add {
            pain,
            date,
            region,
            sessions,
            symptoms,
            note,
            exercises,
        } => {
            // Validate everything before writing anything.
            for id in &exercises {
                if !kb.exercises.iter().any(|e| e.id == *id) {
                    let stem = id.split('_').next().unwrap_or(id);
                    let close: Vec<&str> = kb
                        .exercises
                        .iter()
                        .map(|e| e.id.as_str())
                        .filter(|e| e.contains(stem))
                        .collect();
                    bail!(
                        "--exercise '{id}' is not an exercise id{}; `dorsum plan` lists the ids in brackets",
                        if close.is_empty() {
                            String::new()
                        } else {
                            format!(" (did you mean {}?)", close.join(", "))
                        }
                    );
                }
            }
            let note = match (note.filter(|s| !s.trim().is_empty()), exercises.is_empty()) {
                (note, true) => note,
                (None, false) => Some(format!("Exercises done: {}", exercises.join(", "))),
                (Some(n), false) => Some(format!("{n} (exercises done: {})", exercises.join(", "))),
            };
            let new = NewDiaryEntry {
                date: parse_date(date.as_deref())?,
                pain: score("pain", pain)?,
                region: region
                    .as_deref()
                    .map(|r| {
                        r.trim().to_lowercase().parse::<Region>().map_err(|_| {
                            anyhow::anyhow!("--where '{r}' must be upper, lower, both or neck")
                        })
                    })
                    .transpose()?,
                sessions,
                symptoms: symptoms.filter(|s| !s.trim().is_empty()),
                note,
            };
            let (entry, saved, entries) = block_on(async {
                let store = open(db).await?;
                let entry = store.add_diary_entry(&new).await?;
                let saved = store.latest_assessment().await?;
                let entries = store.list_diary_entries().await?;
                store.close().await;
                Ok::<_, anyhow::Error>((entry, saved, entries))
            })??;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "Saved: {} pain {}/10{}, {} session(s).",
                entry.date,
                entry.pain.get(),
                entry
                    .region
                    .map_or(String::new(), |r| format!(" ({})", r.as_str())),
                entry.sessions
            )?;
            if let Some(symptoms) = &entry.symptoms {
                match retriage(&dorsum, saved.as_ref(), symptoms) {
                    Retriage::NewRedFlag(a) => {
                        writeln!(out, "\n{}", dorsum_app::render::heading(a.triage.level))?;
                        writeln!(out, "{}", dorsum_app::pipeline::action(kb, a.triage.level))?;
                        writeln!(
                            out,
                            "A new warning sign in what you wrote changes your assessment:"
                        )?;
                        for r in a
                            .triage
                            .reasons
                            .iter()
                            .filter(|r| r.level == a.triage.level)
                        {
                            writeln!(out, "  - {}", r.text)?;
                        }
                    }
                    Retriage::WarningWords(names) => {
                        writeln!(
                            out,
                            "\nWARNING: you mentioned {} - this can be a warning sign. Run `dorsum check` now; if it is severe or sudden, call your emergency number ({}).",
                            names.join(", "),
                            kb.meta.emergency_number
                        )?;
                    }
                    Retriage::Nothing => {}
                }
            }
            let f = follow_up_now(
                kb,
                saved.as_ref(),
                &points(&dorsum, saved.as_ref(), &entries),
            )?;
            writeln!(out, "\n{}", advice_line(&f))?;
        }
        DiaryCommand::Peg {
            pain,
            enjoyment,
            activity,
            date,
        } => {
            let date = parse_date(date.as_deref())?;
            let interactive = std::io::stdin().is_terminal();
            let mut answers = [pain, enjoyment, activity];
            for (i, item) in dorsum_care::PEG_ITEMS.iter().enumerate() {
                if answers[i].is_some() {
                    continue;
                }
                if !interactive {
                    bail!(
                        "give all three PEG answers: --pain N --enjoyment N --activity N (each 0-10)"
                    );
                }
                let n = inquire::CustomType::<u8>::new(item.question)
                    .with_help_message(&format!("0 = {}, 10 = {}", item.low, item.high))
                    .prompt()
                    .map_err(|e| anyhow::anyhow!("stopped ({e}); nothing saved"))?;
                answers[i] = Some(i64::from(n));
            }
            let [p, e, a] = answers.map(|v| v.unwrap_or_default());
            let peg = Peg::new(p, e, a).map_err(|e| anyhow::anyhow!("{e}"))?;
            let new = NewPeg {
                date,
                pain: score("pain", p)?,
                enjoyment: score("enjoyment", e)?,
                activity: score("activity", a)?,
            };
            let saved = block_on(async {
                let store = open(db).await?;
                let saved = store.add_peg(&new).await?;
                store.close().await;
                Ok::<_, anyhow::Error>(saved)
            })??;
            println!(
                "Saved PEG for {}: score {:.1} (pain {}, enjoyment {}, activity {}). Source: {}",
                saved.date,
                peg.score(),
                p,
                e,
                a,
                dorsum_care::peg::PEG_CITATION
            );
        }
        DiaryCommand::List => {
            let (saved, entries, pegs) = block_on(async {
                let store = open(db).await?;
                let saved = store.latest_assessment().await?;
                let entries = store.list_diary_entries().await?;
                let pegs = store.list_peg().await?;
                store.close().await;
                Ok::<_, anyhow::Error>((saved, entries, pegs))
            })??;
            let mut out = std::io::stdout().lock();
            match &saved {
                Some(s) => writeln!(
                    out,
                    "Last assessment: {} - {} ({} back){}",
                    saved_on(s),
                    s.triage,
                    s.region,
                    s.pain
                        .map_or(String::new(), |p| format!(", pain {}/10", p.get()))
                )?,
                None => writeln!(out, "No assessment saved yet.")?,
            }
            if entries.is_empty() {
                writeln!(out, "No diary entries yet: `dorsum diary add --pain N`.")?;
            }
            for e in &entries {
                writeln!(
                    out,
                    "{}  pain {:>2}/10  sessions {}{}{}{}",
                    e.date,
                    e.pain.get(),
                    e.sessions,
                    e.region
                        .map_or(String::new(), |r| format!("  where {}", r.as_str())),
                    e.symptoms
                        .as_deref()
                        .map_or(String::new(), |s| format!("  symptoms: {s}")),
                    e.note
                        .as_deref()
                        .map_or(String::new(), |s| format!("  note: {s}")),
                )?;
            }
            for p in &pegs {
                let score = Peg::new(
                    i64::from(p.pain.get()),
                    i64::from(p.enjoyment.get()),
                    i64::from(p.activity.get()),
                )
                .map(|peg| peg.score())
                .unwrap_or(f64::NAN);
                writeln!(out, "{}  PEG {:.1}", p.date, score)?;
            }
            let f = follow_up_now(
                kb,
                saved.as_ref(),
                &points(&dorsum, saved.as_ref(), &entries),
            )?;
            writeln!(out, "\n{}", advice_line(&f))?;
        }
        DiaryCommand::Psfs(args) => return crate::report::psfs(db, args),
        DiaryCommand::Chart { out } => {
            let (saved, entries) = block_on(async {
                let store = open(db).await?;
                let saved = store.latest_assessment().await?;
                let entries = store.list_diary_entries().await?;
                store.close().await;
                Ok::<_, anyhow::Error>((saved, entries))
            })??;
            let plan = match &saved {
                Some(s) => match plan_from_saved(kb, s, dorsum_care::plan::DEFAULT_WEEKS)? {
                    PlanOutcome::Plan(p) => Some(p),
                    PlanOutcome::NoPlan(_) => None,
                },
                None => None,
            };
            let svg = pain_chart(
                &points(&dorsum, saved.as_ref(), &entries),
                plan.as_ref(),
                saved.as_ref().map(baseline).as_ref(),
            );
            match out {
                Some(path) => {
                    write_atomically(&path, svg.as_bytes())?;
                    println!("Wrote the chart to {}", path.display());
                }
                None => std::io::stdout().lock().write_all(svg.as_bytes())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `dorsum export --json [--out FILE]`: everything stored for the user.
pub fn export(db: Option<&str>, out: Option<&Path>) -> Result<ExitCode> {
    let export = block_on(async {
        let store = open(db).await?;
        let export = store.export().await?;
        store.close().await;
        Ok::<_, anyhow::Error>(export)
    })??;
    let mut bytes = serde_json::to_vec_pretty(&export)?;
    bytes.push(b'\n');
    match out {
        Some(path) => {
            write_atomically(path, &bytes)?;
            println!("Exported everything to {}", path.display());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `dorsum delete --all [--yes]`: asks first; without a terminal and without `--yes` it deletes nothing.
pub fn delete(db: Option<&str>, all: bool, yes: bool) -> Result<ExitCode> {
    if !all {
        bail!(
            "say what to delete: `dorsum delete --all` removes every assessment, diary entry and score"
        );
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            eprintln!(
                "dorsum: not deleting: there is no terminal to ask for confirmation; add --yes to delete everything"
            );
            return Ok(ExitCode::from(2));
        }
        let sure = inquire::Confirm::new(
            "Delete every saved assessment, diary entry and score? This cannot be undone.",
        )
        .with_default(false)
        .prompt()
        .unwrap_or(false);
        if !sure {
            println!("Nothing deleted.");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let (deleted, location) = block_on(async {
        let store = open(db).await?;
        let deleted = store.delete_all().await?;
        let location = store.location();
        store.close().await;
        Ok::<_, anyhow::Error>((deleted, location))
    })??;
    println!(
        "Deleted {} assessment(s), {} diary entr(ies), {} PEG and {} PSFS record(s) from {location}.",
        deleted.assessments, deleted.diary, deleted.peg, deleted.psfs
    );
    Ok(ExitCode::SUCCESS)
}
