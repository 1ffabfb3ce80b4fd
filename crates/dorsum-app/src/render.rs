//! The readable result of `dorsum assess --text` and `dorsum check`: what to do first, then why, where,
//! likely causes, self-care, and what was understood. Built once as sections, printed as plain text or
//! Markdown.

use crate::pipeline::{Case, action};
use dorsum_engine::{Assessment, Observation};
use dorsum_intake::Mention;
use dorsum_kb::{Kb, Region, TriageLevel};
use std::fmt::Write;

fn region_text(region: Region) -> &'static str {
    match region {
        Region::Neck => "Neck (cervical spine, C1-C7).",
        Region::Upper => {
            "Upper or mid back (thoracic spine, T1-T12, between and around the shoulder blades). Upper back pain is most often posture and muscle tension; it is also where the heart, lungs, aorta and gallbladder can refer pain."
        }
        Region::Lower => {
            "Lower back (lumbar spine, L1-L5, down to the sacrum). Lower back pain is most often a strain or a disc; the kidneys and aorta can also be felt here."
        }
        Region::Both => "Both upper and lower back.",
    }
}

/// The heading for a level: what to do, in capitals for the terminal.
pub fn heading(level: TriageLevel) -> &'static str {
    match level {
        TriageLevel::EmergencyAmbulance => "EMERGENCY - CALL AN AMBULANCE NOW",
        TriageLevel::Emergency => "EMERGENCY - GO TO THE EMERGENCY DEPARTMENT NOW",
        TriageLevel::Consultation24 => "SEE A DOCTOR WITHIN 24 HOURS",
        TriageLevel::Consultation => "BOOK A DOCTOR OR PHYSIOTHERAPIST",
        TriageLevel::SelfCare => "SELF-CARE AT HOME",
    }
}

/// One titled block of lines; a line may carry indented detail lines.
struct Section {
    title: String,
    lines: Vec<(String, Vec<String>)>,
}

impl Section {
    fn new(title: impl Into<String>) -> Self {
        Section {
            title: title.into(),
            lines: Vec::new(),
        }
    }

    fn line(&mut self, text: impl Into<String>) -> &mut Vec<String> {
        self.lines.push((text.into(), Vec::new()));
        &mut self.lines.last_mut().expect("just pushed").1
    }
}

/// Everything one result says, in reading order.
fn sections(
    kb: &Kb,
    case: &Case,
    mentions: &[Mention],
    answered: &[Observation],
    a: &Assessment,
) -> Vec<Section> {
    let level = a.triage.level;
    let mut out = Vec::new();

    let mut why = Section::new(format!("Why ({})", level.as_str()));
    for r in &a.triage.reasons {
        why.line(r.text.clone()).push(format!(
            "[{}; source: {}]",
            r.rule,
            kb.cite_text(&r.citation)
        ));
    }
    out.push(why);

    let mut place = Section::new("Where");
    place.line(region_text(a.region));
    out.push(place);

    let mut causes = Section::new("Likely causes (not a diagnosis)");
    for (i, rc) in a.conditions.iter().take(5).enumerate() {
        let c = kb.condition(rc.condition);
        let detail = causes.line(format!(
            "{}. {} ({}; ICD-10 {}) - {:.1}%",
            i + 1,
            c.name,
            c.clinical_name,
            c.icd10.join(", "),
            rc.probability * 100.0
        ));
        if i >= 3 {
            continue;
        }
        let list = |for_it: bool| {
            rc.contributions
                .iter()
                .filter(|w| (w.ratio > 1.0) == for_it)
                .take(4)
                .map(|w| {
                    let name = &kb.finding(w.finding).name;
                    let name = if w.present {
                        name.clone()
                    } else {
                        format!("no {}", name.to_lowercase())
                    };
                    format!("{name} (x{:.2})", w.ratio)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (pro, con) = (list(true), list(false));
        if !pro.is_empty() {
            detail.push(format!("for: {pro}"));
        }
        if !con.is_empty() {
            detail.push(format!("against: {con}"));
        }
    }
    out.push(causes);

    match &a.self_care {
        Some(sc) => {
            let mut advice = Section::new("Self-care");
            for &i in sc.advice.iter().take(6) {
                advice.line(kb.treatments[i].text.clone());
            }
            out.push(advice);
            if !sc.exercises.is_empty() {
                let mut ex = Section::new("Exercises (stop any that make the pain much worse)");
                for &i in &sc.exercises {
                    let e = &kb.exercises[i];
                    ex.line(format!("{} ({}) - {}", e.name, e.goal.as_str(), e.dose))
                        .extend(e.steps.iter().cloned());
                }
                out.push(ex);
            }
        }
        None => {
            let mut none = Section::new("Self-care");
            none.line("No exercises for now: get checked first, as above.");
            out.push(none);
        }
    }

    let mut understood = Section::new("What we understood from your words");
    if mentions.is_empty() {
        understood.line("(nothing we recognised - try describing where it hurts, since when, and anything else you have noticed)");
    }
    for m in mentions {
        let quote = &case.text[m.span.0..m.span.1];
        let f = kb.finding(m.finding);
        understood.line(format!(
            "{} [{}]: \"{}\"",
            f.name,
            m.assertion.as_str(),
            quote
        ));
    }
    out.push(understood);

    if !answered.is_empty() {
        let mut answers = Section::new("From your answers");
        for o in answered {
            let f = kb.finding(o.finding);
            answers.line(format!(
                "{}: {}",
                f.name,
                if o.present { "yes" } else { "no" }
            ));
        }
        out.push(answers);
    }
    out
}

const DISCLAIMER: &str = "Dorsum gives information, not a diagnosis. If you are worried or it gets worse, contact a doctor.";

/// Render an assessment as plain text.
pub fn text(
    kb: &Kb,
    case: &Case,
    mentions: &[Mention],
    answered: &[Observation],
    a: &Assessment,
) -> String {
    let mut s = String::new();
    let level = a.triage.level;
    let _ = writeln!(s, "{}", heading(level));
    let _ = writeln!(s, "{}", action(kb, level));
    for section in sections(kb, case, mentions, answered, a) {
        let _ = writeln!(s, "\n{}:", section.title);
        for (line, details) in &section.lines {
            let _ = writeln!(s, "  - {line}");
            for d in details {
                let _ = writeln!(s, "      {d}");
            }
        }
    }
    let _ = writeln!(s, "\n{DISCLAIMER}");
    s
}

/// Render an assessment as Markdown (for saving and sharing).
pub fn markdown(
    kb: &Kb,
    case: &Case,
    mentions: &[Mention],
    answered: &[Observation],
    a: &Assessment,
) -> String {
    let mut s = String::new();
    let level = a.triage.level;
    let _ = writeln!(s, "# Dorsum result\n");
    let _ = writeln!(s, "**{}**\n", heading(level));
    let _ = writeln!(s, "{}\n", action(kb, level));
    let _ = writeln!(
        s,
        "Age {}, {}. In your words: \"{}\"",
        case.age,
        case.sex.as_str(),
        case.text.replace('\n', " ")
    );
    for section in sections(kb, case, mentions, answered, a) {
        let _ = writeln!(s, "\n## {}\n", section.title);
        for (line, details) in &section.lines {
            let _ = writeln!(s, "- {line}");
            for d in details {
                let _ = writeln!(s, "  - {d}");
            }
        }
    }
    let _ = writeln!(s, "\n*{DISCLAIMER}*");
    s
}
