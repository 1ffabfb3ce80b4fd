//! The report's content and its HTML form.

mod common;

use common::{Story, clock, kb};
use dorsum_report::{CheckSource, Error, Gist, PlanSummary, Records, Report, ReportInput};

fn build(story: &Story, with_plan: bool) -> Report {
    let plan = story.plan();
    let clock = clock();
    Report::build(&ReportInput {
        kb: kb(),
        records: story.records(),
        plan: with_plan.then_some(&plan),
        clock: &clock,
    })
    .expect("report")
}

#[test]
fn the_report_holds_what_the_clinician_needs() {
    let story = Story::interview();
    let r = build(&story, true);
    assert_eq!((r.age, r.sex.as_str()), (52, "female"));
    assert!(
        r.complaint
            .starts_with("My lower back has ached for 3 weeks")
    );
    assert_eq!(r.level, "consultation");
    assert!(!r.reasons.is_empty());
    assert_eq!(r.questions_asked, 7);
    assert_eq!(r.assessed_on.to_string(), "2026-03-02");
    assert_eq!(r.generated_on.to_string(), "2026-03-20");
    assert_eq!(r.assessment_pain, Some(6));

    // Every interview question that screened for a warning sign, with its answer, negatives included.
    let asked: Vec<_> = r
        .red_flag_checks
        .iter()
        .filter(|c| c.source == CheckSource::Interview)
        .collect();
    assert_eq!(asked.len(), 7, "{asked:#?}");
    assert!(asked.iter().all(|c| c.level.is_some()));
    assert!(!asked[0].question.contains("Choose all that apply"));
    assert_eq!(asked[0].answer, "None of these");
    assert!(
        asked[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("No: Regular tightenings"),
        "{:?}",
        asked[0].detail
    );
    assert_eq!(asked[0].gist, Gist::No);
    // The neuro question: one option chosen, the others answered no.
    assert!(
        asked[1].answer.starts_with("Yes: Numbness"),
        "{:?}",
        asked[1]
    );
    assert!(
        asked[1]
            .detail
            .as_deref()
            .unwrap()
            .contains("Weakness in a leg")
    );
    assert_eq!(asked[2].answer, "Don't know");
    assert_eq!(asked[2].gist, Gist::Unsure);
    // Warning signs in the person's own words: a leg symptom affirmed, fever denied.
    let words: Vec<_> = r
        .red_flag_checks
        .iter()
        .filter(|c| c.source == CheckSource::Words)
        .collect();
    assert!(
        words
            .iter()
            .any(|c| c.answer == "Absent, in their words: \"fever\"" && c.gist == Gist::No),
        "{words:#?}"
    );

    // The differential: ranked, with probabilities and key findings.
    assert_eq!(r.differential.len(), 5);
    assert!(
        r.differential
            .windows(2)
            .all(|w| w[0].probability >= w[1].probability)
    );
    assert!(!r.differential[0].icd10.is_empty());
    assert!(!r.differential[0].key_for.is_empty());

    // Over time.
    assert_eq!(r.pain.len(), 9);
    assert_eq!(r.peg.len(), 2);
    assert_eq!(r.peg[0].score, 6.0);
    assert_eq!(r.psfs[0].score, 3.0);
    assert_eq!(r.psfs[1].score, 6.0);
    assert_eq!(
        r.psfs_change.map(|c| c.2),
        Some(dorsum_care::PsfsChange::Better)
    );

    // The plan and how much was done: 19 days of a daily plan (7 sessions a week), 14 sessions logged.
    match &r.plan {
        PlanSummary::Plan {
            weeks,
            days_so_far,
            planned_so_far,
            done_so_far,
            diary_days,
            phases,
            ..
        } => {
            assert_eq!(*weeks, 6);
            assert_eq!(*days_so_far, 19);
            assert_eq!(*done_so_far, 14);
            assert_eq!(*diary_days, 9);
            assert!(*planned_so_far > 0 && *planned_so_far <= 19);
            assert_eq!(phases.len(), 4);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn html_is_one_self_contained_page_with_every_section() {
    let story = Story::interview();
    let html = build(&story, true).to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for forbidden in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<img", "<iframe",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // The only URL is the SVG namespace of the inline chart.
    let urls: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..i + 30])
        .collect();
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http://www.w3.org/2000/svg")),
        "{urls:?}"
    );
    assert_eq!(html.matches("<svg").count(), 1);
    for section in [
        "In their words",
        "Triage",
        "Red flags asked and answered",
        "Differential",
        "Pain, PEG and PSFS over time",
        "Plan and how much of it was done",
        "What Dorsum is and is not",
    ] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    assert!(html.contains("<dt>Age</dt><dd>52</dd>"));
    assert!(html.contains("<dt>Sex</dt><dd>female</dd>"));
    assert!(html.contains("My lower back has ached for 3 weeks since gardening"));
    assert!(html.contains("<code>consultation</code>"));
    assert!(html.contains("None of these"));
    assert!(html.contains("Don&#39;t know"));
    assert!(html.contains("<strong>6.0</strong>"), "PEG score");
    assert!(html.contains("walking the dog (6)"));
    assert!(html.contains("14 of "), "sessions done");
    assert!(html.contains("not a diagnosis"));
}

#[test]
fn html_escapes_the_persons_words() {
    let mut story = Story::interview();
    let mut v: serde_json::Value = serde_json::from_str(common::INTERVIEW).unwrap();
    v["text"] = "<script>alert('x')</script> & \"back\" pain".into();
    v["findings"] = serde_json::json!([]);
    story.assessments[0].result_json = v.to_string();
    let html = build(&story, false).to_html();
    assert!(!html.contains("<script>"));
    assert!(
        html.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;back&quot; pain"
        )
    );
}

