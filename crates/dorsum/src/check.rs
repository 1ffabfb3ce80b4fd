//! `dorsum check`: the interview in the terminal. In a terminal it asks one question at a time (inquire);
//! without one (or with `--answers FILE`) it reads scripted answers, one per line, so it can be tested and
//! scripted.
//!
//! Script format: optional header lines `age: 45`, `sex: female`, `text: ...` (flags win), then one answer
//! per question: `yes`, `no`, `?` (don't know), `none`, option numbers such as `1,3`, a number for a pain
//! score, or `back`. Blank lines and lines starting with `#` are skipped.

use anyhow::{Context, Result, bail};
use dorsum_app::pipeline::{Case, Dorsum, case_id, parse_age, parse_sex, parse_text};
use dorsum_app::render;
use dorsum_app::session::Session;
use dorsum_engine::interview::{Answer, AnswerKind, Question, Step};
use dorsum_kb::{Kb, TriageLevel};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Age in years (0-120); asked when not given.
    #[arg(long)]
    pub age: Option<String>,
    /// female or male; asked when not given.
    #[arg(long)]
    pub sex: Option<String>,
    /// Your description of the pain; asked when not given.
    #[arg(long)]
    pub text: Option<String>,
    /// Read answers from this file instead of asking (also used automatically when stdin is not a terminal).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Save the result object (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    pub save_json: Option<PathBuf>,
    /// Save the result as Markdown to this file.
    #[arg(long, value_name = "FILE")]
    pub save_markdown: Option<PathBuf>,
    /// Do not save the result to the diary store.
    #[arg(long)]
    pub no_save: bool,
}

/// What the person did at a question.
enum Reply {
    Answer(Answer),
    Back,
}

/// Where answers come from.
trait Respondent {
    /// Fill in whatever of age, sex and text was not given on the command line.
    fn opener(
        &mut self,
        age: Option<String>,
        sex: Option<String>,
        text: Option<String>,
    ) -> Result<Case>;
    /// Ask one question; `number` counts from 1.
    fn ask(&mut self, kb: &Kb, q: &Question, number: usize) -> Result<Reply>;
}

fn case_from(age: &str, sex: &str, text: &str) -> Result<Case> {
    let fail = |e: dorsum_app::pipeline::FieldError| anyhow::anyhow!("{}: {}", e.field, e.message);
    let age = parse_age(Some(&serde_json::Value::String(age.into()))).map_err(fail)?;
    let sex = parse_sex(Some(&serde_json::Value::String(sex.into()))).map_err(fail)?;
    let text = parse_text(Some(&serde_json::Value::String(text.into()))).map_err(fail)?;
    Ok(Case {
        id: serde_json::Value::String(case_id(age, sex, &text)),
        age,
        sex,
        text,
    })
}

/// A progress line: the question number and a bar against the cap.
fn progress(number: usize) -> String {
    let cap = dorsum_engine::interview::MAX_QUESTIONS;
    let filled = number.min(cap);
    format!(
        "Question {number} [{}{}] (at most {cap}; most checks need about 10)",
        "#".repeat(filled),
        ".".repeat(cap - filled)
    )
}

/// Parse one scripted answer for a question.
fn parse_reply(line: &str, q: &Question) -> std::result::Result<Reply, String> {
    let l = line.trim().to_lowercase();
    let l = l.as_str();
    match l {
        "back" => return Ok(Reply::Back),
        "?" | "dk" | "dont know" | "don't know" | "do not know" | "not sure" | "unsure" => {
            return Ok(Reply::Answer(Answer::DontKnow));
        }
        _ => {}
    }
    let answer = match q.kind {
        AnswerKind::YesNo => match l {
            "yes" | "y" => Answer::Yes,
            "no" | "n" | "none" => Answer::No,
            _ => return Err("answer yes, no or ? (don't know)".into()),
        },
        AnswerKind::Number { min, max } => match l.parse::<u8>() {
            Ok(n) if (min..=max).contains(&n) => Answer::Number(n),
            _ => return Err(format!("answer a whole number from {min} to {max}, or ?")),
        },
        AnswerKind::OneOf | AnswerKind::AnyOf => {
            if matches!(l, "none" | "no" | "n") {
                Answer::Chosen(Vec::new())
            } else {
                let mut chosen = Vec::new();
                for part in l.split([',', ' ']).filter(|p| !p.is_empty()) {
                    match part.parse::<usize>() {
                        Ok(n) if (1..=q.options.len()).contains(&n) => {
                            if !chosen.contains(&q.options[n - 1]) {
                                chosen.push(q.options[n - 1]);
                            }
                        }
                        _ => {
                            return Err(format!(
                                "answer with option numbers from 1 to {} (e.g. 1,3), none, or ?",
                                q.options.len()
                            ));
                        }
                    }
                }
                if q.kind == AnswerKind::OneOf && chosen.len() > 1 {
                    return Err("choose one option only".into());
                }
                Answer::Chosen(chosen)
            }
        }
    };
    Ok(Reply::Answer(answer))
}

