//! Durations in a person's words ("for 3 weeks", "since yesterday", "a couple of months") to days.

use crate::context::Token;

/// A duration found in the text: its length in days and its normalised byte range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duration {
    pub days: f64,
    pub start: usize,
    pub end: usize,
}

fn number(word: &str) -> Option<f64> {
    let n = match word {
        "a" | "an" | "one" | "single" => 1.0,
        "two" | "couple" => 2.0,
        "three" | "few" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" | "several" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "half" => 0.5,
        _ => {
            return word
                .parse::<f64>()
                .ok()
                .filter(|n| *n >= 0.0 && *n < 1000.0);
        }
    };
    Some(n)
}

/// Whether a word is a unit of time ("weeks", "yrs").
pub fn is_unit(word: &str) -> bool {
    unit_days(word).is_some()
}

fn unit_days(word: &str) -> Option<f64> {
    Some(match word {
        "minute" | "minutes" | "min" | "mins" => 1.0 / 1440.0,
        "hour" | "hours" | "hr" | "hrs" | "h" => 1.0 / 24.0,
        "day" | "days" | "nights" => 1.0,
        "week" | "weeks" | "wk" | "wks" => 7.0,
        "fortnight" | "fortnights" => 14.0,
        "month" | "months" | "mo" | "mths" => 30.0,
        "year" | "years" | "yr" | "yrs" => 365.0,
        _ => return None,
    })
}

/// Relative expressions that date the start of the pain.
const SINCE: &[(&[&str], f64)] = &[
    (&["this", "morning"], 0.3),
    (&["this", "afternoon"], 0.2),
    (&["this", "evening"], 0.1),
    (&["last", "night"], 0.6),
    (&["yesterday"], 1.0),
    (&["today"], 0.3),
    (&["tonight"], 0.1),
    (&["this", "week"], 3.0),
    (&["last", "week"], 7.0),
    (&["last", "month"], 30.0),
    (&["last", "year"], 365.0),
    (&["over", "the", "weekend"], 2.0),
    (&["on", "sunday"], 3.0),
    (&["on", "saturday"], 3.0),
    (&["on", "monday"], 3.0),
    (&["on", "tuesday"], 3.0),
    (&["on", "wednesday"], 3.0),
    (&["on", "thursday"], 3.0),
    (&["on", "friday"], 3.0),
    (&["since", "sunday"], 3.0),
    (&["since", "saturday"], 3.0),
    (&["since", "monday"], 3.0),
    (&["since", "tuesday"], 3.0),
    (&["since", "wednesday"], 3.0),
    (&["since", "thursday"], 3.0),
    (&["since", "friday"], 3.0),
    (&["since", "the", "weekend"], 3.0),
    (&["since", "christmas"], 60.0),
];

/// Words ending in "-ing" that are not activities.
const NOT_ACTIVITIES: &[&str] = &[
    "morning",
    "evening",
    "during",
    "nothing",
    "something",
    "anything",
    "everything",
    "spring",
    "ceiling",
    "wedding",
    "feeling",
];

fn is_activity(word: &str) -> bool {
    word.len() >= 6 && word.ends_with("ing") && !NOT_ACTIVITIES.contains(&word)
}