#[test]
fn an_emergency_text_only_assessment_with_an_empty_diary() {
    let story = Story::emergency();
    let r = build(&story, true);
    assert_eq!(r.level, "emergency");
    assert_eq!(r.questions_asked, 0);
    assert_eq!(r.red_flags_fired.len(), 1);
    assert!(r.red_flags_fired[0].contains("cauda equina"));
    let words: Vec<(&str, Gist)> = r
        .red_flag_checks
        .iter()
        .map(|c| (c.answer.as_str(), c.gist))
        .collect();
    assert!(
        words.contains(&("Present, in their words: \"can't pee\"", Gist::Yes)),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|(a, g)| a.starts_with("Absent,") && *g == Gist::No)
    );
    assert!(matches!(r.plan, PlanSummary::NoPlan { .. }), "{:?}", r.plan);
    assert!(r.pain.is_empty() && r.peg.is_empty() && r.psfs.is_empty());
    let html = r.to_html();
    assert!(html.contains("No pain diary entries yet"));
    assert!(html.contains("No PEG recorded"));
    assert!(html.contains("No PSFS recorded"));
    assert!(html.contains("No home exercise plan"));
    assert!(html.contains("lvl-emergency"));
}

#[test]
fn no_assessment_is_a_clear_error() {
    let clock = clock();
    let story = Story::interview();
    let records = Records {
        assessments: &[],
        ..story.records()
    };
    let e = Report::build(&ReportInput {
        kb: kb(),
        records,
        plan: None,
        clock: &clock,
    })
    .unwrap_err();
    assert_eq!(e, Error::NoAssessment);
    assert!(e.to_string().contains("run `dorsum check`"), "{e}");
}

#[test]
fn an_unreadable_saved_result_is_a_clear_error_without_health_data() {
    let mut story = Story::interview();
    story.assessments[0].result_json = r#"{"schema": 1, "text": "secret words"}"#.into();
    let clock = clock();
    let e = Report::build(&ReportInput {
        kb: kb(),
        records: story.records(),
        plan: None,
        clock: &clock,
    })
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("cannot be read") && msg.contains("assess again"),
        "{msg}"
    );
    assert!(!msg.contains("secret"), "{msg}");
}

#[test]
fn the_latest_assessment_is_the_one_reported() {
    let mut story = Story::interview();
    story.assessments.push(common::saved(
        common::EMERGENCY,
        9,
        "2026-03-19T07:15:00Z",
        None,
    ));
    // Store order is not trusted: the newest by time wins.
    story.assessments.reverse();
    let r = build(&story, false);
    assert_eq!(r.level, "emergency");
    assert_eq!(r.assessed_on.to_string(), "2026-03-19");
}

#[test]
fn the_diary_table_shows_the_latest_entries_and_says_how_many_are_left_out() {
    let mut story = Story::interview();
    story.diary = (1..=20)
        .map(|d| common::diary(d, &format!("2026-02-{d:02}"), 5, 1))
        .collect();
    let r = build(&story, false);
    let (rows, skipped) = r.recent_pain();
    assert_eq!(rows.len(), dorsum_report::DIARY_ROWS);
    assert_eq!(skipped, 20 - dorsum_report::DIARY_ROWS);
    assert_eq!(rows.last().unwrap().date.to_string(), "2026-02-20");
    assert!(
        r.to_html()
            .contains("6 earlier entries are in the chart only")
    );
}