/// Print a question the way the scripted mode shows it.
fn print_question(out: &mut impl Write, kb: &Kb, q: &Question, number: usize) -> Result<()> {
    writeln!(out, "\n{}", progress(number))?;
    writeln!(out, "{}", q.text(kb))?;
    if let Some(help) = q.help(kb) {
        writeln!(out, "  ({help})")?;
    }
    match q.kind {
        AnswerKind::YesNo => writeln!(out, "  yes / no / ? (don't know)")?,
        AnswerKind::Number { min, max } => {
            writeln!(out, "  a number from {min} to {max}, or ? (don't know)")?
        }
        AnswerKind::OneOf | AnswerKind::AnyOf => {
            for (i, &f) in q.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, kb.finding(f).name)?;
            }
            let how = if q.kind == AnswerKind::OneOf {
                "one number"
            } else {
                "all numbers that apply, e.g. 1,3"
            };
            writeln!(out, "  answer: {how}; none; or ? (don't know)")?;
        }
    }
    writeln!(out, "  Why am I asked this? {}", q.why_text(kb))?;
    Ok(())
}

/// Answers read from a script.
struct Scripted<R: BufRead> {
    lines: std::iter::Enumerate<std::io::Lines<R>>,
    source: String,
}

impl<R: BufRead> Scripted<R> {
    fn next_line(&mut self) -> Result<Option<(usize, String)>> {
        for (i, line) in self.lines.by_ref() {
            let line = line.with_context(|| format!("cannot read {}", self.source))?;
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            return Ok(Some((i + 1, t.to_string())));
        }
        Ok(None)
    }
}

