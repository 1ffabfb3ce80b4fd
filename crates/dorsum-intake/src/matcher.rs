//! The phrase matcher: knowledge-base phrases, matched leftmost-longest on word boundaries over
//! normalised text, with assertions from the clause around each match and durations mapped to the
//! knowledge base's duration findings.

use crate::context::{Token, classify, tokenize};
use crate::normalize::Normalized;
use crate::{Assertion, Mention, Side, TextIntake, duration, quantity};
use aho_corasick::{AhoCorasick, MatchKind};
use dorsum_kb::{FindingIx, FindingKind, Kb};

#[derive(Debug, Clone, Copy)]
struct Pattern {
    finding: FindingIx,
    /// True for `absent_phrases`: the phrase itself says the finding is absent.
    states_absence: bool,
    timeless: bool,
    trigger: bool,
}

/// Text intake built from the lay phrases of a knowledge base.
#[derive(Debug, Clone)]
pub struct PhraseIntake {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Duration findings with their `[min, max)` day ranges.
    durations: Vec<(FindingIx, f64, f64)>,
    /// Findings reported by a stated temperature or pain score, with their ranges.
    temperatures: Vec<(FindingIx, f64, f64)>,
    pain_scores: Vec<(FindingIx, f64, f64)>,
    /// Per finding: what it reports when said of a relative.
    family_history: Vec<Option<FindingIx>>,
}

/// Words that make a sentence about the pain, so a duration in it is the pain's duration.
const PAIN_WORDS: &[&str] = &[
    "pain",
    "pains",
    "painful",
    "ache",
    "aches",
    "aching",
    "achy",
    "hurt",
    "hurts",
    "hurting",
    "backs",
    "necks",
    "bad",
    "bent",
    "sore",
    "soreness",
    "stiff",
    "stiffness",
    "back",
    "neck",
    "bothering",
    "bothered",
    "started",
    "began",
    "begun",
    "worse",
    "tweaked",
    "pulled",
    "twinge",
    "agony",
    "agonising",
    "killing",
    "spasm",
    "spasms",
    "symptoms",
    "sciatica",
    "numb",
    "tingling",
];

