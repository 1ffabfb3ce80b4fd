//! `dorsum kb check [DIR]`: validate a knowledge-base directory and print every problem and the counts.

use anyhow::Result;
use dorsum_kb::{KbFile, Report, Severity};
use std::path::Path;
use std::process::ExitCode;

/// Every `*.toml` file under `dir`, sorted by path, as `(path, text)`.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    Ok(dorsum_app::kb_dir::read_dir(dir)?)
}

pub fn run(dir: Option<&Path>) -> Result<ExitCode> {
    let (report, n) = match dir {
        Some(dir) => {
            let texts = read_dir(dir)?;
            let files: Vec<KbFile<'_>> = texts
                .iter()
                .map(|(path, text)| KbFile { path, text })
                .collect();
            (dorsum_kb::check(&files), files.len())
        }
        None => {
            let files = dorsum_kb::embedded::files();
            (dorsum_kb::check(&files), files.len())
        }
    };
    print_report(&report, n);
    let errors = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(report: &Report, files: usize) {
    for p in &report.problems {
        println!("{p}");
    }
    let s = &report.stats;
    let errors = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = report.problems.len() - errors;
    println!(
        "checked {files} files: {} sources, {} findings ({} phrases), {} conditions, {} red-flag rules, {} follow-up rules, {} exercises, {} treatments",
        s.sources,
        s.findings,
        s.phrases,
        s.conditions,
        s.red_flag_rules,
        s.follow_up_rules,
        s.exercises,
        s.treatments
    );
    let p = s.parameters();
    println!(
        "parameters: {} published, {} estimated (priors {}/{}, likelihood ratios {}/{}, thresholds {}/{} published/estimated)",
        p.published,
        p.estimated,
        s.priors.published,
        s.priors.estimated,
        s.likelihood_ratios.published,
        s.likelihood_ratios.estimated,
        s.thresholds.published,
        s.thresholds.estimated
    );
    println!("{errors} errors, {warnings} warnings");
}
