//! The report as one self-contained HTML page: inline CSS, the pain chart as inline SVG, no scripts, no
//! links, no external fonts or images. Prints on one or two A4 pages.

use crate::report::{CheckSource, Gist, PlanSummary, Report, level_label};
use std::fmt::Write;

/// The report's only style sheet, inline in its `<head>`: a server that sends a Content-Security-Policy with
/// the HTML must allow it (e.g. `style-src 'sha256-…'` of this text, or serve the report as an attachment).
pub const REPORT_CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #111827;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; background: #fff; padding: 1.5rem 2rem 2rem; }
h1 { font-size: 1.45rem; margin: 0 0 .2rem; }
h2 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; padding-bottom: .15rem; border-bottom: 1px solid #d1d5db; }
h3 { font-size: .95rem; margin: .9rem 0 .3rem; }
p { margin: .3rem 0; }
.meta, .note { color: #4b5563; font-size: .85rem; }
dl.person { display: flex; flex-wrap: wrap; gap: .3rem 2rem; margin: .8rem 0 0; }
dl.person div { display: flex; gap: .4rem; }
dl.person dt { color: #4b5563; }
dl.person dd { margin: 0; font-weight: 600; }
blockquote { margin: .3rem 0; padding: .5rem .8rem; background: #f9fafb; border-left: 4px solid #9ca3af; white-space: pre-wrap; }
.triage { padding: .6rem .9rem; border-radius: 6px; border: 2px solid #6b7280; }
.triage .level { font-size: 1.1rem; font-weight: 700; }
.lvl-emergency_ambulance, .lvl-emergency { border-color: #b91c1c; background: #fef2f2; }
.lvl-consultation_24 { border-color: #c2410c; background: #fff7ed; }
.lvl-consultation { border-color: #a16207; background: #fefce8; }
.lvl-self_care { border-color: #15803d; background: #f0fdf4; }
table { width: 100%; border-collapse: collapse; margin: .3rem 0 .6rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #e5e7eb; }
th { background: #f3f4f6; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.yes .answer { color: #b91c1c; font-weight: 700; }
tr.no .answer { color: #15803d; font-weight: 600; }
tr.unsure .answer { color: #a16207; font-weight: 600; }
.detail { color: #4b5563; font-size: .85em; }
figure { margin: .4rem 0; }
figure svg { width: 100%; height: auto; max-width: 800px; display: block; }
.about { font-size: .85rem; color: #374151; }
code { font-size: .85em; }
@page { size: A4; margin: 14mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid-page; }
  table, figure { break-inside: avoid; }
}
"#;

/// Text safe inside an element or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A probability as a percentage with sensible precision.
pub fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if pct > 0.0 && pct < 1.0 {
        "<1%".to_string()
    } else {
        format!("{pct:.0}%")
    }
}

/// A 0-10 mean with one decimal.
pub fn score(x: f64) -> String {
    format!("{x:.1}")
}

impl Report {
    /// The report as a standalone HTML document.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(32 * 1024);
        let e = escape;
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Dorsum report: back pain assessment of {}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n<main>\n",
            self.assessed_on
        );
        let _ = write!(
            h,
            "<header>\n<h1>Back pain report for the clinician</h1>\n<p class=\"meta\">Made by Dorsum on {} from the assessment of {} (assessment {}; knowledge base {}).</p>\n<dl class=\"person\"><div><dt>Age</dt><dd>{}</dd></div><div><dt>Sex</dt><dd>{}</dd></div>{}</dl>\n</header>\n",
            self.generated_on,
            self.assessed_on,
            e(&self.assessment_id),
            e(&self.kb_version),
            self.age,
            e(&self.sex),
            self.region.as_deref().map_or(String::new(), |r| format!(
                "<div><dt>Pain region</dt><dd>{}</dd></div>",
                e(r)
            )),
        );

        let _ = write!(
            h,
            "<section>\n<h2>In their words</h2>\n<blockquote>{}</blockquote>\n</section>\n",
            e(&self.complaint)
        );

        // Triage.
        let _ = write!(
            h,
            "<section class=\"triage lvl-{}\">\n<h2>Triage</h2>\n<p class=\"level\">{} <code>{}</code></p>\n",
            e(&self.level),
            e(self.level_label),
            e(&self.level)
        );
        if let Some(a) = &self.action {
            let _ = writeln!(h, "<p>{}</p>", e(a));
        }
        if !self.reasons.is_empty() {
            h.push_str("<p><strong>Why:</strong></p>\n<ul>\n");
            for r in &self.reasons {
                let _ = writeln!(h, "<li>{}</li>", e(r));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");

        // Red flags.
        h.push_str("<section>\n<h2>Red flags asked and answered</h2>\n");
        let _ = writeln!(h, "<p class=\"note\">{}</p>", e(&self.interview_line()));
        if self.red_flags_fired.is_empty() {
            h.push_str("<p>No red-flag rule fired.</p>\n");
        } else {
            h.push_str("<p><strong>Red-flag rules that fired:</strong></p>\n<ul>\n");
            for r in &self.red_flags_fired {
                let _ = writeln!(h, "<li>{}</li>", e(r));
            }
            h.push_str("</ul>\n");
        }
        if self.red_flag_checks.is_empty() {
            h.push_str("<p>No warning sign was asked about or mentioned.</p>\n");
        } else {
            h.push_str("<table>\n<thead><tr><th>Asked or said</th><th>Answer</th><th>A yes could mean</th></tr></thead>\n<tbody>\n");
            for c in &self.red_flag_checks {
                let class = match c.gist {
                    Gist::Yes => "yes",
                    Gist::No => "no",
                    Gist::Unsure => "unsure",
                };
                let asked = match c.source {
                    CheckSource::Interview => e(&c.question),
                    CheckSource::Words => e(&c.question),
                };
                let detail = c.detail.as_deref().map_or(String::new(), |d| {
                    format!("<br><span class=\"detail\">{}</span>", e(d))
                });
                let _ = writeln!(
                    h,
                    "<tr class=\"{class}\"><td>{asked}</td><td><span class=\"answer\">{}</span>{detail}</td><td>{}</td></tr>",
                    e(&c.answer),
                    c.level.as_deref().map_or("-".to_string(), |l| format!(
                        "<span title=\"{}\">{}</span>",
                        e(level_label(l)),
                        e(crate::report::level_short(l))
                    ))
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        h.push_str("</section>\n");

        // Differential.
        h.push_str("<section>\n<h2>Differential</h2>\n");
        if self.differential.is_empty() {
            h.push_str("<p>No conditions were ranked.</p>\n");
        } else {
            h.push_str("<table>\n<thead><tr><th>Condition</th><th>ICD-10</th><th class=\"num\">Probability</th><th>Key findings</th></tr></thead>\n<tbody>\n");
            for d in &self.differential {
                let mut keys = String::new();
                if !d.key_for.is_empty() {
                    let _ = write!(keys, "For: {}", e(&d.key_for.join(", ")));
                }
                if !d.key_against.is_empty() {
                    if !keys.is_empty() {
                        keys.push_str("<br>");
                    }
                    let _ = write!(keys, "Against: {}", e(&d.key_against.join(", ")));
                }
                let _ = writeln!(
                    h,
                    "<tr><td>{}{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    e(&d.name),
                    d.clinical_name.as_deref().filter(|c| *c != d.name).map_or(
                        String::new(),
                        |c| format!("<br><span class=\"note\">{}</span>", e(c))
                    ),
                    e(&d.icd10.join(", ")),
                    percent(d.probability),
                    if keys.is_empty() {
                        "-".to_string()
                    } else {
                        keys
                    }
                );
            }
            h.push_str("</tbody>\n</table>\n<p class=\"note\">Each condition is its own yes/no estimate, so the probabilities need not add up to 100%.</p>\n");
        }
        h.push_str("</section>\n");

        // Over time.
        h.push_str("<section>\n<h2>Pain, PEG and PSFS over time</h2>\n");
        if let Some(p) = self.assessment_pain {
            let _ = writeln!(
                h,
                "<p>Pain at the assessment ({}): <strong>{p}/10</strong>.</p>",
                self.assessed_on
            );
        }
        let _ = writeln!(h, "<figure>\n{}</figure>", self.chart_svg);
        if self.pain.is_empty() {
            h.push_str("<p><strong>No pain diary entries yet.</strong></p>\n");
        } else {
            let (rows, skipped) = self.recent_pain();
            h.push_str("<h3>Pain diary (0-10)</h3>\n<table>\n<thead><tr><th>Date</th><th class=\"num\">Pain</th><th class=\"num\">Exercise sessions</th></tr></thead>\n<tbody>\n");
            for r in rows {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    r.date, r.pain, r.sessions
                );
            }
            h.push_str("</tbody>\n</table>\n");
            if skipped > 0 {
                let _ = writeln!(
                    h,
                    "<p class=\"note\">{skipped} earlier entr{} in the chart only.</p>",
                    if skipped == 1 { "y is" } else { "ies are" }
                );
            }
        }
        h.push_str(
            "<h3>PEG (pain, enjoyment of life, general activity; mean of three 0-10 items)</h3>\n",
        );
        if self.peg.is_empty() {
            h.push_str("<p>No PEG recorded.</p>\n");
        } else {
            h.push_str("<table>\n<thead><tr><th>Date</th><th class=\"num\">Pain</th><th class=\"num\">Enjoyment</th><th class=\"num\">Activity</th><th class=\"num\">PEG score</th></tr></thead>\n<tbody>\n");
            for p in &self.peg {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><strong>{}</strong></td></tr>",
                    p.date,
                    p.pain,
                    p.enjoyment,
                    p.activity,
                    score(p.score)
                );
            }
            h.push_str("</tbody>\n</table>\n");
        }
        h.push_str(
            "<h3>Patient-Specific Functional Scale (0 = unable, 10 = as before; mean)</h3>\n",
        );
        if self.psfs.is_empty() {
            h.push_str("<p>No PSFS recorded.</p>\n");
        } else {
            h.push_str("<table>\n<thead><tr><th>Date</th><th>Activities (score)</th><th class=\"num\">PSFS score</th></tr></thead>\n<tbody>\n");
            for p in &self.psfs {
                let acts: Vec<String> = p
                    .activities
                    .iter()
                    .map(|(n, s)| format!("{} ({s})", e(n)))
                    .collect();
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\"><strong>{}</strong></td></tr>",
                    p.date,
                    acts.join("; "),
                    score(p.score)
                );
            }
            h.push_str("</tbody>\n</table>\n");
            if let Some(line) = self.psfs_change_line() {
                let _ = writeln!(h, "<p class=\"note\">{}</p>", e(&line));
            }
        }
        h.push_str("</section>\n");

        // Plan.
        h.push_str("<section>\n<h2>Plan and how much of it was done</h2>\n");
        for line in self.plan_lines() {
            let _ = writeln!(h, "<p>{}</p>", e(&line));
        }
        if let PlanSummary::Plan { phases, .. } = &self.plan {
            h.push_str("<ul>\n");
            for p in phases {
                let _ = writeln!(
                    h,
                    "<li>{}<strong>{}: {}</strong> - {}</li>",
                    if p.current { "<em>Now:</em> " } else { "" },
                    e(&p.weeks),
                    e(&p.title),
                    e(&p.detail)
                );
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");

        h.push_str("<section class=\"about\">\n<h2>What Dorsum is and is not</h2>\n");
        for p in crate::report::ABOUT {
            let _ = writeln!(h, "<p>{}</p>", e(p));
        }
        h.push_str("</section>\n</main>\n</body>\n</html>\n");
        h
    }

    /// The PSFS change in words, when there are two or more.
    pub fn psfs_change_line(&self) -> Option<String> {
        let (a, b, change) = self.psfs_change?;
        let what = match change {
            dorsum_care::PsfsChange::Better => {
                "better function (at least the 2-point detectable change)"
            }
            dorsum_care::PsfsChange::Worse => {
                "worse function (at least the 2-point detectable change)"
            }
            dorsum_care::PsfsChange::NoDetectableChange => "within the 2-point detectable change",
        };
        Some(format!("PSFS from {} to {}: {what}.", score(a), score(b)))
    }

    /// The plan and adherence in sentences.
    pub fn plan_lines(&self) -> Vec<String> {
        match &self.plan {
            PlanSummary::Missing => vec!["No self-care plan.".to_string()],
            PlanSummary::NoPlan { do_now } => vec![format!(
                "No home exercise plan: the triage asks for care first. {do_now}"
            )],
            PlanSummary::Plan {
                weeks,
                start,
                end,
                days_so_far,
                planned_so_far,
                done_so_far,
                diary_days,
                ..
            } => {
                let mut v = vec![format!(
                    "{weeks}-week self-care plan from {start} to {end}, in four phases of daily exercise sessions."
                )];
                if *days_so_far == 0 {
                    v.push("The plan has not started yet.".to_string());
                } else {
                    v.push(format!(
                        "Done so far (day {days_so_far} of {}): {done_so_far} of {planned_so_far} planned exercise sessions recorded in the diary, over {diary_days} diary day(s).",
                        i32::from(*weeks) * 7
                    ));
                }
                v
            }
        }
    }
}
