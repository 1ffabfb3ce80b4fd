//! Pain over time as a standalone SVG: plan weeks and phases in the background, the pain line with a
//! point per entry, the pain at the assessment, and the exercise sessions done under it.
//!
//! Standalone: no scripts, no external fonts, images or links (the only URL is the SVG namespace), the
//! system font stack, and an accessible title and description, so it opens in any browser and can be
//! embedded in a page or a report as it is.

use crate::followup::{Baseline, DiaryPoint};
use crate::plan::{PhaseKind, Plan};
use jiff::civil::Date;
use std::fmt::Write;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 440.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 776.0;
/// Top of the pain plot (pain 10) and its bottom (pain 0).
const TOP: f64 = 64.0;
const BOTTOM: f64 = 304.0;
/// The sessions strip.
const SESSIONS_TOP: f64 = 318.0;
const SESSIONS_BOTTOM: f64 = 358.0;
const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const PAIN_COLOUR: &str = "#b91c1c";
const SESSION_COLOUR: &str = "#2563eb";

fn phase_colour(kind: PhaseKind) -> &'static str {
    match kind {
        PhaseKind::Settle => "#fde68a",
        PhaseKind::Restore => "#bbf7d0",
        PhaseKind::Strengthen => "#bfdbfe",
        PhaseKind::Keep => "#e9d5ff",
    }
}

/// Text safe inside an element or a double-quoted attribute.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn short(d: Date) -> String {
    format!("{} {}", d.day(), MONTHS[(d.month() - 1) as usize])
}

fn days(from: Date, to: Date) -> i32 {
    (to - from).get_days()
}

/// The days shown: the plan's weeks, widened to every entry and the assessment; at least a week.
struct Axis {
    first: Date,
    days: i32,
}

impl Axis {
    fn new(entries: &[DiaryPoint], plan: Option<&Plan>, baseline: Option<&Baseline>) -> Axis {
        let mut dates: Vec<Date> = entries.iter().map(|e| e.date).collect();
        if let Some(p) = plan {
            dates.push(p.start);
            dates.push(p.last_day());
        }
        if let Some(b) = baseline {
            dates.push(b.date);
        }
        let first = dates
            .iter()
            .min()
            .copied()
            .unwrap_or(jiff::civil::date(2000, 1, 1));
        let last = dates.iter().max().copied().unwrap_or(first);
        Axis {
            first,
            days: (days(first, last) + 1).max(7),
        }
    }

    fn day_width(&self) -> f64 {
        (RIGHT - LEFT) / f64::from(self.days)
    }

    /// Left edge of a day's slot.
    fn left(&self, d: Date) -> f64 {
        LEFT + f64::from(days(self.first, d)) * self.day_width()
    }

    /// Centre of a day's slot.
    fn x(&self, d: Date) -> f64 {
        self.left(d) + self.day_width() / 2.0
    }
}

fn y(pain: f64) -> f64 {
    BOTTOM - pain / 10.0 * (BOTTOM - TOP)
}

fn description(entries: &[DiaryPoint], plan: Option<&Plan>, baseline: Option<&Baseline>) -> String {
    let mut d = String::new();
    match (entries.first(), entries.last()) {
        (Some(first), Some(last)) => {
            let lo = entries.iter().map(|e| e.pain).min().unwrap_or(0);
            let hi = entries.iter().map(|e| e.pain).max().unwrap_or(0);
            let sessions: u32 = entries.iter().map(|e| e.sessions).sum();
            let _ = write!(
                d,
                "Pain diary with {} entries from {} to {}. Pain was {}/10 at the first entry and {}/10 at the latest (lowest {}, highest {}). {} exercise sessions recorded.",
                entries.len(),
                first.date,
                last.date,
                first.pain,
                last.pain,
                lo,
                hi,
                sessions
            );
        }
        _ => d.push_str("No diary entries yet."),
    }
    if let Some(b) = baseline {
        match b.pain {
            Some(p) => {
                let _ = write!(d, " Assessment on {} with pain {p}/10.", b.date);
            }
            None => {
                let _ = write!(d, " Assessment on {}.", b.date);
            }
        }
    }
    if let Some(p) = plan {
        let _ = write!(d, " Plan of {} weeks from {}:", p.weeks, p.start);
        for (i, ph) in p.phases.iter().enumerate() {
            let weeks = if ph.first_week == ph.last_week {
                format!("week {}", ph.first_week)
            } else {
                format!("weeks {} to {}", ph.first_week, ph.last_week)
            };
            let _ = write!(
                d,
                "{} {} in {weeks}",
                if i == 0 { "" } else { ";" },
                ph.kind.title().to_lowercase(),
            );
        }
        d.push('.');
    }
    d
}