impl<R: BufRead> Respondent for Scripted<R> {
    fn opener(
        &mut self,
        mut age: Option<String>,
        mut sex: Option<String>,
        mut text: Option<String>,
    ) -> Result<Case> {
        while age.is_none() || sex.is_none() || text.is_none() {
            let Some((n, line)) = self.next_line()? else {
                bail!(
                    "{} ended before giving {}: add a line like `age: 45`, `sex: female` and `text: ...`, or use --age, --sex and --text",
                    self.source,
                    [("age", &age), ("sex", &sex), ("text", &text)]
                        .iter()
                        .filter(|(_, v)| v.is_none())
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            let (key, value) = line.split_once(':').with_context(|| {
                format!(
                    "{} line {n}: expected `age: ...`, `sex: ...` or `text: ...` before the answers, got '{line}'",
                    self.source
                )
            })?;
            let slot = match key.trim().to_lowercase().as_str() {
                "age" => &mut age,
                "sex" => &mut sex,
                "text" => &mut text,
                other => bail!(
                    "{} line {n}: unknown header '{other}' (use age, sex or text)",
                    self.source
                ),
            };
            if slot.is_none() {
                *slot = Some(value.trim().to_string());
            }
        }
        let (age, sex, text) = (age.unwrap(), sex.unwrap(), text.unwrap());
        case_from(&age, &sex, &text)
    }

    fn ask(&mut self, kb: &Kb, q: &Question, number: usize) -> Result<Reply> {
        let mut out = std::io::stdout().lock();
        print_question(&mut out, kb, q, number)?;
        let Some((n, line)) = self.next_line()? else {
            bail!(
                "{} ran out of answers at question {number} ('{}'): add an answer line (yes, no, ?, none, option numbers or a number)",
                self.source,
                q.text(kb)
            );
        };
        let reply = parse_reply(&line, q).map_err(|how| {
            anyhow::anyhow!(
                "{} line {n}: '{line}' does not answer '{}': {how}",
                self.source,
                q.text(kb)
            )
        })?;
        writeln!(out, "> {line}")?;
        Ok(reply)
    }
}

/// The interactive terminal.
struct Terminal;

fn interrupted(e: inquire::InquireError) -> anyhow::Error {
    anyhow::anyhow!("the check was stopped ({e}); nothing was saved")
}

impl Respondent for Terminal {
    fn opener(
        &mut self,
        age: Option<String>,
        sex: Option<String>,
        text: Option<String>,
    ) -> Result<Case> {
        println!(
            "Dorsum back-pain check. If you think this is an emergency, stop now and call your emergency number.\n"
        );
        let text = match text {
            Some(t) => t,
            None => inquire::Text::new("Describe your back or neck pain in your own words:")
                .with_help_message(
                    "Where it hurts, since when, what makes it worse, anything else you noticed",
                )
                .with_validator(|s: &str| {
                    Ok(if s.trim().is_empty() {
                        inquire::validator::Validation::Invalid("Please write a few words.".into())
                    } else {
                        inquire::validator::Validation::Valid
                    })
                })
                .prompt()
                .map_err(interrupted)?,
        };
        let age = match age {
            Some(a) => a,
            None => inquire::CustomType::<u8>::new("Your age in years:")
                .with_error_message("Type a whole number from 0 to 120.")
                .with_validator(|a: &u8| {
                    Ok(if *a <= 120 {
                        inquire::validator::Validation::Valid
                    } else {
                        inquire::validator::Validation::Invalid(
                            "Type a whole number from 0 to 120.".into(),
                        )
                    })
                })
                .prompt()
                .map_err(interrupted)?
                .to_string(),
        };
        let sex = match sex {
            Some(s) => s,
            None => inquire::Select::new(
                "Sex (used for the chances of some causes):",
                vec!["female", "male"],
            )
            .prompt()
            .map_err(interrupted)?
            .to_string(),
        };
        case_from(&age, &sex, &text)
    }

    fn ask(&mut self, kb: &Kb, q: &Question, number: usize) -> Result<Reply> {
        const DONT_KNOW: &str = "Don't know";
        const WHY: &str = "Why am I asked this?";
        const BACK: &str = "Go back";
        println!("\n{}", progress(number));
        let help = q
            .help(kb)
            .unwrap_or("Esc goes back to the previous question");
        let back_or = |e: inquire::InquireError| match e {
            inquire::InquireError::OperationCanceled => Ok(Reply::Back),
            other => Err(interrupted(other)),
        };
        loop {
            match q.kind {
                AnswerKind::YesNo | AnswerKind::OneOf => {
                    let mut choices: Vec<String> = if q.kind == AnswerKind::YesNo {
                        vec!["Yes".into(), "No".into()]
                    } else {
                        q.options
                            .iter()
                            .map(|&f| kb.finding(f).name.clone())
                            .collect()
                    };
                    choices.extend([DONT_KNOW.into(), WHY.into()]);
                    if number > 1 {
                        choices.push(BACK.into());
                    }
                    let picked = match inquire::Select::new(q.text(kb), choices.clone())
                        .with_help_message(help)
                        .with_page_size(12)
                        .raw_prompt()
                    {
                        Ok(p) => p,
                        Err(e) => return back_or(e),
                    };
                    let answer = match picked.value.as_str() {
                        DONT_KNOW => Answer::DontKnow,
                        BACK => return Ok(Reply::Back),
                        WHY => {
                            println!("  {}", q.why_text(kb));
                            continue;
                        }
                        "Yes" if q.kind == AnswerKind::YesNo => Answer::Yes,
                        "No" if q.kind == AnswerKind::YesNo => Answer::No,
                        _ => Answer::Chosen(vec![q.options[picked.index]]),
                    };
                    return Ok(Reply::Answer(answer));
                }
                AnswerKind::AnyOf => {
                    println!("  Why am I asked this? {}", q.why_text(kb));
                    let mut choices: Vec<String> = q
                        .options
                        .iter()
                        .map(|&f| kb.finding(f).name.clone())
                        .collect();
                    choices.push(DONT_KNOW.into());
                    let picked = match inquire::MultiSelect::new(q.text(kb), choices)
                        .with_help_message(
                            "Space ticks, Enter confirms; tick nothing if none apply. Esc goes back.",
                        )
                        .with_page_size(14)
                        .raw_prompt()
                    {
                        Ok(p) => p,
                        Err(e) => return back_or(e),
                    };
                    if picked.iter().any(|p| p.index == q.options.len()) {
                        return Ok(Reply::Answer(Answer::DontKnow));
                    }
                    return Ok(Reply::Answer(Answer::Chosen(
                        picked.iter().map(|p| q.options[p.index]).collect(),
                    )));
                }
                AnswerKind::Number { min, max } => {
                    let reply = inquire::Text::new(q.text(kb))
                        .with_help_message(&format!(
                            "A number from {min} to {max}; ? if you don't know. Esc goes back. {}",
                            q.why_text(kb)
                        ))
                        .with_validator(move |s: &str| {
                            let s = s.trim();
                            Ok(
                                if s == "?"
                                    || s.parse::<u8>().is_ok_and(|n| (min..=max).contains(&n))
                                {
                                    inquire::validator::Validation::Valid
                                } else {
                                    inquire::validator::Validation::Invalid(
                                        format!("Type a number from {min} to {max}, or ?").into(),
                                    )
                                },
                            )
                        })
                        .prompt();
                    return match reply {
                        Ok(s) if s.trim() == "?" => Ok(Reply::Answer(Answer::DontKnow)),
                        Ok(s) => Ok(Reply::Answer(Answer::Number(s.trim().parse().unwrap_or(0)))),
                        Err(e) => back_or(e),
                    };
                }
            }
        }
    }
}

/// Write a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| {
        format!(
            "cannot write {} (check that the folder exists and you may write to it)",
            path.display()
        )
    })
}

