//! `dorsum report [--out report.pdf|report.html]`, `dorsum export --fhir [--out FILE]`, `dorsum diary psfs`
//! and the PSFS suggestion after `dorsum check`: the store and the clock read here, everything else in
//! `dorsum-report` and `dorsum-care`.

use crate::check::write_atomically;
use crate::store::{block_on, open};
use anyhow::{Context, Result, bail};
use dorsum_app::care::{plan_from_saved, today};
use dorsum_app::pipeline::Dorsum;
use dorsum_care::Psfs;
use dorsum_care::psfs::{
    PSFS_ACTIVITY_PROMPT, PSFS_CITATION, PSFS_HIGH, PSFS_LOW, PSFS_MAX_ACTIVITIES,
    PSFS_SCORE_PROMPT,
};
use dorsum_kb::TriageLevel;
use dorsum_report::{Records, Report, ReportFormat, ReportInput, fhir};
use dorsum_store::{Date, Export, Storage};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// `dorsum diary psfs`.
#[derive(Debug, clap::Args)]
pub struct PsfsArgs {
    /// An activity your pain makes hard and how well you can do it today, 0 (unable) to 10 (as well as
    /// before the problem): `--activity "walking the dog=4"`. Repeat for up to 5; asked when not given.
    #[arg(long = "activity", value_name = "NAME=0-10")]
    pub activities: Vec<String>,
    /// The day (YYYY-MM-DD); today when left out. Not in the future.
    #[arg(long)]
    pub date: Option<String>,
}

fn read_all(db: Option<&str>) -> Result<(Export, String)> {
    block_on(async {
        let store = open(db).await?;
        let export = store.export().await?;
        let user = store.user().as_str().to_string();
        store.close().await;
        Ok::<_, anyhow::Error>((export, user))
    })?
}

/// Check an output path before any work: a known extension and an existing folder.
fn check_out(path: &Path, what: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!(
            "cannot write {}: the folder {} does not exist; create it or choose another --out for the {what}",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        bail!(
            "cannot write {}: it is a folder; give a file name for the {what}",
            path.display()
        );
    }
    Ok(())
}

