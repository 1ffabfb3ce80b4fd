//! One test per rule and per boundary: exactly 2 points, exactly 30%, day 7, 3 days, 7 days apart, 14 days.

use super::*;
use crate::fixture::real_kb;
use jiff::ToSpan;
use jiff::civil::date;

const DAY0: Date = date(2026, 11, 2);

fn day(n: i64) -> Date {
    DAY0.checked_add(n.days()).unwrap()
}

fn entry(n: i64, pain: u8) -> DiaryPoint {
    DiaryPoint {
        date: day(n),
        pain,
        sessions: 1,
        new_red_flag: false,
    }
}

fn baseline(pain: Option<u8>) -> Baseline {
    Baseline {
        date: DAY0,
        level: TriageLevel::SelfCare,
        pain,
    }
}

fn run(pain: Option<u8>, entries: &[DiaryPoint], today: i64) -> FollowUp {
    follow_up(&FollowUpInput {
        assessment: Some(baseline(pain)),
        entries,
        today: day(today),
        phase_start: None,
    })
}

#[test]
fn better_is_two_points_or_thirty_percent_worse_is_two_points() {
    // Exactly 2 points down: better; 1 point: not.
    assert_eq!(change(5, 3), Change::Better);
    assert_eq!(change(5, 4), Change::Same);
    assert_eq!(change(8, 6), Change::Better);
    assert_eq!(change(8, 7), Change::Same);
    // Exactly 30% down is better (10 → 7); 30% or more with one point: better (3 → 2 is 33%).
    assert_eq!(change(10, 7), Change::Better);
    assert_eq!(change(3, 2), Change::Better);
    // Just under 30% with one point: not better (4 → 3 is 25%).
    assert_eq!(change(4, 3), Change::Same);
    assert_eq!(change(1, 0), Change::Better);
    // Exactly 2 points up: worse; 1 point: not.
    assert_eq!(change(5, 7), Change::Worse);
    assert_eq!(change(5, 6), Change::Same);
    assert_eq!(change(0, 2), Change::Worse);
    assert_eq!(change(9, 10), Change::Same);
    // From no pain nothing is better.
    assert_eq!(change(0, 0), Change::Same);
    assert_eq!(change(10, 10), Change::Same);
}

#[test]
fn the_thirty_percent_rule_holds_exactly_at_its_boundary() {
    for b in 0..=10u8 {
        for p in 0..=10u8 {
            let down = f64::from(b) - f64::from(p);
            let expected_better =
                down >= 2.0 || (b > 0 && down > 0.0 && down / f64::from(b) >= 0.3);
            assert_eq!(
                change(b, p) == Change::Better,
                expected_better,
                "{b} -> {p}"
            );
            assert_eq!(
                change(b, p) == Change::Worse,
                f64::from(p) - f64::from(b) >= 2.0,
                "{b} -> {p}"
            );
        }
    }
}

#[test]
fn no_assessment_needs_one_first() {
    let f = follow_up(&FollowUpInput {
        assessment: None,
        entries: &[entry(0, 6)],
        today: day(1),
        phase_start: None,
    });
    assert_eq!(f.action, Action::NeedsAssessment);
    assert_eq!(f.rule, FollowUpRule::NoAssessment);
    assert!(f.reason.contains("needs an assessment first"));
}

#[test]
fn a_new_red_flag_re_triages_at_once() {
    let mut e = entry(2, 3);
    e.new_red_flag = true;
    // Even when everything else says better.
    let f = run(Some(6), &[entry(1, 3), e], 2);
    assert_eq!(f.action, Action::Retriage);
    assert_eq!(f.rule, FollowUpRule::NewRedFlag);
    assert!(f.reason.contains("2026-11-04"));
    // Even on top of an urgent assessment.
    let f = follow_up(&FollowUpInput {
        assessment: Some(Baseline {
            level: TriageLevel::Consultation24,
            ..baseline(Some(6))
        }),
        entries: &[e],
        today: day(2),
        phase_start: None,
    });
    assert_eq!(f.action, Action::Retriage);
}