pub fn run(args: CheckArgs, db: Option<&str>, kb_dir: Option<&Path>) -> Result<ExitCode> {
    let dorsum = Dorsum::open(kb_dir)?;
    let mut respondent: Box<dyn Respondent> = match &args.answers {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open answers file {}", path.display()))?;
            Box::new(Scripted {
                lines: std::io::BufReader::new(file).lines().enumerate(),
                source: path.display().to_string(),
            })
        }
        None if !std::io::stdin().is_terminal() => Box::new(Scripted {
            lines: std::io::BufReader::new(std::io::stdin())
                .lines()
                .enumerate(),
            source: "stdin".into(),
        }),
        None => Box::new(Terminal),
    };
    let case = respondent.opener(args.age, args.sex, args.text)?;
    let mut session = Session::start(&dorsum, case);
    print_understood(&dorsum.kb, &session);
    let mut warned = false;
    let (assessment, reason) = loop {
        match session.next() {
            Step::Done { assessment, reason } => break (*assessment, reason),
            Step::Ask {
                question,
                assessment,
            } => {
                // Already an emergency: the few questions left only decide whether it is an ambulance, so
                // say what to do now before them.
                if assessment.triage.level >= TriageLevel::Emergency && !warned {
                    warned = true;
                    print_act_now(assessment.triage.level);
                }
                let number = session.interview.exchanges().len() + 1;
                match respondent.ask(&dorsum.kb, &question, number)? {
                    Reply::Back => {
                        session.interview.back();
                    }
                    Reply::Answer(answer) => session
                        .interview
                        .answer(*question, answer)
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                }
            }
        }
    };
    let answered = session.answered();
    let text = render::text(
        &dorsum.kb,
        &session.case,
        &session.mentions,
        &answered,
        &assessment,
    );
    let mut out = std::io::stdout().lock();
    writeln!(out)?;
    if assessment.triage.level >= TriageLevel::Emergency {
        writeln!(out, "STOP THE CHECK HERE: THIS NEEDS HELP NOW.")?;
    }
    out.write_all(text.as_bytes())?;
    writeln!(
        out,
        "\n({} questions asked; stopped: {})",
        session.interview.exchanges().len(),
        reason.as_str()
    )?;
    let json = session.result(&assessment, reason, &answered);
    if let Some(path) = &args.save_json {
        let mut bytes = serde_json::to_vec_pretty(&json)?;
        bytes.push(b'\n');
        write_atomically(path, &bytes)?;
        writeln!(out, "Saved the result as JSON to {}", path.display())?;
    }
    if let Some(path) = &args.save_markdown {
        let md = render::markdown(
            &dorsum.kb,
            &session.case,
            &session.mentions,
            &answered,
            &assessment,
        );
        write_atomically(path, md.as_bytes())?;
        writeln!(out, "Saved the result as Markdown to {}", path.display())?;
    }
    if !args.no_save {
        let pain = session
            .interview
            .exchanges()
            .iter()
            .find_map(|e| match e.answer {
                Answer::Number(n) => Some(n),
                _ => None,
            });
        let mut observations = dorsum_app::pipeline::observations(&session.mentions);
        observations.extend(answered.iter().copied());
        let (id, location) = crate::store::save(
            db,
            &dorsum,
            &session.case,
            &observations,
            &assessment,
            &json,
            pain,
        )?;
        writeln!(
            out,
            "Saved as {id} in {location} (`dorsum plan` and `dorsum diary` use it)."
        )?;
    }
    crate::report::offer_psfs(&mut out, assessment.triage.level)?;
    Ok(ExitCode::SUCCESS)
}