/// `dorsum report [--out FILE]`: HTML to stdout, or a `.html` / `.pdf` file (written whole or not at all).
pub fn report(db: Option<&str>, out: Option<&Path>, kb_dir: Option<&Path>) -> Result<ExitCode> {
    let format = match out {
        None => {
            if std::io::stdout().is_terminal() {
                eprintln!(
                    "dorsum: writing HTML to the terminal; use `dorsum report --out report.html` or `--out report.pdf` for a file"
                );
            }
            ReportFormat::Html
        }
        Some(path) => {
            let format = ReportFormat::from_path(path).with_context(|| {
                format!(
                    "--out {}: the report is a .pdf or a .html file; end the name with one of them",
                    path.display()
                )
            })?;
            check_out(path, "report")?;
            format
        }
    };
    let dorsum = Dorsum::open(kb_dir)?;
    let (export, _) = read_all(db)?;
    let records = Records::from_export(&export);
    let Some(latest) = records.latest() else {
        bail!("{}", dorsum_report::Error::NoAssessment);
    };
    let plan = match plan_from_saved(&dorsum.kb, latest, dorsum_care::plan::DEFAULT_WEEKS) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("dorsum: the report has no plan section: {e}");
            None
        }
    };
    let clock = dorsum_app::care::clock();
    let report = Report::build(&ReportInput {
        kb: &dorsum.kb,
        records,
        plan: plan.as_ref(),
        clock: &clock,
    })?;
    if report.pain.is_empty() {
        eprintln!(
            "dorsum: note: the pain diary is empty, so the report shows only the assessment; add entries with `dorsum diary add --pain N`"
        );
    }
    let bytes = report.render(format);
    match out {
        Some(path) => {
            write_atomically(path, &bytes)?;
            println!(
                "Wrote the report ({}) to {}",
                match format {
                    ReportFormat::Html => "HTML",
                    ReportFormat::Pdf => "PDF",
                },
                path.display()
            );
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `dorsum export --fhir [--out FILE]`: the FHIR R4 bundle as JSON.
pub fn export_fhir(
    db: Option<&str>,
    out: Option<&Path>,
    kb_dir: Option<&Path>,
) -> Result<ExitCode> {
    if let Some(path) = out {
        check_out(path, "FHIR bundle")?;
    }
    let dorsum = Dorsum::open(kb_dir)?;
    let (export, user) = read_all(db)?;
    let clock = dorsum_app::care::clock();
    let bundle = fhir::bundle(&fhir::BundleInput {
        kb: &dorsum.kb,
        records: Records::from_export(&export),
        clock: &clock,
        user: &user,
    })?;
    let mut bytes = serde_json::to_vec_pretty(&bundle)?;
    bytes.push(b'\n');
    match out {
        Some(path) => {
            write_atomically(path, &bytes)?;
            println!(
                "Exported a FHIR R4 bundle of {} resources to {}",
                bundle.entry.len(),
                path.display()
            );
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Read `name=score` (the last `=` separates, so names may contain one).
pub fn parse_activity(text: &str) -> Result<(String, i64)> {
    let Some((name, score)) = text.rsplit_once('=') else {
        bail!(
            "--activity '{text}' needs a score: write it as \"NAME=SCORE\", e.g. --activity \"walking the dog=4\""
        );
    };
    let score: i64 = score.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "--activity '{text}': the score after '=' must be a whole number from 0 (unable) to 10 (as before)"
        )
    })?;
    Ok((name.trim().to_string(), score))
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

/// Ask for activities in the terminal: up to five, an empty name to finish.
fn ask_activities() -> Result<Vec<(String, i64)>> {
    let stopped = |e: inquire::InquireError| anyhow::anyhow!("stopped ({e}); nothing saved");
    println!(
        "Patient-Specific Functional Scale: up to {PSFS_MAX_ACTIVITIES} activities your pain makes hard; press Enter on an empty name to finish."
    );
    let mut out = Vec::new();
    while out.len() < PSFS_MAX_ACTIVITIES {
        let name = inquire::Text::new(&format!("{PSFS_ACTIVITY_PROMPT}:"))
            .with_help_message(&format!(
                "Activity {} of up to {PSFS_MAX_ACTIVITIES}, e.g. walking the dog, sitting at work, lifting my child",
                out.len() + 1
            ))
            .prompt()
            .map_err(stopped)?;
        let name = name.trim().to_string();
        if name.is_empty() {
            break;
        }
        let score = inquire::CustomType::<u8>::new(&format!("{PSFS_SCORE_PROMPT} ({name})"))
            .with_help_message(&format!("0 = {PSFS_LOW}, 10 = {PSFS_HIGH}"))
            .with_validator(|v: &u8| {
                Ok(if *v <= 10 {
                    inquire::validator::Validation::Valid
                } else {
                    inquire::validator::Validation::Invalid("Type a number from 0 to 10".into())
                })
            })
            .prompt()
            .map_err(stopped)?;
        out.push((name, i64::from(score)));
    }
    Ok(out)
}

/// `dorsum diary psfs`: validate, then save.
pub fn psfs(db: Option<&str>, args: PsfsArgs) -> Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    let given: Vec<(String, i64)> = args
        .activities
        .iter()
        .map(|a| parse_activity(a))
        .collect::<Result<_>>()?;
    let given = if given.is_empty() {
        if !std::io::stdin().is_terminal() {
            bail!(
                "give at least one activity: --activity \"walking the dog=4\" (repeat for up to {PSFS_MAX_ACTIVITIES}; 0 = unable, 10 = as before the problem)"
            );
        }
        ask_activities()?
    } else {
        given
    };
    let (psfs, new) =
        dorsum_app::care::new_psfs(date, &given).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (saved, all) = block_on(async {
        let store = open(db).await?;
        let saved = store.add_psfs(&new).await?;
        let all = store.list_psfs().await?;
        store.close().await;
        Ok::<_, anyhow::Error>((saved, all))
    })??;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Saved PSFS for {}: score {:.1} ({}).",
        saved.date,
        psfs.score(),
        psfs.activities()
            .iter()
            .map(|a| format!("{} {}", a.name, a.score))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    // Compare with the first one, when there is an earlier one.
    let first = all
        .iter()
        .filter(|p| p.id != saved.id)
        .min_by_key(|p| (p.date, p.created_at));
    if let Some(first) = first
        && let Ok(before) = Psfs::new(
            first
                .activities
                .iter()
                .map(|a| (a.name.as_str(), i64::from(a.score.get()))),
        )
    {
        let words = match dorsum_care::psfs_change(before.score(), psfs.score()) {
            dorsum_care::PsfsChange::Better => {
                "better by at least the 2 points the scale can detect"
            }
            dorsum_care::PsfsChange::Worse => "worse by at least the 2 points the scale can detect",
            dorsum_care::PsfsChange::NoDetectableChange => {
                "no change the scale can detect (2 points)"
            }
        };
        writeln!(
            out,
            "Since {}: {:.1} -> {:.1}, {words}.",
            first.date,
            before.score(),
            psfs.score()
        )?;
    }
    writeln!(out, "Source: {PSFS_CITATION}")?;
    Ok(ExitCode::SUCCESS)
}

/// After a result at home-care levels: suggest recording the PSFS (one line).
pub fn offer_psfs(out: &mut impl Write, level: TriageLevel) -> std::io::Result<()> {
    if level <= TriageLevel::Consultation {
        writeln!(
            out,
            "Track what the pain stops you doing: `dorsum diary psfs` (name up to 5 activities, rate each 0-10); `dorsum report` shows it for your clinician."
        )?;
    }
    Ok(())
}
