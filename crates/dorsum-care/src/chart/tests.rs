//! The chart is well-formed XML, standalone (no scripts, fonts, images or links), accessible, and shows
//! every entry, the plan's weeks and phases, and the sessions done.

use super::*;
use crate::fixture::real_kb;
use crate::input::CareInput;
use crate::plan::{PlanOptions, PlanOutcome, plan};
use dorsum_kb::{Region, TriageLevel};
use jiff::ToSpan;
use jiff::civil::date;
use quick_xml::Reader;
use quick_xml::events::Event;

const DAY0: Date = date(2026, 11, 2);

fn entry(n: i64, pain: u8, sessions: u32) -> DiaryPoint {
    DiaryPoint {
        date: DAY0.checked_add(n.days()).unwrap(),
        pain,
        sessions,
        new_red_flag: false,
    }
}

fn six_week_plan() -> Plan {
    let kb = real_kb();
    let input = CareInput::from_ids(kb, TriageLevel::SelfCare, Region::Lower, &[], &[]).unwrap();
    match plan(kb, &input, &PlanOptions::starting(DAY0)).unwrap() {
        PlanOutcome::Plan(p) => p,
        PlanOutcome::NoPlan(_) => unreachable!(),
    }
}

fn diary() -> Vec<DiaryPoint> {
    vec![
        entry(0, 7, 0),
        entry(1, 6, 1),
        entry(3, 6, 2),
        entry(6, 5, 1),
        entry(9, 4, 2),
        entry(13, 4, 1),
        entry(16, 3, 2),
    ]
}

/// Parse the whole document (tags balanced, attributes well-formed); return the element names in order and
/// the text content.
fn parse(svg: &str) -> (Vec<String>, String) {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut names = Vec::new();
    let mut text = String::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                names.push(e.name().as_ref().to_string());
                for a in e.attributes() {
                    a.unwrap();
                }
            }
            Ok(Event::Empty(e)) => {
                names.push(e.name().as_ref().to_string());
                for a in e.attributes() {
                    a.unwrap();
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => text.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(r)) => text.push_str(&format!("&{};", r.into_inner())),
            Ok(Event::Eof) => break,
            Ok(Event::Decl(_) | Event::Comment(_) | Event::CData(_) | Event::PI(_)) => {}
            Ok(Event::DocType(_)) => panic!("no doctype expected"),
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0, "unclosed elements");
    (names, text)
}

fn assert_standalone(svg: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(
        svg.matches("http").count(),
        1,
        "only the SVG namespace may name a URL"
    );
    for banned in [
        "<script",
        "href",
        "url(",
        "@import",
        "<image",
        "@font-face",
        "<foreignObject",
        "<style",
        "javascript:",
    ] {
        assert!(!svg.contains(banned), "{banned}");
    }
    assert!(svg.contains("font-family=\"system-ui"));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-labelledby="chart-title chart-desc""#));
    assert!(svg.contains(r#"<title id="chart-title">"#));
    assert!(svg.contains(r#"<desc id="chart-desc">"#));
}

#[test]
fn chart_with_plan_and_baseline_is_well_formed_and_complete() {
    let p = six_week_plan();
    let baseline = Baseline {
        date: DAY0,
        level: TriageLevel::SelfCare,
        pain: Some(7),
    };
    let svg = pain_chart(&diary(), Some(&p), Some(&baseline));
    assert_standalone(&svg);
    let (names, text) = parse(&svg);
    assert_eq!(names[0], "svg");
    assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
    // One point per entry, one bar per day with sessions, a polyline through them.
    assert_eq!(names.iter().filter(|n| *n == "circle").count(), 7);
    assert_eq!(names.iter().filter(|n| *n == "polyline").count(), 1);
    assert!(text.contains("2026-11-05: 2 sessions"));
    assert!(text.contains("2026-11-03: pain 6/10, 1 session"));
    // Plan weeks and the four phases.
    for w in 1..=6 {
        assert!(text.contains(&format!("W{w}")), "W{w}");
    }
    for title in [
        "Settle the pain",
        "Restore movement",
        "Build strength",
        "Keep it",
    ] {
        assert!(text.contains(title), "{title}");
    }
    // The description says it all in words.
    assert!(text.contains("Pain diary with 7 entries from 2026-11-02 to 2026-11-18"));
    assert!(text.contains("Pain was 7/10 at the first entry and 3/10 at the latest"));
    assert!(text.contains("9 exercise sessions recorded"));
    assert!(text.contains("Assessment on 2026-11-02 with pain 7/10"));
    assert!(text.contains("Plan of 6 weeks from 2026-11-02"));
    assert!(text.contains("Pain at the assessment"));
    insta::assert_snapshot!(svg);
}

#[test]
fn chart_without_plan_or_entries_still_renders() {
    let svg = pain_chart(&[], None, None);
    assert_standalone(&svg);
    let (names, text) = parse(&svg);
    assert!(!names.contains(&"circle".to_string()));
    assert!(text.contains("No diary entries yet"));

    let svg = pain_chart(&[entry(0, 5, 0)], None, None);
    assert_standalone(&svg);
    let (names, _) = parse(&svg);
    assert_eq!(names.iter().filter(|n| *n == "circle").count(), 1);
}

#[test]
fn points_stay_inside_the_plot_whatever_the_dates() {
    // Entries before the plan, after it, out of order and on the same day.
    let p = six_week_plan();
    let entries = [
        entry(60, 10, 40),
        entry(-10, 0, 0),
        entry(5, 5, 3),
        entry(5, 6, 1),
    ];
    let svg = pain_chart(&entries, Some(&p), None);
    assert_standalone(&svg);
    let (names, _) = parse(&svg);
    assert_eq!(names.iter().filter(|n| *n == "circle").count(), 4);
    for line in svg.lines().filter(|l| l.starts_with("<circle")) {
        let num = |attr: &str| -> f64 {
            let start = line.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
            let end = start + line[start..].find('"').unwrap();
            line[start..end].parse().unwrap()
        };
        let (cx, cy) = (num("cx"), num("cy"));
        assert!((LEFT..=RIGHT).contains(&cx), "{line}");
        assert!((TOP..=BOTTOM).contains(&cy), "{line}");
    }
    for line in svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains("session"))
    {
        assert!(!line.contains("height=\"-"), "{line}");
    }
}

#[test]
fn text_is_escaped() {
    assert_eq!(
        escape(r#"a < b & "c" > 'd'"#),
        "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;"
    );
}
