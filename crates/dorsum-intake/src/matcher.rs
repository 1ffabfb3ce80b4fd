//! The phrase matcher: knowledge-base phrases, matched leftmost-longest on word boundaries over
//! normalised text, with assertions from the clause around each match and durations mapped to the
//! knowledge base's duration findings.

use crate::context::{Token, classify, tokenize};
use crate::normalize::Normalized;
use crate::{Assertion, Mention, TextIntake, duration};
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
        PhraseIntake {
            automaton,
            patterns,
            durations,
        }
    }

    fn duration_finding(&self, days: f64) -> Option<FindingIx> {
        self.durations
            .iter()
            .find(|(_, lo, hi)| days >= *lo && days < *hi)
            .map(|(f, _, _)| *f)
    }
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
        let mut covered_to = 0;
        for (s, e, p) in found {
            if s < covered_to {
                continue;
            }
            covered_to = e;
            let pat = self.patterns[p];
            let assertion = classify(&tokens, s, e, pat.timeless, pat.trigger);
            let assertion = match (pat.states_absence, assertion) {
                (false, a) => a,
                // "not peeing normally": a negated statement of absence says nothing safe; drop it
                (true, Assertion::Negated) => continue,
                (true, Assertion::Affirmed) => Assertion::Negated,
                (true, other) => other,
            };
            mentions.push(Mention {
                finding: pat.finding,
                assertion,
                span: norm.original_span(s, e, text),
            });
        }

        // The pain's duration: the longest duration stated in a sentence about the pain.
        let longest = duration::find(&tokens)
            .into_iter()
            .filter(|d| {
                let sent = sentence(&tokens, d.start, d.end);
                sent.iter().any(|w| PAIN_WORDS.contains(&w.text))
                    || sent
                        .windows(2)
                        .any(|w| w[0].text == "had" && matches!(w[1].text, "it" | "this"))
            })
            .max_by(|a, b| a.days.total_cmp(&b.days));
        if let Some(d) = longest
            && let Some(finding) = self.duration_finding(d.days)
            && !mentions.iter().any(|m| {
                self.durations.iter().any(|(f, _, _)| *f == m.finding)
                    && m.assertion == Assertion::Affirmed
            })
        {
            mentions.push(Mention {
                finding,
                assertion: Assertion::Affirmed,
                span: norm.original_span(d.start, d.end, text),
            });
        }
        mentions.sort_by_key(|m| (m.span.0, m.span.1, m.finding));
        mentions
    }
}