#[test]
fn an_urgent_assessment_comes_before_home_care() {
    for level in [
        TriageLevel::Consultation24,
        TriageLevel::Emergency,
        TriageLevel::EmergencyAmbulance,
    ] {
        let f = follow_up(&FollowUpInput {
            assessment: Some(Baseline {
                level,
                ..baseline(Some(6))
            }),
            entries: &[entry(1, 5)],
            today: day(1),
            phase_start: None,
        });
        assert_eq!(f.action, Action::UrgentCare, "{level}");
    }
}

#[test]
fn not_better_after_seven_days_needs_a_consultation() {
    // Day 6: too early to tell.
    let f = run(Some(6), &[entry(6, 6)], 6);
    assert_eq!(f.action, Action::Continue);
    assert_eq!(f.rule, FollowUpRule::OnTrack);
    // Day 7, one point better: not better → consultation.
    let f = run(Some(6), &[entry(6, 6), entry(7, 5)], 7);
    assert_eq!(f.action, Action::Consultation);
    assert_eq!(f.rule, FollowUpRule::NotBetterAfterWeek);
    assert!(f.reason.contains("2026-11-09"));
    assert_eq!(f.latest, Some(Change::Same));
    // Day 7, exactly two points better: fine.
    let f = run(Some(6), &[entry(7, 4)], 7);
    assert_eq!(f.action, Action::Continue);
    // Day 7 reached but no entry since day 6: ask for one rather than guess.
    let f = run(Some(6), &[entry(6, 6)], 7);
    assert_eq!(f.action, Action::Continue);
    assert_eq!(f.rule, FollowUpRule::AwaitingDaySeven);
    // Better at first, not any more at day 9.
    let f = run(Some(6), &[entry(3, 3), entry(9, 6)], 9);
    assert_eq!(f.rule, FollowUpRule::NotBetterAfterWeek);
}

#[test]
fn worse_on_entries_spanning_three_days_needs_a_consultation() {
    // Worse (exactly +2) on days 1 and 3: spans 3 days.
    let f = run(Some(4), &[entry(1, 6), entry(3, 6)], 3);
    assert_eq!(f.action, Action::Consultation);
    assert_eq!(f.rule, FollowUpRule::WorseThreeDays);
    // Days 1 and 2 span only 2 days.
    let f = run(Some(4), &[entry(1, 6), entry(2, 7)], 2);
    assert_eq!(f.action, Action::Continue);
    assert_eq!(f.latest, Some(Change::Worse));
    // One point up is not worse.
    let f = run(Some(4), &[entry(1, 5), entry(2, 5), entry(3, 5)], 3);
    assert_eq!(f.action, Action::Continue);
    // A better day in between breaks the run.
    let f = run(Some(4), &[entry(1, 6), entry(2, 4), entry(3, 6)], 3);
    assert_eq!(f.action, Action::Continue);
}

#[test]
fn severe_pain_twice_within_seven_days_needs_a_consultation() {
    // Exactly 8, seven days apart (inclusive), with better days between.
    let f = run(Some(7), &[entry(0, 8), entry(2, 5), entry(7, 8)], 7);
    assert_eq!(f.action, Action::Consultation);
    assert_eq!(f.rule, FollowUpRule::SeverePainTwice);
    // Eight days apart: not this rule.
    let f = run(Some(9), &[entry(0, 8), entry(4, 5), entry(8, 8)], 8);
    assert_ne!(f.rule, FollowUpRule::SeverePainTwice);
    // 7 is not severe.
    let f = run(Some(7), &[entry(1, 7), entry(2, 7)], 2);
    assert_eq!(f.action, Action::Continue);
    // Same day twice counts.
    let f = run(Some(9), &[entry(1, 9), entry(1, 8)], 1);
    assert_eq!(f.rule, FollowUpRule::SeverePainTwice);
}

