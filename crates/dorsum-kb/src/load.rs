//! Parse and validate knowledge-base files into a [`Kb`].
//!
//! The loader never reads files itself: callers hand it `(path, text)` pairs, so it is the same code for
//! the embedded copy and for `dorsum kb check DIR`. Every problem is collected (not just the first) and
//! points at a file and line.

use crate::model::*;
use crate::problem::{Problem, Problems, Severity};
use crate::raw::*;
use crate::vocab::{AGE_BANDS, FindingKind, RuleKind, TreatmentKind, TriageLevel};
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// One knowledge-base file handed to the loader.
#[derive(Debug, Clone, Copy)]
pub struct KbFile<'a> {
    /// Path used in problem reports.
    pub path: &'a str,
    pub text: &'a str,
}

/// How many numeric parameters come from publications and how many are estimates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParameterCounts {
    pub published: usize,
    pub estimated: usize,
}

/// Counts reported by `dorsum kb check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub sources: usize,
    pub findings: usize,
    pub phrases: usize,
    pub conditions: usize,
    pub red_flag_rules: usize,
    pub follow_up_rules: usize,
    pub exercises: usize,
    pub treatments: usize,
    pub priors: ParameterCounts,
    pub likelihood_ratios: ParameterCounts,
    pub thresholds: ParameterCounts,
}

impl Stats {
    /// Priors, likelihood ratios and thresholds together.
    pub fn parameters(&self) -> ParameterCounts {
        ParameterCounts {
            published: self.priors.published
                + self.likelihood_ratios.published
                + self.thresholds.published,
            estimated: self.priors.estimated
                + self.likelihood_ratios.estimated
                + self.thresholds.estimated,
        }
    }
}

/// The outcome of checking a knowledge base: the loaded value when there were no errors, every problem
/// found, and counts.
#[derive(Debug)]
pub struct Report {
    pub kb: Option<Kb>,
    pub problems: Vec<Problem>,
    pub stats: Stats,
}

/// Load and validate, failing on any error.
pub fn load(files: &[KbFile<'_>]) -> Result<Kb, Problems> {
    let report = check(files);
    match report.kb {
        Some(kb) => Ok(kb),
        None => Err(Problems(report.problems)),
    }
}

/// Load and validate, reporting every problem and the parameter counts.
pub fn check(files: &[KbFile<'_>]) -> Report {
    let mut cx = Checker {
        files,
        line_starts: files.iter().map(|f| line_starts(f.text)).collect(),
        problems: Vec::new(),
    };
    let parsed: Vec<(usize, RawFile)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match toml::from_str::<RawFile>(f.text) {
            Ok(raw) => Some((i, raw)),
            Err(e) => {
                let at = e.span().map(|s| s.start);
                cx.error(i, at, format!("cannot parse: {}", e.message().trim()));
                None
            }
        })
        .collect();
    let mut stats = Stats::default();
    let kb = build(&mut cx, parsed, &mut stats);
    let mut problems = cx.problems;
    problems.sort_by(|a, b| {
        (a.path.as_str(), a.line, &a.message).cmp(&(b.path.as_str(), b.line, &b.message))
    });
    let kb = if problems.iter().any(|p| p.severity == Severity::Error) {
        None
    } else {
        kb
    };
    Report {
        kb,
        problems,
        stats,
    }
}

struct Checker<'a> {
    files: &'a [KbFile<'a>],
    line_starts: Vec<Vec<usize>>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, severity: Severity, file: usize, at: Option<usize>, message: String) {
        let line = at.map(
            |offset| match self.line_starts[file].binary_search(&offset) {
                Ok(i) => i + 1,
                Err(i) => i,
            },
        );
        self.problems.push(Problem {
            severity,
            path: self.files[file].path.to_string(),
            line,
            message,
        });
    }

    fn error(&mut self, file: usize, at: Option<usize>, message: String) {
        self.push(Severity::Error, file, at, message);
    }

    fn warn(&mut self, file: usize, at: Option<usize>, message: String) {
        self.push(Severity::Warning, file, at, message);
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Where an entry was written: file index and byte offset.
#[derive(Clone, Copy)]
struct At(usize, usize);

fn spanned<T>(file: usize, s: Spanned<T>) -> (At, T) {
    let at = At(file, s.span().start);
    (at, s.into_inner())
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

/// ICD-10 code shape: a letter, two digits, optionally a dot and one to four more characters.
fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_digit() {
        return false;
    }
    if !(b[2].is_ascii_digit() || b[2] == b'A' || b[2] == b'B') {
        return false;
    }
    match &b[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=4).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        }
        _ => false,
    }
}