/// Whether the number at `i` with its unit at `j` measures an activity that brings the pain on, not how
/// long the pain has lasted: "after walking about 5 mins", "when sitting for an hour", "after 20 minutes of
/// standing", "within 10 minutes walking".
fn activity_length(tokens: &[Token<'_>], i: usize, j: usize) -> bool {
    let mut k = i;
    while k > 0
        && matches!(
            tokens[k - 1].text,
            "for"
                | "about"
                | "around"
                | "roughly"
                | "approximately"
                | "approx"
                | "like"
                | "only"
                | "just"
                | "over"
                | "more"
                | "than"
                | "a"
                | "an"
        )
    {
        k -= 1;
    }
    let trigger = |w: &str| {
        matches!(
            w,
            "after" | "when" | "while" | "whilst" | "if" | "during" | "from" | "within" | "by"
        )
    };
    let before = k >= 2 && is_activity(tokens[k - 1].text) && trigger(tokens[k - 2].text);
    let after = k >= 1 && trigger(tokens[k - 1].text) && {
        let next = j + 1;
        match tokens.get(next).map(|t| t.text) {
            Some("of") => tokens.get(next + 1).is_some_and(|t| is_activity(t.text)),
            Some(w) => is_activity(w),
            None => false,
        }
    };
    before || after
}

/// Every duration expression in the tokens, in text order.
pub fn find(tokens: &[Token<'_>]) -> Vec<Duration> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // "[for|over|about|a] <number> [of] <unit>", "a couple of weeks", "half an hour"
        if let Some(n) = number(tokens[i].text) {
            let mut j = i + 1;
            let mut n = n;
            // "couple of", "few", "half an"
            while j < tokens.len()
                && matches!(
                    tokens[j].text,
                    "of" | "few" | "couple" | "an" | "a" | "more" | "or" | "so"
                )
            {
                match tokens[j].text {
                    "few" => n = 3.0,
                    "couple" => n = 2.0,
                    _ => {}
                }
                j += 1;
            }
            // "my 4 year old", "a 10-year-old", "30 weeks pregnant": an age, not a duration
            let age = (tokens
                .get(j + 1)
                .is_some_and(|t| t.text == "old" || t.text == "-")
                && tokens.iter().skip(j + 1).take(3).any(|t| t.text == "old"))
                || tokens
                    .get(j + 1)
                    .is_some_and(|t| matches!(t.text, "pregnant" | "gestation" | "postpartum"))
                || tokens[i.saturating_sub(2)..i]
                    .iter()
                    .any(|t| matches!(t.text, "pregnant" | "gestation"));
            if let Some(unit) = tokens.get(j).and_then(|t| unit_days(t.text))
                && !age
                && !activity_length(tokens, i, j)
            {
                let start = tokens[i].start;
                let end = tokens[j].end;
                out.push(Duration {
                    days: n * unit,
                    start,
                    end,
                });
                i = j + 1;
                continue;
            }
        }
        // "24hrs", "3wks", "2yrs"
        let t = tokens[i].text;
        if let Some(split) = t.find(|c: char| c.is_ascii_alphabetic())
            && split > 0
            && let (Some(n), Some(u)) = (number(&t[..split]), unit_days(&t[split..]))
        {
            out.push(Duration {
                days: n * u,
                start: tokens[i].start,
                end: tokens[i].end,
            });
            i += 1;
            continue;
        }
        if let Some((words, days)) = SINCE.iter().find(|(words, _)| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.text == *w))
        }) {
            let end = tokens[i + words.len() - 1].end;
            out.push(Duration {
                days: *days,
                start: tokens[i].start,
                end,
            });
            i += words.len();
            continue;
        }
        // "for months", "for years", "for ages", "for weeks", "for days"
        if t == "for"
            && let Some(next) = tokens.get(i + 1)
        {
            let days = match next.text {
                "days" => Some(3.0),
                "weeks" => Some(21.0),
                "months" | "ages" => Some(120.0),
                "years" => Some(730.0),
                _ => None,
            };
            if let Some(days) = days {
                out.push(Duration {
                    days,
                    start: tokens[i].start,
                    end: next.end,
                });
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::tokenize;

    fn days(text: &str) -> Vec<f64> {
        find(&tokenize(text)).iter().map(|d| d.days).collect()
    }

    #[test]
    fn numbers_words_and_relative_times() {
        assert_eq!(days("pain for 3 weeks"), [21.0]);
        assert_eq!(days("for about 8 months my back aches"), [240.0]);
        assert_eq!(days("a couple of months"), [60.0]);
        assert_eq!(days("the last few days"), [3.0]);
        assert_eq!(days("for the last half hour"), [0.5 / 24.0]);
        assert_eq!(days("since yesterday"), [1.0]);
        assert_eq!(days("it started 3 days ago"), [3.0]);
        assert_eq!(days("over a year"), [365.0]);
        assert_eq!(days("for 24hrs"), [1.0]);
        assert_eq!(days("tweaked it on sunday"), [3.0]);
        assert_eq!(days("for months"), [120.0]);
        assert!(days("my back hurts").is_empty());
        assert!(days("my 4 year old hurt his back").is_empty());
        assert!(days("a 10-year-old boy").is_empty());
        assert!(days("i'm 30 weeks pregnant").is_empty());
        assert!(days("i'm pregnant, 30 weeks").is_empty());
        assert_eq!(days("my 4 year old has had back pain for 2 weeks"), [14.0]);
    }

    #[test]
    fn how_long_an_activity_lasts_is_not_how_long_the_pain_has_lasted() {
        assert!(days("it aches after walking about 5 mins").is_empty());
        assert!(days("it comes on when sitting for an hour").is_empty());
        assert!(days("worse after 20 minutes of standing").is_empty());
        assert!(days("sore within 10 minutes walking").is_empty());
        assert_eq!(
            days("for 3 weeks my back hurts after walking for 10 minutes"),
            [21.0]
        );
        // Not an activity: the pain's own length.
        assert_eq!(days("since this morning, for 6 hours"), [0.3, 0.25]);
        assert_eq!(days("after 2 weeks it is no better"), [14.0]);
        assert_eq!(days("walking has been hard for 2 weeks"), [14.0]);
    }
}
