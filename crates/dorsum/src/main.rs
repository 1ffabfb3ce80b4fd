//! `dorsum`: the command-line shell. It parses flags, reads and writes, and wires the pure crates
//! together; everything medical lives in the knowledge base and the engine.

mod assess;
mod bench;
mod check;
mod diary;
mod eval;
mod kb_check;
mod parse;
mod report;
mod serve;
mod simulate;
mod store;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Dorsum: an offline, explainable back-pain symptom checker and self-care coach.
///
/// Dorsum is not a diagnosis. If you think you are having an emergency, call your emergency number now.
#[derive(Debug, Parser)]
#[command(name = "dorsum", version, about, long_about = None)]
struct Cli {
    /// Use the knowledge base in this directory instead of the built-in copy (for knowledge-base authors).
    #[arg(long, global = true, value_name = "DIR")]
    kb: Option<PathBuf>,
    /// Where to keep your data: a SQLite file path or a postgres:// URL. Otherwise DORSUM_DATABASE_URL,
    /// then DORSUM_DB, then a SQLite file in your data folder.
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess back or neck pain from a description (or JSON Lines on stdin with --jsonl).
    Assess(AssessArgs),
    /// The interview: describe the pain, answer a few questions, get the result (scripted without a terminal).
    Check(check::CheckArgs),
    /// A self-care plan from your last saved assessment (or --from FILE holding a result object).
    Plan {
        /// A result object (JSON from `assess --format json` or `check --save-json`).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Length in weeks (4-26).
        #[arg(long, default_value_t = 6)]
        weeks: u8,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The pain diary: add entries, the weekly PEG scale, list, chart.
    Diary {
        #[command(subcommand)]
        command: diary::DiaryCommand,
    },
    /// Export all your data as JSON, or as a FHIR R4 bundle with --fhir (stdout, or --out FILE).
    Export {
        /// JSON: everything stored, as Dorsum keeps it.
        #[arg(long, required_unless_present = "fhir", conflicts_with = "fhir")]
        json: bool,
        /// A FHIR R4 (4.0.1) Bundle for a clinician's systems.
        #[arg(long)]
        fhir: bool,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The clinician report of your last assessment and diary: HTML to stdout, or --out report.pdf|report.html.
    Report {
        /// report.pdf or report.html (the extension picks the format).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Delete all your data (asks first).
    Delete {
        /// Everything: assessments, diary, PEG and PSFS.
        #[arg(long)]
        all: bool,
        /// Do not ask (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Show what the text intake understood: findings with spans and assertions.
    Parse {
        /// The description to read.
        #[arg(long)]
        text: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Score vignettes (JSON Lines with gold triage, ICD-10 codes and region).
    Eval {
        /// The vignette file.
        file: PathBuf,
        /// Run each vignette as an interview: its first sentence opens, and questions are answered from
        /// what the whole text says (unknown when not mentioned).
        #[arg(long)]
        interview: bool,
        /// With --interview: print the questions and answers of each miss.
        #[arg(long, requires = "interview")]
        trace: bool,
    },
    /// Benchmarks (not tests): `dorsum bench negex FILE`.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Serve the JSON API (OpenAPI at /api/v1/openapi.json) on 127.0.0.1:8080 until Ctrl-C or SIGTERM.
    Serve(serve::ServeArgs),
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Negation detection on the NegEx annotated kit (TSV); last line `SUMMARY f1=… precision=… recall=… sentences_per_s=…`.
    Negex {
        /// The kit, e.g. ../shared/benchmarks/negex/rsAnnotations-1-120-random.txt
        file: PathBuf,
        /// Also list the misses on odd (development) rows.
        #[arg(long)]
        misses: bool,
    },
}

#[derive(Debug, Subcommand)]
enum KbCommand {
    /// Validate a knowledge-base directory (default: the copy built into this binary).
    Check {
        /// Directory of TOML files, e.g. `kb`.
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct AssessArgs {
    /// What the pain is like, in your own words.
    #[arg(long, conflicts_with = "jsonl")]
    text: Option<String>,
    /// Age in years (0-120).
    #[arg(long, conflicts_with = "jsonl")]
    age: Option<String>,
    /// female or male.
    #[arg(long, conflicts_with = "jsonl")]
    sex: Option<String>,
    /// Read cases as JSON Lines on stdin and write one result line per input line.
    #[arg(long)]
    jsonl: bool,
    /// Output format for --text.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Do not save the result to your data store.
    #[arg(long)]
    no_save: bool,
    /// The clinic's care routing for `triage.service` (services per triage level); otherwise DORSUM_CARE,
    /// else the default route.
    #[arg(long, value_name = "FILE")]
    care: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dorsum: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Assess(args) => assess::run(args, cli.db.as_deref(), cli.kb.as_deref()),
        Command::Check(args) => check::run(args, cli.db.as_deref(), cli.kb.as_deref()),
        Command::Plan {
            from,
            weeks,
            format,
        } => diary::plan(
            cli.db.as_deref(),
            from.as_deref(),
            weeks,
            format == Format::Json,
            cli.kb.as_deref(),
        ),
        Command::Diary { command } => diary::diary(cli.db.as_deref(), command, cli.kb.as_deref()),
        Command::Export {
            json: _,
            fhir: true,
            out,
        } => report::export_fhir(cli.db.as_deref(), out.as_deref(), cli.kb.as_deref()),
        Command::Export { json: _, out, .. } => diary::export(cli.db.as_deref(), out.as_deref()),
        Command::Report { out } => {
            report::report(cli.db.as_deref(), out.as_deref(), cli.kb.as_deref())
        }
        Command::Delete { all, yes } => diary::delete(cli.db.as_deref(), all, yes),
        Command::Parse { text, format } => parse::run(text, format, cli.kb.as_deref()),
        Command::Eval {
            file,
            interview,
            trace,
        } => eval::run(&file, interview, trace, cli.kb.as_deref()),
        Command::Bench {
            command: BenchCommand::Negex { file, misses },
        } => bench::negex(&file, misses),
        Command::Serve(args) => serve::run(args, cli.db.as_deref(), cli.kb.as_deref()),
        Command::Kb {
            command: KbCommand::Check { dir },
        } => kb_check::run(dir.as_deref().or(cli.kb.as_deref())),
    }
}