fn build(cx: &mut Checker<'_>, parsed: Vec<(usize, RawFile)>, stats: &mut Stats) -> Option<Kb> {
    let mut metas = Vec::new();
    let mut sources = Vec::new();
    let mut groups = Vec::new();
    let mut findings = Vec::new();
    let mut conditions = Vec::new();
    let mut rules = Vec::new();
    let mut exercises = Vec::new();
    let mut treatments = Vec::new();
    for (file, raw) in parsed {
        if let Some(m) = raw.meta {
            metas.push(spanned(file, m));
        }
        sources.extend(raw.source.into_iter().map(|s| spanned(file, s)));
        groups.extend(raw.group.into_iter().map(|s| spanned(file, s)));
        findings.extend(raw.finding.into_iter().map(|s| spanned(file, s)));
        conditions.extend(raw.condition.into_iter().map(|s| (file, s)));
        rules.extend(raw.rule.into_iter().map(|s| spanned(file, s)));
        exercises.extend(raw.exercise.into_iter().map(|s| spanned(file, s)));
        treatments.extend(raw.treatment.into_iter().map(|s| spanned(file, s)));
    }

    // meta
    let meta = match metas.len() {
        0 => {
            if !cx.files.is_empty() {
                cx.error(
                    0,
                    None,
                    "no [meta] table (version, emergency_number) in any file".into(),
                );
            }
            None
        }
        n => {
            for (At(f, o), _) in metas.iter().skip(1) {
                cx.error(
                    *f,
                    Some(*o),
                    format!("[meta] given {n} times; keep exactly one"),
                );
            }
            let (_, m) = metas.swap_remove(0);
            Some(Meta {
                version: m.version,
                emergency_number: m.emergency_number,
            })
        }
    };

    // sources
    let mut source_ids = HashMap::new();
    let mut source_list = Vec::new();
    for (At(f, o), s) in sources {
        if !unique_id(
            cx,
            f,
            o,
            "source",
            &s.id,
            &mut source_ids,
            source_list.len(),
        ) {
            continue;
        }
        if s.title.trim().is_empty() {
            cx.error(f, Some(o), format!("source '{}' has an empty title", s.id));
        }
        if s.publication.is_none() && s.file.is_none() && s.url.is_none() {
            cx.error(
                f,
                Some(o),
                format!("source '{}' needs a publication, url or seed file", s.id),
            );
        }
        source_list.push(Source {
            id: s.id,
            title: s.title,
            authors: s.authors,
            publication: s.publication,
            url: s.url,
            file: s.file,
        });
    }
    let citation = |cx: &mut Checker<'_>,
                    f: usize,
                    o: usize,
                    what: &str,
                    cite: Vec<String>,
                    estimate: bool,
                    rationale: Option<String>|
     -> Citation {
        if cite.is_empty() {
            cx.error(
                f,
                Some(o),
                format!("{what}: missing citation (cite = [...])"),
            );
        }
        for id in &cite {
            if !source_ids.contains_key(id) {
                cx.error(f, Some(o), format!("{what}: cites unknown source '{id}'"));
            }
        }
        let rationale = rationale.filter(|r| !r.trim().is_empty());
        if estimate && rationale.is_none() {
            cx.error(
                f,
                Some(o),
                format!("{what}: estimate = true needs a one-line rationale"),
            );
        }
        Citation {
            cite,
            estimate,
            rationale,
        }
    };

    // groups
    let mut group_ids: HashMap<String, usize> = HashMap::new();
    let mut group_list = Vec::new();
    for (At(f, o), g) in groups {
        if !unique_id(cx, f, o, "group", &g.id, &mut group_ids, group_list.len()) {
            continue;
        }
        group_list.push(Group {
            id: g.id,
            question: g.question,
            help: g.help,
            exclusive: g.exclusive,
            members: Vec::new(),
        });
    }

    // findings
    let mut finding_ids: HashMap<String, usize> = HashMap::new();
    let mut finding_list: Vec<Finding> = Vec::new();
    let mut finding_at: Vec<At> = Vec::new();
    let mut phrase_owner: HashMap<String, usize> = HashMap::new();
    let mut family_links: Vec<(usize, String)> = Vec::new();
    for (At(f, o), r) in findings {
        if !unique_id(
            cx,
            f,
            o,
            "finding",
            &r.id,
            &mut finding_ids,
            finding_list.len(),
        ) {
            continue;
        }
        let ix = finding_list.len();
        let group = r.group.as_ref().and_then(|g| match group_ids.get(g) {
            Some(&gi) => {
                group_list[gi].members.push(FindingIx(ix as u16));
                Some(GroupIx(gi as u16))
            }
            None => {
                cx.error(
                    f,
                    Some(o),
                    format!("finding '{}' names unknown group '{g}'", r.id),
                );
                None
            }
        });
        if r.region.is_some()
            && matches!(
                r.kind,
                FindingKind::RiskFactor | FindingKind::History | FindingKind::Duration
            )
        {
            cx.error(
                f,
                Some(o),
                format!(
                    "finding '{}': a region belongs on findings that place the pain (locations, radiation, symptoms)",
                    r.id
                ),
            );
        }
        if r.question.trim().is_empty() {
            cx.error(f, Some(o), format!("finding '{}' has no question", r.id));
        }
        if r.phrases.is_empty() && r.kind != FindingKind::Duration {
            cx.warn(
                f,
                Some(o),
                format!(
                    "finding '{}' has no phrases: text intake cannot find it",
                    r.id
                ),
            );
        }
        for p in r.phrases.iter().chain(&r.absent_phrases) {
            if p.trim().is_empty() || p.trim() != p || *p != p.to_lowercase() {
                cx.error(
                    f,
                    Some(o),
                    format!(
                        "finding '{}': phrase '{p}' must be lower case with no outer spaces",
                        r.id
                    ),
                );
            }
            if let Some(&other) = phrase_owner.get(p) {
                if other != ix {
                    cx.error(
                        f,
                        Some(o),
                        format!(
                            "finding '{}': phrase '{p}' is also a phrase of '{}'",
                            r.id, finding_list[other].id
                        ),
                    );
                }
            } else {
                phrase_owner.insert(p.clone(), ix);
            }
        }
        if let Some([lo, hi]) = r.days
            && (r.kind != FindingKind::Duration || !(lo >= 0.0 && lo < hi))
        {
            cx.error(
                f,
                Some(o),
                format!(
                    "finding '{}': days = [{lo}, {hi}] needs kind = \"duration\" and 0 <= min < max",
                    r.id
                ),
            );
        }
        for (name, range, lo_ok, hi_ok) in [
            ("temperature_c", r.temperature_c, 30.0, 46.0),
            ("pain_score", r.pain_score, 0.0, 11.0),
        ] {
            if let Some([lo, hi]) = range
                && !(lo >= lo_ok && lo < hi && hi <= hi_ok)
            {
                cx.error(
                    f,
                    Some(o),
                    format!(
                        "finding '{}': {name} = [{lo}, {hi}] must satisfy {lo_ok} <= min < max <= {hi_ok}",
                        r.id
                    ),
                );
            }
        }
        if let Some(link) = &r.family_history {
            family_links.push((ix, link.clone()));
        }
        stats.phrases += r.phrases.len() + r.absent_phrases.len();
        finding_list.push(Finding {
            id: r.id,
            name: r.name,
            kind: r.kind,
            region: r.region,
            group,
            question: r.question,
            help: r.help,
            phrases: r.phrases,
            absent_phrases: r.absent_phrases,
            days: r.days.map(|[lo, hi]| (lo, hi)),
            temperature_c: r.temperature_c.map(|[lo, hi]| (lo, hi)),
            pain_score: r.pain_score.map(|[lo, hi]| (lo, hi)),
            family_history: None,
            red_flag: false,
            sex: r.sex,
        });
        finding_at.push(At(f, o));
    }
    for (ix, id) in family_links {
        let At(f, o) = finding_at[ix];
        match finding_ids.get(&id) {
            Some(&target) => finding_list[ix].family_history = Some(FindingIx(target as u16)),
            None => cx.error(
                f,
                Some(o),
                format!(
                    "finding '{}': family_history names unknown finding '{id}'",
                    finding_list[ix].id
                ),
            ),
        }
    }
    let find = |cx: &mut Checker<'_>, f: usize, o: usize, what: &str, id: &str| {
        let found = finding_ids.get(id).map(|&i| FindingIx(i as u16));
        if found.is_none() {
            cx.error(f, Some(o), format!("{what} names unknown finding '{id}'"));
        }
        found
    };

    // conditions
    let mut condition_ids: HashMap<String, usize> = HashMap::new();
    let mut condition_list: Vec<Condition> = Vec::new();
    for (f, sc) in conditions {
        let o = sc.span().start;
        let c = sc.into_inner();
        if !unique_id(
            cx,
            f,
            o,
            "condition",
            &c.id,
            &mut condition_ids,
            condition_list.len(),
        ) {
            continue;
        }
        let what = format!("condition '{}'", c.id);
        if c.icd10.is_empty() {
            cx.error(f, Some(o), format!("{what} has no ICD-10 code"));
        }
        for code in &c.icd10 {
            if !is_icd10(code) {
                cx.error(
                    f,
                    Some(o),
                    format!("{what}: '{code}' is not an ICD-10 code such as M54.5"),
                );
            }
        }
        if !(c.threshold > 0.0 && c.threshold <= 1.0) {
            cx.error(
                f,
                Some(o),
                format!("{what}: threshold {} must be in (0, 1]", c.threshold),
            );
        }
        let threshold_citation = match c.threshold_cite {
            Some(t) => {
                count(&mut stats.thresholds, t.estimate);
                citation(
                    cx,
                    f,
                    o,
                    &format!("{what} threshold"),
                    t.cite,
                    t.estimate,
                    t.rationale,
                )
            }
            None => {
                cx.error(
                    f,
                    Some(o),
                    format!("{what}: threshold needs threshold_cite = {{ cite = [...] }}"),
                );
                Citation {
                    cite: Vec::new(),
                    estimate: false,
                    rationale: None,
                }
            }
        };
        let (At(pf, po), prior) = spanned(f, c.prior);
        count(&mut stats.priors, prior.estimate);
        let prior_citation = citation(
            cx,
            pf,
            po,
            &format!("{what} prior"),
            prior.cite,
            prior.estimate,
            prior.rationale,
        );
        let mut table = [[f64::NAN; 2]; AGE_BANDS.len()];
        for band in prior.bands {
            let (At(bf, bo), b) = spanned(pf, band);
            match AGE_BANDS.iter().position(|(label, _, _)| *label == b.age) {
                Some(i) => {
                    if !table[i][0].is_nan() {
                        cx.error(
                            bf,
                            Some(bo),
                            format!("{what}: age band '{}' given twice", b.age),
                        );
                    }
                    for p in [b.female, b.male] {
                        if !(p > 0.0 && p < 1.0) {
                            cx.error(bf, Some(bo), format!("{what}: prior {p} must be in (0, 1)"));
                        }
                    }
                    table[i] = [b.female, b.male];
                }
                None => cx.error(
                    bf,
                    Some(bo),
                    format!(
                        "{what}: unknown age band '{}' (use {})",
                        b.age,
                        AGE_BANDS.map(|b| b.0).join(", ")
                    ),
                ),
            }
        }
        for (i, row) in table.iter_mut().enumerate() {
            if row[0].is_nan() {
                cx.error(
                    pf,
                    Some(po),
                    format!("{what}: prior has no row for age band '{}'", AGE_BANDS[i].0),
                );
                *row = [0.5, 0.5];
            }
        }
        let mut likelihoods = Vec::new();
        let mut seen = HashSet::new();
        for slr in c.lr {
            let (At(lf, lo), lr) = spanned(f, slr);
            let lwhat = format!("{what}, finding '{}'", lr.finding);
            let Some(fx) = find(cx, lf, lo, &what, &lr.finding) else {
                continue;
            };
            if !seen.insert(fx) {
                cx.error(lf, Some(lo), format!("{lwhat}: likelihood given twice"));
            }
            let (lr_pos, lr_neg) = match (lr.lr_pos, lr.lr_neg, lr.sensitivity, lr.specificity) {
                (Some(p), n, None, None) => (p, n.unwrap_or(1.0)),
                (None, None, Some(se), Some(sp)) => {
                    if !(se > 0.0 && se < 1.0 && sp > 0.0 && sp < 1.0) {
                        cx.error(
                            lf,
                            Some(lo),
                            format!("{lwhat}: sensitivity and specificity must be in (0, 1)"),
                        );
                        continue;
                    }
                    (se / (1.0 - sp), (1.0 - se) / sp)
                }
                _ => {
                    cx.error(
                        lf,
                        Some(lo),
                        format!(
                            "{lwhat}: give lr_pos (and optionally lr_neg), or sensitivity and specificity"
                        ),
                    );
                    continue;
                }
            };
            for (name, v) in [("lr_pos", lr_pos), ("lr_neg", lr_neg)] {
                if !(0.01..=100.0).contains(&v) {
                    cx.error(
                        lf,
                        Some(lo),
                        format!("{lwhat}: {name} {v:.3} is outside [0.01, 100]"),
                    );
                }
            }
            count(&mut stats.likelihood_ratios, lr.estimate);
            let citation = citation(cx, lf, lo, &lwhat, lr.cite, lr.estimate, lr.rationale);
            likelihoods.push(Likelihood {
                finding: fx,
                lr_pos,
                lr_neg,
                ln_pos: lr_pos.ln(),
                ln_neg: lr_neg.ln(),
                citation,
            });
        }
        if !likelihoods.iter().any(|l| l.lr_pos > 1.0) {
            cx.error(
                f,
                Some(o),
                format!("{what}: no finding raises it (needs some lr_pos > 1)"),
            );
        }
        condition_list.push(Condition {
            id: c.id,
            name: c.name,
            clinical_name: c.clinical_name,
            icd10: c.icd10,
            category: c.category,
            region: c.region,
            urgency: c.urgency,
            threshold: c.threshold,
            threshold_citation,
            summary: c.summary,
            prior: Prior {
                table,
                citation: prior_citation,
            },
            likelihoods,
        });
    }

    // rules
    let mut rule_ids: HashMap<String, usize> = HashMap::new();
    let mut rule_list: Vec<Rule> = Vec::new();
    let mut rule_at: Vec<At> = Vec::new();
    for (At(f, o), r) in rules {
        if !unique_id(cx, f, o, "rule", &r.id, &mut rule_ids, rule_list.len()) {
            continue;
        }
        let what = format!("rule '{}'", r.id);
        let all: Vec<FindingIx> = r
            .all
            .iter()
            .filter_map(|id| find(cx, f, o, &what, id))
            .collect();
        let any: Vec<FindingIx> = r
            .any
            .iter()
            .filter_map(|id| find(cx, f, o, &what, id))
            .collect();
        let unless: Vec<FindingIx> = r
            .unless
            .iter()
            .filter_map(|id| find(cx, f, o, &what, id))
            .collect();
        if r.all.is_empty() && r.any.is_empty() {
            cx.error(f, Some(o), format!("{what} tests no findings"));
        }
        let age = |cx: &mut Checker<'_>, v: Option<i64>| {
            v.and_then(|a| match u8::try_from(a) {
                Ok(a) if a <= 120 => Some(a),
                _ => {
                    cx.error(f, Some(o), format!("{what}: age {a} must be 0-120"));
                    None
                }
            })
        };
        let min_age = age(cx, r.min_age);
        let max_age = age(cx, r.max_age);
        if let (Some(lo), Some(hi)) = (min_age, max_age)
            && lo > hi
        {
            cx.error(
                f,
                Some(o),
                format!("{what}: min_age {lo} is above max_age {hi}"),
            );
        }
        if r.text.trim().is_empty() {
            cx.error(f, Some(o), format!("{what} has no text"));
        }
        let citation = citation(cx, f, o, &what, r.cite, r.estimate, r.rationale);
        match r.kind {
            RuleKind::RedFlag => stats.red_flag_rules += 1,
            RuleKind::FollowUp => stats.follow_up_rules += 1,
        }
        rule_list.push(Rule {
            id: r.id,
            kind: r.kind,
            level: r.level,
            all,
            any,
            unless,
            min_age,
            max_age,
            sex: r.sex,
            text: r.text,
            citation,
        });
        rule_at.push(At(f, o));
    }
    for (rule, &At(f, o)) in rule_list.iter().zip(&rule_at) {
        if rule.kind != RuleKind::RedFlag {
            continue;
        }
        let not_risk = |ix: &FindingIx| finding_list[ix.0 as usize].kind != FindingKind::RiskFactor;
        let needs_sign = rule.all.iter().any(not_risk)
            || (!rule.any.is_empty() && rule.any.iter().all(not_risk));
        if !needs_sign && (!rule.all.is_empty() || !rule.any.is_empty()) {
            cx.error(
                f,
                Some(o),
                format!(
                    "red-flag rule '{}' can fire on risk factors alone; a risk factor shifts probabilities, it is not a red flag",
                    rule.id
                ),
            );
        }
        for ix in rule.all.iter().chain(&rule.any) {
            let finding = &mut finding_list[ix.0 as usize];
            // Locations, durations and risk factors give a rule its context; they are not warning signs.
            if !matches!(
                finding.kind,
                FindingKind::Location | FindingKind::Duration | FindingKind::RiskFactor
            ) {
                finding.red_flag = true;
            }
        }
    }

    // An exception must never be a warning sign, or reporting that sign could switch a rule off.
    for (rule, &At(f, o)) in rule_list.iter().zip(&rule_at) {
        for ix in &rule.unless {
            let finding = &finding_list[ix.0 as usize];
            if finding.red_flag {
                cx.error(
                    f,
                    Some(o),
                    format!(
                        "rule '{}': 'unless' names warning sign '{}'; reporting a warning sign must never switch a rule off",
                        rule.id, finding.id
                    ),
                );
            }
        }
    }

    // Monotonicity. The engine never lets a present warning sign argue against a condition when it tests
    // thresholds, but a sign reported absent and then present swaps lr_neg for lr_pos: absence must not
    // count for more than presence.
    for c in &condition_list {
        if c.urgency == TriageLevel::SelfCare {
            continue;
        }
        for l in &c.likelihoods {
            let fnd = &finding_list[l.finding.0 as usize];
            if fnd.red_flag && l.lr_neg > l.lr_pos.max(1.0) {
                let At(f, o) = finding_at[l.finding.0 as usize];
                cx.error(
                    f,
                    Some(o),
                    format!(
                        "warning sign '{}' has lr_neg {:.2} above lr_pos {:.2} for urgent condition '{}': its absence would count for more than its presence (need lr_neg <= max(lr_pos, 1))",
                        fnd.id, l.lr_neg, l.lr_pos, c.id
                    ),
                );
            }
        }
    }

    // exercises and treatments
    let resolve =
        |cx: &mut Checker<'_>, f: usize, o: usize, what: &str, raw: RawContraindications| {
            let findings = raw
                .findings
                .iter()
                .filter_map(|id| find(cx, f, o, what, id))
                .collect();
            let conditions = raw
                .conditions
                .iter()
                .filter_map(|id| match condition_ids.get(id) {
                    Some(&i) => Some(ConditionIx(i as u16)),
                    None => {
                        cx.error(f, Some(o), format!("{what} names unknown condition '{id}'"));
                        None
                    }
                })
                .collect();
            Contraindications {
                findings,
                conditions,
            }
        };
    let mut exercise_ids = HashMap::new();
    let mut exercise_list = Vec::new();
    for (At(f, o), e) in exercises {
        if !unique_id(
            cx,
            f,
            o,
            "exercise",
            &e.id,
            &mut exercise_ids,
            exercise_list.len(),
        ) {
            continue;
        }
        let what = format!("exercise '{}'", e.id);
        if e.regions.is_empty() {
            cx.error(f, Some(o), format!("{what} has no regions"));
        }
        if e.steps.is_empty() {
            cx.error(f, Some(o), format!("{what} has no steps"));
        }
        if e.contraindications.findings.is_empty() && e.contraindications.conditions.is_empty() {
            cx.error(f, Some(o), format!("{what} has no contraindications"));
        }
        let suits = e
            .suits
            .iter()
            .filter_map(|id| match condition_ids.get(id) {
                Some(&i) => Some(ConditionIx(i as u16)),
                None => {
                    cx.error(f, Some(o), format!("{what} suits unknown condition '{id}'"));
                    None
                }
            })
            .collect();
        let contraindications = resolve(cx, f, o, &what, e.contraindications);
        let citation = citation(cx, f, o, &what, e.cite, e.estimate, e.rationale);
        exercise_list.push(Exercise {
            id: e.id,
            name: e.name,
            regions: e.regions,
            goal: e.goal,
            steps: e.steps,
            dose: e.dose,
            progression: e.progression,
            regression: e.regression,
            suits,
            contraindications,
            citation,
        });
    }
    let mut treatment_ids = HashMap::new();
    let mut treatment_list = Vec::new();
    for (At(f, o), t) in treatments {
        if !unique_id(
            cx,
            f,
            o,
            "treatment",
            &t.id,
            &mut treatment_ids,
            treatment_list.len(),
        ) {
            continue;
        }
        let what = format!("treatment '{}'", t.id);
        if t.regions.is_empty() {
            cx.error(f, Some(o), format!("{what} has no regions"));
        }
        if t.kind == TreatmentKind::Medication {
            if mentions_dose(&t.text) {
                cx.error(
                    f,
                    Some(o),
                    format!("{what}: medication text must name classes only, never a dose"),
                );
            }
            if !t.text.to_lowercase().contains("pharmacist") {
                cx.error(
                    f,
                    Some(o),
                    format!(
                        "{what}: medication text must say to follow the label or ask a pharmacist"
                    ),
                );
            }
        }
        let contraindications = resolve(cx, f, o, &what, t.contraindications);
        let citation = citation(cx, f, o, &what, t.cite, t.estimate, t.rationale);
        treatment_list.push(Treatment {
            id: t.id,
            kind: t.kind,
            name: t.name,
            regions: t.regions,
            text: t.text,
            contraindications,
            citation,
        });
    }

    stats.sources = source_list.len();
    stats.findings = finding_list.len();
    stats.conditions = condition_list.len();
    stats.exercises = exercise_list.len();
    stats.treatments = treatment_list.len();

    let meta = meta?;
    let version = format!("{}+{:08x}", meta.version, content_hash(cx.files));
    Some(Kb {
        meta,
        version,
        sources: source_list,
        groups: group_list,
        findings: finding_list,
        conditions: condition_list,
        rules: rule_list,
        exercises: exercise_list,
        treatments: treatment_list,
        finding_ids: finding_ids
            .into_iter()
            .map(|(k, v)| (k, FindingIx(v as u16)))
            .collect(),
        condition_ids: condition_ids
            .into_iter()
            .map(|(k, v)| (k, ConditionIx(v as u16)))
            .collect(),
        source_ids,
    })
}