/// Draw the diary as a standalone SVG document. `entries` may come in any order; `plan` adds week and
/// phase bands; `baseline` adds the assessment day and its pain.
pub fn pain_chart(
    entries: &[DiaryPoint],
    plan: Option<&Plan>,
    baseline: Option<&Baseline>,
) -> String {
    let mut entries = entries.to_vec();
    entries.sort_by_key(|e| e.date);
    let axis = Axis::new(&entries, plan, baseline);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="{}" font-size="12" fill="#1f2937">"##,
        escape(FONT)
    );
    s.push('\n');
    let _ = writeln!(s, r#"<title id="chart-title">Pain over time</title>"#);
    let _ = writeln!(
        s,
        r#"<desc id="chart-desc">{}</desc>"#,
        escape(&description(&entries, plan, baseline))
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="24" font-size="16" font-weight="600">Pain over time</text>"#
    );

    // Plan: phase band above the plot, alternate week shading inside it.
    if let Some(p) = plan {
        let _ = writeln!(s, r#"<g aria-label="Plan weeks and phases">"#);
        for week in 1..=p.weeks {
            let x = axis.left(p.week_start(week));
            let w = 7.0 * axis.day_width();
            if week % 2 == 0 {
                let _ = writeln!(
                    s,
                    r##"<rect x="{x:.1}" y="{TOP}" width="{w:.1}" height="{:.1}" fill="#f3f4f6"/>"##,
                    BOTTOM - TOP
                );
            }
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#6b7280">W{week}</text>"##,
                x + w / 2.0,
                TOP - 6.0
            );
        }
        for ph in &p.phases {
            let x = axis.left(p.week_start(ph.first_week));
            let w = 7.0 * f64::from(ph.last_week - ph.first_week + 1) * axis.day_width();
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="32" width="{w:.1}" height="14" fill="{}"><title>{}: weeks {} to {}</title></rect>"##,
                phase_colour(ph.kind),
                escape(ph.kind.title()),
                ph.first_week,
                ph.last_week
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="43" font-size="10" text-anchor="middle">{}</text>"#,
                x + w / 2.0,
                escape(ph.kind.title())
            );
        }
        let _ = writeln!(s, "</g>");
    }

    // Pain axis and grid.
    let _ = writeln!(s, r#"<g aria-hidden="true">"#);
    for pain in (0..=10).step_by(2) {
        let yy = y(f64::from(pain));
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{RIGHT}" y2="{yy:.1}" stroke="#d1d5db" stroke-width="1"/>"##
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{pain}</text>"#,
            LEFT - 8.0,
            yy + 4.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">Pain (0-10)</text>"#,
        (TOP + BOTTOM) / 2.0
    );
    let _ = writeln!(s, "</g>");

    // The assessment: its day and its pain.
    if let Some(b) = baseline {
        let x = axis.x(b.date);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{BOTTOM}" stroke="#6b7280" stroke-dasharray="2 3"><title>Assessment on {}</title></line>"##,
            b.date
        );
        if let Some(p) = b.pain {
            let yy = y(f64::from(p));
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{yy:.1}" x2="{RIGHT}" y2="{yy:.1}" stroke="#6b7280" stroke-dasharray="6 4"><title>Pain at the assessment: {p}/10</title></line>"##
            );
        }
    }

    // Pain line and points.
    if entries.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#6b7280">No diary entries yet</text>"##,
            (LEFT + RIGHT) / 2.0,
            (TOP + BOTTOM) / 2.0
        );
    } else {
        let points: Vec<String> = entries
            .iter()
            .map(|e| format!("{:.1},{:.1}", axis.x(e.date), y(f64::from(e.pain))))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{PAIN_COLOUR}" stroke-width="2" stroke-linejoin="round"/>"#,
            points.join(" ")
        );
        for e in &entries {
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{PAIN_COLOUR}" stroke="#ffffff" stroke-width="1"><title>{}: pain {}/10, {} session{}</title></circle>"##,
                axis.x(e.date),
                y(f64::from(e.pain)),
                e.date,
                e.pain,
                e.sessions,
                if e.sessions == 1 { "" } else { "s" }
            );
        }
    }

    // Sessions strip.
    let most = entries.iter().map(|e| e.sessions).max().unwrap_or(0).max(2);
    let _ = writeln!(s, r#"<g aria-label="Exercise sessions done">"#);
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{SESSIONS_BOTTOM}" x2="{RIGHT}" y2="{SESSIONS_BOTTOM}" stroke="#9ca3af"/>"##
    );
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10">Sessions</text>"#,
        LEFT - 8.0,
        SESSIONS_BOTTOM - 4.0
    );
    let bar = (axis.day_width() * 0.6).clamp(2.0, 14.0);
    for e in entries.iter().filter(|e| e.sessions > 0) {
        let h = f64::from(e.sessions) / f64::from(most) * (SESSIONS_BOTTOM - SESSIONS_TOP);
        let h = h.min(SESSIONS_BOTTOM - SESSIONS_TOP);
        let x = axis.x(e.date);
        let _ = writeln!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}" fill="{SESSION_COLOUR}"><title>{}: {} session{}</title></rect>"#,
            x - bar / 2.0,
            SESSIONS_BOTTOM - h,
            e.date,
            e.sessions,
            if e.sessions == 1 { "" } else { "s" }
        );
        if axis.day_width() >= 8.0 {
            let _ = writeln!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" font-size="9" text-anchor="middle" aria-hidden="true">{}</text>"#,
                SESSIONS_BOTTOM - h - 2.0,
                e.sessions
            );
        }
    }
    let _ = writeln!(s, "</g>");

    // Date labels: week starts with a plan, else about one a week.
    let mut ticks: Vec<Date> = match plan {
        Some(p) => (1..=p.weeks).map(|w| p.week_start(w)).collect(),
        None => (0..axis.days)
            .step_by(7)
            .map(|d| axis.first.saturating_add(jiff::Span::new().days(d)))
            .collect(),
    };
    ticks.retain(|&d| days(axis.first, d) >= 0 && days(axis.first, d) < axis.days);
    let _ = writeln!(s, r#"<g aria-hidden="true" font-size="10">"#);
    for d in ticks {
        let x = axis.left(d);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{BOTTOM}" x2="{x:.1}" y2="{:.1}" stroke="#9ca3af"/>"##,
            BOTTOM + 4.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            SESSIONS_BOTTOM + 16.0,
            short(d)
        );
    }
    let _ = writeln!(s, "</g>");

    // Legend.
    let ly = HEIGHT - 24.0;
    let _ = writeln!(s, r#"<g font-size="11">"#);
    let _ = writeln!(
        s,
        r#"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{PAIN_COLOUR}" stroke-width="2"/>"#,
        ly - 4.0,
        LEFT + 20.0,
        ly - 4.0
    );
    let _ = writeln!(s, r#"<text x="{:.1}" y="{ly:.1}">Pain</text>"#, LEFT + 26.0);
    let _ = writeln!(
        s,
        r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="{SESSION_COLOUR}"/>"#,
        LEFT + 80.0,
        ly - 9.0
    );
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{ly:.1}">Exercise sessions done</text>"#,
        LEFT + 96.0
    );
    if baseline.is_some_and(|b| b.pain.is_some()) {
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#6b7280" stroke-dasharray="6 4"/>"##,
            LEFT + 260.0,
            ly - 4.0,
            LEFT + 290.0,
            ly - 4.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{ly:.1}">Pain at the assessment</text>"#,
            LEFT + 296.0
        );
    }
    let _ = writeln!(s, "</g>");
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests;