/// What to do now, before the last questions of an interview that is already an emergency.
fn print_act_now(level: TriageLevel) {
    println!(
        "\n{}\nWhat you have told me already needs emergency care. At most {} quick questions follow, to \
         check whether you need an ambulance instead. Do not wait for them if you feel worse: call an \
         ambulance.",
        render::heading(level),
        dorsum_engine::interview::MAX_ESCALATION
    );
}

fn print_understood(kb: &Kb, session: &Session<'_>) {
    if session.mentions.is_empty() {
        println!(
            "\nI did not recognise anything specific yet; the questions will fill in the picture."
        );
        return;
    }
    println!("\nWhat I understood from your words:");
    for m in &session.mentions {
        println!(
            "  - {} [{}]: \"{}\"",
            kb.finding(m.finding).name,
            m.assertion.as_str(),
            &session.case.text[m.span.0..m.span.1]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dorsum_engine::interview::Why;
    use dorsum_kb::FindingIx;

    fn q(kind: AnswerKind, n: u16) -> Question {
        Question {
            group: None,
            kind,
            options: (0..n).map(FindingIx).collect(),
            why: Why {
                could_raise_to: None,
                rules: Vec::new(),
                separates: Vec::new(),
                gain: 0.0,
            },
            top3: Vec::new(),
        }
    }

    fn answer(line: &str, q: &Question) -> Answer {
        match parse_reply(line, q) {
            Ok(Reply::Answer(a)) => a,
            Ok(Reply::Back) => panic!("back"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn scripted_answers_parse_by_question_kind() {
        let yn = q(AnswerKind::YesNo, 1);
        assert_eq!(answer("Yes", &yn), Answer::Yes);
        assert_eq!(answer(" n ", &yn), Answer::No);
        assert_eq!(answer("?", &yn), Answer::DontKnow);
        assert_eq!(answer("don't know", &yn), Answer::DontKnow);
        assert!(parse_reply("2", &yn).is_err());
        let any = q(AnswerKind::AnyOf, 3);
        assert_eq!(
            answer("1,3", &any),
            Answer::Chosen(vec![FindingIx(0), FindingIx(2)])
        );
        assert_eq!(answer("3 3", &any), Answer::Chosen(vec![FindingIx(2)]));
        assert_eq!(answer("none", &any), Answer::Chosen(vec![]));
        assert!(parse_reply("4", &any).is_err());
        assert!(parse_reply("yes", &any).is_err());
        let one = q(AnswerKind::OneOf, 3);
        assert!(parse_reply("1,2", &one).is_err());
        let num = q(AnswerKind::Number { min: 0, max: 10 }, 1);
        assert_eq!(answer("7", &num), Answer::Number(7));
        assert!(parse_reply("11", &num).is_err());
        assert!(matches!(parse_reply("back", &num), Ok(Reply::Back)));
    }

    #[test]
    fn progress_shows_the_cap() {
        assert!(progress(3).starts_with("Question 3 [###"));
    }
}