fn count(counts: &mut ParameterCounts, estimate: bool) {
    if estimate {
        counts.estimated += 1;
    } else {
        counts.published += 1;
    }
}

/// Registers `id`, reporting bad or duplicate ids; false means skip the entry.
fn unique_id(
    cx: &mut Checker<'_>,
    file: usize,
    at: usize,
    kind: &str,
    id: &str,
    ids: &mut HashMap<String, usize>,
    next: usize,
) -> bool {
    if !is_id(id) {
        cx.error(
            file,
            Some(at),
            format!("{kind} id '{id}' must be snake_case (a-z, 0-9, _)"),
        );
        return false;
    }
    if ids.contains_key(id) {
        cx.error(file, Some(at), format!("duplicate {kind} id '{id}'"));
        return false;
    }
    ids.insert(id.to_string(), next);
    true
}

/// True when text looks like it gives a dose ("400 mg", "2 tablets", "every 4 hours").
fn mentions_dose(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| {
        w[0].chars().all(|c| c.is_ascii_digit())
            && matches!(
                w[1],
                "mg" | "g"
                    | "ml"
                    | "mcg"
                    | "tablet"
                    | "tablets"
                    | "capsule"
                    | "capsules"
                    | "hours"
                    | "hourly"
                    | "times"
            )
    }) || words.iter().any(|w| {
        w.ends_with("mg") && w[..w.len() - 2].chars().all(|c| c.is_ascii_digit()) && w.len() > 2
    })
}

/// FNV-1a over paths and contents, stable across platforms.
fn content_hash(files: &[KbFile<'_>]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for f in files {
        for b in f.path.bytes().chain([0]).chain(f.text.bytes()).chain([0]) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

#[cfg(test)]
mod tests;
