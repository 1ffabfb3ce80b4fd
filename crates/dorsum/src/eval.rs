//! `dorsum eval FILE.jsonl`: score vignettes as BRIEF §6 describes; each miss, then one SUMMARY line.

use crate::assess::parse_line;
use anyhow::{Context, Result};
use dorsum_app::pipeline::Dorsum;
use dorsum_engine::Assessment;
use dorsum_kb::TriageLevel;
use std::path::Path;
use std::process::ExitCode;

/// True when a predicted ICD-10 code matches an expected one: equal, or one extends the other, except that
/// a bare three-character prediction does not match a longer expected code.
pub fn code_matches(predicted: &str, expected: &str) -> bool {
    predicted == expected
        || predicted.starts_with(expected)
        || (predicted.len() > 3 && expected.starts_with(predicted))
}

/// One vignette's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub triage_ok: bool,
    pub under: bool,
    /// `Some(caught)` for emergency cases.
    pub emergency: Option<bool>,
    pub top3: bool,
    pub region_ok: bool,
}

/// Score one case.
pub fn score(
    level: TriageLevel,
    acceptable: &[TriageLevel],
    top3_codes: &[&str],
    expected_codes: &[String],
    region: &str,
    expected_region: &str,
) -> Outcome {
    let emergency_case = acceptable
        .first()
        .is_some_and(|l| *l >= TriageLevel::Emergency);
    Outcome {
        triage_ok: acceptable.contains(&level),
        under: acceptable.iter().all(|l| level < *l),
        emergency: emergency_case.then_some(level >= TriageLevel::Emergency),
        top3: top3_codes
            .iter()
            .any(|p| expected_codes.iter().any(|e| code_matches(p, e))),
        region_ok: region == expected_region,
    }
}

/// Totals over a set of outcomes, as percentages with one decimal.
pub fn summary(outcomes: &[Outcome]) -> String {
    let n = outcomes.len().max(1) as f64;
    let pct = |k: usize| k as f64 * 100.0 / n;
    let emergencies: Vec<bool> = outcomes.iter().filter_map(|o| o.emergency).collect();
    let emerg = if emergencies.is_empty() {
        100.0
    } else {
        emergencies.iter().filter(|c| **c).count() as f64 * 100.0 / emergencies.len() as f64
    };
    format!(
        "SUMMARY triage={:.1} under={:.1} emerg_sens={:.1} top3={:.1} region={:.1}",
        pct(outcomes.iter().filter(|o| o.triage_ok).count()),
        pct(outcomes.iter().filter(|o| o.under).count()),
        emerg,
        pct(outcomes.iter().filter(|o| o.top3).count()),
        pct(outcomes.iter().filter(|o| o.region_ok).count()),
    )
}

/// One vignette: the case and what counts as right.
pub struct Vignette {
    pub case: dorsum_app::pipeline::Case,
    pub acceptable: Vec<TriageLevel>,
    pub codes: Vec<String>,
    pub region: String,
}

/// Read a vignette file; a bad line is an error naming the file and line.
pub fn load(file: &Path) -> Result<Vec<Vignette>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read vignette file {}", file.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let where_ = format!("{}:{}", file.display(), i + 1);
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{where_}: not valid JSON"))?;
        let case = parse_line(line).map_err(|(_, e)| {
            anyhow::anyhow!("{where_}: {} {}", e.field.unwrap_or("line"), e.message)
        })?;
        let acceptable: Vec<TriageLevel> = value["triage"]
            .as_array()
            .with_context(|| format!("{where_}: \"triage\" must be a list of levels"))?
            .iter()
            .map(|l| {
                l.as_str()
                    .unwrap_or_default()
                    .parse::<TriageLevel>()
                    .map_err(|e| anyhow::anyhow!("{where_}: triage: {e}"))
            })
            .collect::<Result<_>>()?;
        let codes: Vec<String> = value["conditions"]
            .as_array()
            .with_context(|| format!("{where_}: \"conditions\" must be a list of ICD-10 codes"))?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
        let region = value["region"].as_str().unwrap_or_default().to_string();
        out.push(Vignette {
            case,
            acceptable,
            codes,
            region,
        });
    }
    Ok(out)
}