#[test]
fn better_for_two_weeks_running_moves_the_plan_on() {
    // Better from day 1 to day 14: spans 14 days.
    let entries = [entry(1, 4), entry(7, 3), entry(14, 3)];
    let f = run(Some(6), &entries, 14);
    assert_eq!(f.action, Action::NextPhase);
    assert_eq!(f.rule, FollowUpRule::BetterTwoWeeks);
    assert_eq!(f.latest, Some(Change::Better));
    // Day 1 to day 13 spans 13: not yet.
    let f = run(Some(6), &[entry(1, 4), entry(13, 3)], 13);
    assert_eq!(f.action, Action::Continue);
    // A not-better entry in between restarts the count.
    let f = run(
        Some(6),
        &[entry(1, 4), entry(5, 6), entry(8, 4), entry(14, 4)],
        14,
    );
    assert_eq!(f.action, Action::Continue);
    // Counted from the start of the current phase only.
    let f = follow_up(&FollowUpInput {
        assessment: Some(baseline(Some(6))),
        entries: &entries,
        today: day(14),
        phase_start: Some(day(7)),
    });
    assert_eq!(f.action, Action::Continue);
}

#[test]
fn without_a_pain_at_the_assessment_the_first_entry_is_the_baseline() {
    let f = run(None, &[entry(0, 7), entry(3, 5)], 3);
    assert_eq!(f.baseline_pain, Some(7));
    assert_eq!(f.latest, Some(Change::Better));
    assert!(f.reason.contains("first entry"));
    let f = run(None, &[], 3);
    assert_eq!(f.rule, FollowUpRule::NoEntries);
    assert_eq!(f.action, Action::Continue);
}

#[test]
fn entries_before_the_assessment_or_after_today_do_not_count() {
    let old = DiaryPoint {
        date: date(2026, 10, 20),
        pain: 9,
        sessions: 0,
        new_red_flag: true,
    };
    let future = DiaryPoint {
        date: day(30),
        pain: 10,
        sessions: 0,
        new_red_flag: true,
    };
    let f = run(Some(6), &[old, entry(2, 5), future], 2);
    assert_eq!(f.action, Action::Continue);
    assert_eq!(f.rule, FollowUpRule::OnTrack);
}

#[test]
fn entries_in_any_order_give_the_same_answer() {
    let a = [entry(1, 6), entry(3, 6)];
    let b = [entry(3, 6), entry(1, 6)];
    assert_eq!(run(Some(4), &a, 3), run(Some(4), &b, 3));
}

#[test]
fn cited_sources_exist_and_advice_serialises() {
    let kb = real_kb();
    for rule in [
        FollowUpRule::NoAssessment,
        FollowUpRule::NewRedFlag,
        FollowUpRule::UrgentAssessment,
        FollowUpRule::SeverePainTwice,
        FollowUpRule::WorseThreeDays,
        FollowUpRule::NotBetterAfterWeek,
        FollowUpRule::BetterTwoWeeks,
        FollowUpRule::NoEntries,
        FollowUpRule::AwaitingDaySeven,
        FollowUpRule::OnTrack,
    ] {
        for id in rule.cite() {
            assert!(kb.source(id).is_some(), "{rule:?} cites unknown {id}");
        }
    }
    let f = run(Some(4), &[entry(1, 6), entry(3, 6)], 3);
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["action"], "consultation");
    assert_eq!(v["rule"], "worse_three_days");
    assert_eq!(v["latest"], "worse");
    assert_eq!(v["cite"][0], "seed001");
    let b = serde_json::to_value(baseline(Some(4))).unwrap();
    assert_eq!(b["level"], "self_care");
    assert_eq!(b["date"], "2026-11-02");
    assert_eq!(
        serde_json::from_value::<Baseline>(b).unwrap(),
        baseline(Some(4))
    );
}