impl PhraseIntake {
    /// Build the matcher from every finding's phrases.
    pub fn new(kb: &Kb) -> Self {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for (i, f) in kb.findings.iter().enumerate() {
            let finding = FindingIx(i as u16);
            let timeless = matches!(f.kind, FindingKind::RiskFactor | FindingKind::History);
            let trigger = f.kind == FindingKind::Trigger;
            for (list, states_absence) in [(&f.phrases, false), (&f.absent_phrases, true)] {
                for p in list {
                    let norm = Normalized::new(p).text;
                    if norm.is_empty() {
                        continue;
                    }
                    texts.push(norm);
                    patterns.push(Pattern {
                        finding,
                        states_absence,
                        timeless,
                        trigger,
                    });
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .expect("phrase automaton fits in memory");
        let durations = kb
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.days.map(|(lo, hi)| (FindingIx(i as u16), lo, hi)))
            .collect();
        let ranges = |pick: fn(&dorsum_kb::Finding) -> Option<(f64, f64)>| {
            kb.findings
                .iter()
                .enumerate()
                .filter_map(|(i, f)| pick(f).map(|(lo, hi)| (FindingIx(i as u16), lo, hi)))
                .collect::<Vec<_>>()
        };
        PhraseIntake {
            automaton,
            patterns,
            durations,
            temperatures: ranges(|f| f.temperature_c),
            pain_scores: ranges(|f| f.pain_score),
            family_history: kb.findings.iter().map(|f| f.family_history).collect(),
        }
    }

    fn duration_finding(&self, days: f64) -> Option<FindingIx> {
        self.durations
            .iter()
            .find(|(_, lo, hi)| days >= *lo && days < *hi)
            .map(|(f, _, _)| *f)
    }
}

/// The side named inside a matched phrase or in the three words before it ("my left lower back", "the right
/// side of my back", "down both legs").
fn side_of(tokens: &[Token<'_>], start: usize, end: usize) -> Option<Side> {
    let first = tokens.partition_point(|t| t.start < start);
    let last = tokens.partition_point(|t| t.start < end);
    let window = &tokens[first.saturating_sub(3)..last];
    let mut side = None;
    for t in window {
        let this = match t.text {
            "left" => Side::Left,
            "right" => Side::Right,
            "both" | "either" | "bilateral" => Side::Both,
            "." | ";" | "," | "!" | "?" | "\n" => {
                side = None;
                continue;
            }
            _ => continue,
        };
        side = match side {
            Some(s) if s != this => Some(Side::Both),
            _ => Some(this),
        };
    }
    side
}

/// Signs that someone is typing on the patient's behalf.
const CARER_TYPING: &[&str] = &[
    "typing for",
    "typing this for",
    "typing on behalf",
    "on behalf of",
    "writing for my",
    "writing this for",
    "filling this in for",
    "daughter typing",
    "son typing",
    "wife typing",
    "husband typing",
    "carer typing",
    "i'm typing for",
    "asking for my mum",
    "asking for my dad",
];

fn opens_with_negation(phrase: &str) -> bool {
    matches!(
        phrase.split(' ').next(),
        Some("no" | "not" | "never" | "without" | "nothing" | "don't" | "didn't" | "haven't")
    )
}

fn followed_by_problem(tokens: &[Token<'_>], end: usize) -> bool {
    let next = tokens.partition_point(|t| t.start < end);
    tokens.get(next).is_some_and(|t| {
        matches!(
            t.text,
            "problem"
                | "problems"
                | "issue"
                | "issues"
                | "trouble"
                | "troubles"
                | "changes"
                | "concerns"
        )
    })
}

fn boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// The sentence (between hard stops) around a byte range.
fn sentence<'a, 't>(tokens: &'t [Token<'a>], start: usize, end: usize) -> &'t [Token<'a>] {
    let stop = |t: &Token<'_>| matches!(t.text, "." | ";" | "!" | "?" | "\n");
    let first = tokens.partition_point(|t| t.start < start);
    let last = tokens.partition_point(|t| t.start < end);
    let begin = tokens[..first].iter().rposition(stop).map_or(0, |i| i + 1);
    let finish = tokens[last..]
        .iter()
        .position(stop)
        .map_or(tokens.len(), |i| last + i);
    &tokens[begin..finish]
}

impl TextIntake for PhraseIntake {
    fn read(&self, text: &str) -> Vec<Mention> {
        let norm = Normalized::new(text);
        let t = norm.text.as_str();
        let tokens = tokenize(t);

        // All boundary-respecting matches, then leftmost-longest without overlaps.
        let mut found: Vec<(usize, usize, usize)> = self
            .automaton
            .find_overlapping_iter(t)
            .filter(|m| boundary_ok(t, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        found.sort_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
        let mut mentions = Vec::new();
        let mut durations: Vec<(f64, usize, usize)> = Vec::new();
        let mut covered_to = 0;
        for (s, e, p) in found {
            if s < covered_to {
                continue;
            }
            covered_to = e;
            let pat = self.patterns[p];
            let mut assertion =
                classify(&tokens, s, e, pat.timeless, pat.trigger, pat.states_absence);
            // "no balance problems": a phrase that opens with a negation ("no balance") and is followed by
            // "problems" denies the problem rather than stating it.
            if !pat.states_absence
                && opens_with_negation(&t[s..e])
                && followed_by_problem(&tokens, e)
            {
                assertion = Assertion::Negated;
            }
            let assertion = match (pat.states_absence, assertion) {
                (false, a) => a,
                // "not peeing normally": a negated statement of absence says nothing safe; drop it
                (true, Assertion::Negated) => continue,
                (true, Assertion::Affirmed) => Assertion::Negated,
                (true, other) => other,
            };
            // Duration phrases ("for months") compete with stated durations below.
            if let Some(&(_, lo, _)) = self.durations.iter().find(|(f, _, _)| *f == pat.finding) {
                if assertion == Assertion::Affirmed {
                    durations.push((lo, s, e));
                }
                continue;
            }
            let span = norm.original_span(s, e, text);
            mentions.push(Mention {
                finding: pat.finding,
                assertion,
                span,
                side: side_of(&tokens, s, e),
            });
            // "my mum had cancer": someone else's cancer is the person's family history
            if assertion == Assertion::OtherPerson
                && let Some(family) = self.family_history[pat.finding.0 as usize]
            {
                mentions.push(Mention {
                    finding: family,
                    assertion: Assertion::Affirmed,
                    span,
                    side: None,
                });
            }
        }

        // The pain's duration: the longest duration, in words or numbers, stated in a sentence about the pain.
        durations.extend(
            duration::find(&tokens)
                .into_iter()
                .map(|d| (d.days, d.start, d.end)),
        );
        let longest = durations
            .into_iter()
            .filter(|&(_, start, end)| {
                // someone else's pain, or a past episode, does not date this pain
                !matches!(
                    classify(&tokens, start, end, false, false, false),
                    Assertion::OtherPerson | Assertion::Historical
                )
            })
            .filter(|&(_, start, end)| {
                let sent = sentence(&tokens, start, end);
                sent.iter().any(|w| PAIN_WORDS.contains(&w.text))
                    || sent.windows(2).any(|w| {
                        matches!(
                            (w[0].text, w[1].text),
                            ("had", "it" | "this")
                                | ("going", "on")
                                | ("been", "like")
                                | ("it's", "been")
                        )
                    })
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((days, start, end)) = longest
            && let Some(finding) = self.duration_finding(days)
        {
            mentions.push(Mention {
                finding,
                assertion: Assertion::Affirmed,
                span: norm.original_span(start, end, text),
                side: None,
            });
        }
        // Temperatures and pain scores: a value inside a finding's range reports it; outside, its absence.
        for q in quantity::find(&tokens) {
            let ranges = match q.kind {
                quantity::Kind::TemperatureC => &self.temperatures,
                quantity::Kind::PainScore => &self.pain_scores,
                quantity::Kind::Age => continue,
            };
            for &(finding, lo, hi) in ranges {
                let inside = q.value >= lo && q.value < hi;
                mentions.push(Mention {
                    finding,
                    assertion: if inside {
                        Assertion::Affirmed
                    } else {
                        Assertion::Negated
                    },
                    span: norm.original_span(q.start, q.end, text),
                    side: None,
                });
            }
        }
        // Someone typing for the patient ("daughter typing", "on behalf of my dad"): the relative they
        // write about is the patient.
        if CARER_TYPING.iter().any(|c| t.contains(c)) {
            for m in &mut mentions {
                if m.assertion == Assertion::OtherPerson {
                    m.assertion = Assertion::Affirmed;
                }
            }
            // and a family history derived from that relative's condition no longer applies
            let spans: Vec<((usize, usize), FindingIx)> =
                mentions.iter().map(|m| (m.span, m.finding)).collect();
            mentions.retain(|m| {
                let derived = self
                    .family_history
                    .iter()
                    .flatten()
                    .any(|f| *f == m.finding)
                    && spans
                        .iter()
                        .any(|(span, f)| *span == m.span && *f != m.finding);
                !derived
            });
        }
        mentions.sort_by_key(|m| (m.span.0, m.span.1, m.finding));
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dorsum_kb::{KbFile, load};

    const KB: &str = r#"
[meta]
version = "t"
emergency_number = "999"

[[source]]
id = "s"
title = "S"
publication = "P"

[[group]]
id = "duration"
question = "How long?"
exclusive = true

[[finding]]
id = "fever"
name = "Fever"
kind = "symptom"
question = "Fever?"
phrases = ["fever", "temperature"]
temperature_c = [37.8, 46.0]

[[finding]]
id = "severe"
name = "Severe"
kind = "severity"
question = "Severe?"
phrases = ["agony"]
pain_score = [8.0, 11.0]

[[finding]]
id = "retention"
name = "Retention"
kind = "neurological"
question = "Can you pee?"
phrases = ["can't pee"]
absent_phrases = ["peeing normally"]

[[finding]]
id = "leg_pain"
name = "Leg pain"
kind = "radiation"
question = "Leg?"
phrases = ["leg pain", "pain down my leg"]

[[finding]]
id = "short"
name = "Days"
kind = "duration"
group = "duration"
question = "Days?"
phrases = ["a few days"]
days = [1.0, 7.0]

[[finding]]
id = "long"
name = "Weeks"
kind = "duration"
group = "duration"
question = "Weeks?"
phrases = ["for weeks and weeks"]
days = [7.0, 100000.0]
"#;

    fn read(text: &str) -> Vec<(String, &'static str, String)> {
        let kb = load(&[KbFile {
            path: "t.toml",
            text: KB,
        }])
        .unwrap();
        PhraseIntake::new(&kb)
            .read(text)
            .into_iter()
            .map(|m| {
                (
                    kb.finding(m.finding).id.clone(),
                    m.assertion.as_str(),
                    text[m.span.0..m.span.1].to_string(),
                )
            })
            .collect()
    }

    fn has(found: &[(String, &str, String)], id: &str, assertion: &str, quote: &str) -> bool {
        found
            .iter()
            .any(|(i, a, q)| i == id && *a == assertion && q == quote)
    }

    #[test]
    fn phrases_absent_phrases_and_spans() {
        let f = read("No leg pain. I'm peeing normally but I CANT pee at night?");
        assert!(has(&f, "leg_pain", "negated", "leg pain"), "{f:?}");
        assert!(has(&f, "retention", "negated", "peeing normally"), "{f:?}");
        assert!(has(&f, "retention", "affirmed", "CANT pee"), "{f:?}");
        // "not peeing normally" must not be read as "retention absent"
        let f = read("I'm not peeing normally");
        assert!(f.iter().all(|(i, _, _)| i != "retention"), "{f:?}");
    }

    #[test]
    fn sides_are_read_from_the_phrase_and_the_words_before_it() {
        let kb = load(&[KbFile {
            path: "t.toml",
            text: KB,
        }])
        .unwrap();
        let intake = PhraseIntake::new(&kb);
        let side = |text: &str| intake.read(text).first().and_then(|m| m.side);
        assert_eq!(side("the left leg pain"), Some(Side::Left));
        assert_eq!(side("my right leg pain"), Some(Side::Right));
        assert_eq!(side("left and right leg pain"), Some(Side::Both));
        assert_eq!(side("leg pain"), None);
        assert_eq!(side("my left knee. leg pain"), None);
    }

    #[test]
    fn longest_match_wins_and_words_must_be_whole() {
        let f = read("pain down my leg; legpain");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(&f, "leg_pain", "affirmed", "pain down my leg"));
    }

    #[test]
    fn temperatures_and_pain_scores_use_the_kb_ranges() {
        let f = read("my back hurts, temperature of 38.6, pain 9/10");
        assert!(has(&f, "fever", "affirmed", "38.6"), "{f:?}");
        assert!(has(&f, "severe", "affirmed", "9/10"), "{f:?}");
        let f = read("my back hurts, temp 36.9, pain 4 out of 10");
        assert!(has(&f, "fever", "negated", "36.9"), "{f:?}");
        assert!(has(&f, "severe", "negated", "4 out of 10"), "{f:?}");
    }

    #[test]
    fn the_longest_stated_duration_about_the_pain_wins() {
        let f = read("My back has hurt for 3 weeks, worse a few days ago");
        assert!(has(&f, "long", "affirmed", "3 weeks"), "{f:?}");
        assert!(f.iter().all(|(i, _, _)| i != "short"), "{f:?}");
        // a duration in a sentence that is not about the pain is not the pain's duration
        let f = read("I had an operation 3 weeks ago. Today my back hurts");
        assert!(f.iter().all(|(i, _, _)| i != "long"), "{f:?}");
        let f = read("back pain for a few days");
        assert!(has(&f, "short", "affirmed", "a few days"), "{f:?}");
    }
}