/// Score one assessment against its vignette, printing a MISS line when something is wrong.
pub fn judge(kb: &dorsum_kb::Kb, v: &Vignette, a: &Assessment, label: &str) -> Outcome {
    let top3: Vec<&str> = a
        .conditions
        .iter()
        .take(3)
        .flat_map(|rc| kb.condition(rc.condition).icd10.iter().map(String::as_str))
        .collect();
    let outcome = score(
        a.triage.level,
        &v.acceptable,
        &top3,
        &v.codes,
        a.region.as_str(),
        &v.region,
    );
    if !(outcome.triage_ok && outcome.top3 && outcome.region_ok) {
        let case = &v.case;
        let id = case
            .id
            .as_str()
            .map_or_else(|| case.id.to_string(), str::to_string);
        let top_ids: Vec<&str> = a
            .conditions
            .iter()
            .take(3)
            .map(|rc| kb.condition(rc.condition).id.as_str())
            .collect();
        println!(
            "{label} {id}:{}{}{}{} triage={} expected={} top3=[{}] expected_codes=[{}] region={} expected_region={}",
            if outcome.triage_ok { "" } else { " triage" },
            if outcome.under { " UNDER" } else { "" },
            if outcome.top3 { "" } else { " diagnosis" },
            if outcome.region_ok { "" } else { " region" },
            a.triage.level,
            v.acceptable
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            top_ids.join(", "),
            v.codes.join(", "),
            a.region,
            v.region,
        );
    }
    outcome
}

pub fn run(file: &Path, interview: bool, trace: bool, kb_dir: Option<&Path>) -> Result<ExitCode> {
    let vignettes = load(file)?;
    let dorsum = Dorsum::open(kb_dir)?;
    let mut outcomes = Vec::new();
    for v in &vignettes {
        let (_, a) = dorsum.run(&v.case);
        outcomes.push(judge(
            &dorsum.kb,
            v,
            &a,
            if interview { "FULLTEXT-MISS" } else { "MISS" },
        ));
    }
    if !interview {
        println!("{}", summary(&outcomes));
        return Ok(ExitCode::SUCCESS);
    }
    println!("FULLTEXT {}", &summary(&outcomes)["SUMMARY ".len()..]);
    let mut interviewed = Vec::new();
    let mut counts = Vec::new();
    for v in &vignettes {
        let (a, asked, transcript) = crate::simulate::interview(&dorsum, &v.case);
        let outcome = judge(&dorsum.kb, v, &a, "MISS");
        if trace && !(outcome.triage_ok && outcome.top3 && outcome.region_ok) {
            for line in transcript {
                println!("    {line}");
            }
        }
        interviewed.push(outcome);
        counts.push(asked);
    }
    counts.sort_unstable();
    println!(
        "{} questions_median={} questions_p90={}",
        summary(&interviewed),
        nearest_rank(&counts, 50),
        nearest_rank(&counts, 90)
    );
    Ok(ExitCode::SUCCESS)
}

/// The nearest-rank percentile of sorted values (0 for none).
pub fn nearest_rank(sorted: &[usize], percent: usize) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use TriageLevel::*;

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank(&[], 50), 0);
        assert_eq!(nearest_rank(&[4], 90), 4);
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), 2);
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), 10);
    }

    #[test]
    fn icd10_matching_follows_the_brief() {
        assert!(code_matches("I21.9", "I21"));
        assert!(code_matches("M48.06", "M48.0"));
        assert!(code_matches("M48.0", "M48.06"));
        assert!(code_matches("M54.5", "M54.5"));
        assert!(!code_matches("I21", "I21.9"));
        assert!(!code_matches("M54.5", "M54.6"));
    }

    #[test]
    fn scoring_counts_under_triage_and_emergencies() {
        let o = score(
            Consultation,
            &[Emergency, Consultation24],
            &["M54.5"],
            &["M54.5".into()],
            "lower",
            "upper",
        );
        assert!(!o.triage_ok && o.under && o.emergency == Some(false) && o.top3 && !o.region_ok);
        let o = score(
            Emergency,
            &[Consultation24, Emergency],
            &[],
            &["N20".into()],
            "lower",
            "lower",
        );
        assert!(o.triage_ok && !o.under && o.emergency.is_none() && !o.top3 && o.region_ok);
        let o = score(
            EmergencyAmbulance,
            &[Consultation],
            &[],
            &[],
            "neck",
            "neck",
        );
        assert!(!o.triage_ok && !o.under);
    }

    #[test]
    fn summary_has_one_decimal_and_no_percent_signs() {
        let good = Outcome {
            triage_ok: true,
            under: false,
            emergency: Some(true),
            top3: true,
            region_ok: true,
        };
        let bad = Outcome {
            triage_ok: false,
            under: true,
            emergency: Some(false),
            top3: false,
            region_ok: false,
        };
        assert_eq!(
            summary(&[good.clone(), good, bad]),
            "SUMMARY triage=66.7 under=33.3 emerg_sens=66.7 top3=66.7 region=66.7"
        );
    }
}
