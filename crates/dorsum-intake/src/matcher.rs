//! The phrase matcher: knowledge-base phrases, matched leftmost-longest on word boundaries over
//! normalised text, with assertions from the clause around each match and durations mapped to the
//! knowledge base's duration findings.

use crate::context::{Token, classify, judge, tokenize};
use crate::normalize::Normalized;
use crate::{Assertion, Mention, Side, TextIntake, duration, quantity, radiation};
use aho_corasick::{AhoCorasick, MatchKind};
use dorsum_kb::{FindingIx, FindingKind, Kb};
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Clone, Copy)]
struct Pattern {
    finding: FindingIx,
    /// True for `absent_phrases`: the phrase itself says the finding is absent.
    states_absence: bool,
    timeless: bool,
    trigger: bool,
    /// A radiation finding: its mentions say where the pain goes.
    radiation: bool,
    kind: FindingKind,
    /// The phrase names no part of the body ("pins and needles").
    placeless: bool,
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
    /// Every normalised phrase and its first pattern, for phrases completed by coordination.
    lexicon: HashMap<String, usize>,
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
            let radiation = f.kind == FindingKind::Radiation;
            for (list, states_absence) in [(&f.phrases, false), (&f.absent_phrases, true)] {
                for p in list {
                    let norm = Normalized::new(p).text;
                    if norm.is_empty() {
                        continue;
                    }
                    // a phrase that is itself about the past ("had this years ago") is not made historical
                    // by the words around it
                    let past = norm.split(' ').any(|w| PAST_WORDS.contains(&w));
                    let placeless = norm
                        .split(' ')
                        .all(|w| radiation::limb_nouns(w).is_empty() && !PLACES.contains(&w));
                    texts.push(norm);
                    patterns.push(Pattern {
                        finding,
                        states_absence,
                        timeless: timeless || past,
                        trigger,
                        radiation,
                        kind: f.kind,
                        placeless,
                    });
                }
            }
        }
        let mut lexicon = HashMap::new();
        for (i, text) in texts.iter().enumerate() {
            lexicon.entry(text.clone()).or_insert(i);
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
            lexicon,
        }
    }

    /// A phrase that names no place ("pins and needles", "tingling") said in a sentence that names a limb
    /// ("down my right arm into my thumb with pins and needles"): the finding of the phrase placed there
    /// ("pins and needles in my hand"), when the lexicon has it and it is of the same kind.
    fn placed(&self, t: &str, tokens: &[Token<'_>], (s, e, p): (usize, usize, usize)) -> usize {
        let pat = self.patterns[p];
        if !pat.placeless || pat.states_absence {
            return p;
        }
        let first = tokens.partition_point(|k| k.start < s);
        let last = tokens.partition_point(|k| k.start < e);
        let stop = |k: &Token<'_>| {
            HARD_STOP_WORDS.contains(&k.text)
                || matches!(
                    k.text,
                    "but" | "however" | "although" | "though" | "whereas"
                )
        };
        let before = tokens[..first]
            .iter()
            .rev()
            .take_while(|k| !stop(k))
            .take(8)
            .enumerate()
            .map(|(d, k)| (d, k.text));
        let after = tokens[last..]
            .iter()
            .take_while(|k| !stop(k))
            .take(8)
            .enumerate()
            .map(|(d, k)| (d, k.text));
        let mut limbs: Vec<(usize, &str)> = before
            .chain(after)
            .filter(|(_, w)| !radiation::limb_nouns(w).is_empty())
            .collect();
        limbs.sort_by_key(|&(d, _)| d);
        let phrase = &t[s..e];
        for (_, word) in limbs.into_iter().take(1) {
            for noun in std::iter::once(word).chain(radiation::limb_nouns(word).iter().copied()) {
                if let Some(&q) = self.lexicon.get(&format!("{phrase} in my {noun}"))
                    && self.patterns[q].kind == pat.kind
                    && !self.patterns[q].states_absence
                {
                    return q;
                }
            }
        }
        p
    }

    /// A coordinated item after the phrase at `[s, e)` that completes into another phrase: "no problems with
    /// my waterworks or my bowels" (→ "problems with my bowels"), "legs aren't weak or numb" (→ "legs are
    /// numb"), "no pain in my tummy or chest" (→ "pain in my chest"). Returns the item's range and pattern.
    fn coordinated(
        &self,
        t: &str,
        tokens: &[Token<'_>],
        (s, e, p): (usize, usize, usize),
        selected: &[(usize, usize, usize)],
    ) -> Option<(usize, usize, usize)> {
        let i = tokens.partition_point(|k| k.start < e);
        if !tokens
            .get(i)
            .is_some_and(|k| matches!(k.text, "or" | "and" | "nor" | "," | "/"))
        {
            return None;
        }
        let mut j = i + 1;
        if tokens[i].text == ","
            && tokens
                .get(j)
                .is_some_and(|k| matches!(k.text, "or" | "and" | "nor"))
        {
            j += 1;
        }
        let item: Vec<&Token<'_>> = tokens[j.min(tokens.len())..]
            .iter()
            .take_while(|k| k.is_word() && !matches!(k.text, "or" | "and" | "nor" | "but"))
            .take(3)
            .collect();
        let head: Vec<&str> = t[s..e].split(' ').collect();
        let content: Vec<&str> = head
            .iter()
            .copied()
            .filter(|w| !COORDINATION_FILLER.contains(w))
            .collect();
        let head_absent = self.patterns[p].states_absence;
        for len in (1..=item.len()).rev() {
            let words: Vec<&str> = item[..len].iter().map(|k| k.text).collect();
            let skip = usize::from(matches!(words[0], "my" | "the" | "any" | "a" | "an"));
            let core = &words[skip..];
            if core.is_empty() {
                continue;
            }
            let (cs, ce) = (item[skip].start, item[len - 1].end);
            // already understood, unless only as a bare part of the completed phrase ("no pain in my tummy
            // or chest": "chest" alone names the place; completed, it is chest pain)
            if selected
                .iter()
                .any(|&(a, b, _)| a < ce && b > cs && (a < cs || b > ce))
            {
                return None;
            }
            let core = core.join(" ");
            let mut candidates: Vec<String> = Vec::new();
            for k in (1..head.len()).rev() {
                let prefix = head[..k].join(" ");
                candidates.push(format!("{prefix} {}", words.join(" ")));
                candidates.push(format!("{prefix} {core}"));
            }
            for x in &content {
                for pattern in [
                    format!("{x} {core}"),
                    format!("{core} {x}"),
                    format!("{x} are {core}"),
                    format!("{x} is {core}"),
                    format!("{x} feel {core}"),
                    format!("{core} in my {x}"),
                ] {
                    candidates.push(pattern);
                }
            }
            for c in candidates {
                // a statement of absence may complete into a plain phrase ("legs aren't weak or numb"), which
                // it then denies; a plain phrase never into a statement of absence
                if let Some(&q) = self.lexicon.get(&c)
                    && self.patterns[q].finding != self.patterns[p].finding
                    && (head_absent || !self.patterns[q].states_absence)
                    && !selected.iter().any(|&(a, b, r)| {
                        a >= cs && b <= ce && self.patterns[r].finding == self.patterns[q].finding
                    })
                {
                    return Some((cs, ce, q));
                }
            }
        }
        None
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

/// Punctuation that ends a sentence.
const HARD_STOP_WORDS: &[&str] = &[".", ";", "!", "?", "\n"];

/// Words that place a phrase without naming a limb.
const PLACES: &[&str] = &[
    "back",
    "neck",
    "spine",
    "below",
    "there",
    "groin",
    "bottom",
    "bum",
    "buttock",
    "buttocks",
    "backside",
    "privates",
    "saddle",
    "chest",
    "tummy",
    "stomach",
    "side",
    "ribs",
    "head",
    "face",
    "body",
    "everywhere",
    "skin",
    "between",
];

/// Words that put a phrase in the past by themselves.
const PAST_WORDS: &[&str] = &[
    "ago",
    "before",
    "previous",
    "previously",
    "again",
    "last",
    "recurring",
    "recurrent",
];

/// Words that may stand beside a duration in a sentence that only says how long.
const TIME_FILLER: &[&str] = &[
    "so",
    "about",
    "around",
    "roughly",
    "approx",
    "approximately",
    "nearly",
    "almost",
    "like",
    "now",
    "since",
    "for",
    "ish",
    "maybe",
    "i",
    "think",
    "it's",
    "its",
    "been",
    "has",
    "just",
    "over",
    "under",
    "a",
    "bit",
    "more",
    "less",
    "than",
    "or",
    "and",
    "only",
    "well",
    "um",
    "erm",
    "probably",
    "at",
    "least",
    "the",
    "past",
    "last",
    "ago",
    "started",
    "began",
];

/// Words of a phrase that are not the thing it names, for completing coordinated items.
const COORDINATION_FILLER: &[&str] = &[
    "my", "the", "a", "an", "any", "in", "of", "on", "to", "with", "is", "are", "am", "was",
    "were", "no", "not", "don't", "aren't", "isn't", "haven't", "feel", "feels", "have", "has",
    "had", "i", "i'm", "i've", "it", "it's", "and", "or", "go", "goes", "gone", "went", "down",
    "into",
];

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
        let mut selected: Vec<(usize, usize, usize)> = Vec::new();
        let mut covered_to = 0;
        for (s, e, p) in found {
            // Phrases of two findings that share words ("leg weakness getting worse": leg weakness, and
            // weakness getting worse) both count; a phrase inside another does not.
            let chained = selected.last().is_some_and(|&(_, _, q)| {
                let (a, b) = (self.patterns[p], self.patterns[q]);
                e > covered_to && a.finding != b.finding && !a.states_absence && !b.states_absence
            });
            if s >= covered_to || chained {
                covered_to = e;
                selected.push((s, e, p));
            }
        }
        let mut mentions = Vec::new();
        let mut durations: Vec<(f64, usize, usize)> = Vec::new();
        // Matches, then items coordinated with them, which share their assertion.
        let mut queue: VecDeque<(usize, usize, usize, Option<Assertion>)> = selected
            .iter()
            .map(|&(s, e, p)| (s, e, self.placed(t, &tokens, (s, e, p)), None))
            .collect();
        while let Some((s, e, p, shared)) = queue.pop_front() {
            let pat = self.patterns[p];
            let judgement = judge(&tokens, s, e, pat.timeless, pat.trigger, pat.states_absence);
            let assertion = match shared {
                Some(a) => a,
                None => {
                    let mut assertion = judgement.assertion;
                    // "no numbness and no problems with my waterworks": a statement of absence with its own
                    // negation is not negated again by an earlier one
                    if pat.states_absence
                        && assertion == Assertion::Negated
                        && opens_with_negation(&t[s..e])
                    {
                        assertion = Assertion::Affirmed;
                    }
                    // "no balance problems": a phrase that opens with a negation ("no balance") and is
                    // followed by "problems" denies the problem rather than stating it.
                    if !pat.states_absence
                        && opens_with_negation(&t[s..e])
                        && followed_by_problem(&tokens, e)
                    {
                        assertion = Assertion::Negated;
                    }
                    match (pat.states_absence, assertion) {
                        (false, a) => a,
                        // "not peeing normally": a negated statement of absence says nothing safe; drop it
                        (true, Assertion::Negated) => continue,
                        (true, Assertion::Affirmed) => Assertion::Negated,
                        (true, other) => other,
                    }
                }
            };
            // Only denied or doubtful lists are completed: an affirmed description ("legs go numb and heavy
            // when I walk") is read word by word, so it does not turn into extra findings.
            if assertion != Assertion::Affirmed
                && let Some((cs, ce, cp)) = self.coordinated(t, &tokens, (s, e, p), &selected)
            {
                queue.push_back((cs, ce, cp, Some(assertion)));
            }
            // Duration phrases ("for months") compete with stated durations below.
            if let Some(&(_, lo, _)) = self.durations.iter().find(|(f, _, _)| *f == pat.finding) {
                if assertion == Assertion::Affirmed {
                    durations.push((lo, s, e));
                }
                continue;
            }
            let span = norm.original_span(s, e, text);
            let side = side_of(&tokens, s, e);
            mentions.push(Mention {
                side,
                radiation: pat
                    .radiation
                    .then(|| radiation::radiation(&tokens, s, e, side))
                    .flatten(),
                ..Mention::new(pat.finding, assertion, span)
            });
            // "my mum had cancer": someone else's cancer is the person's family history ("my dad never had
            // cancer": its absence)
            if assertion == Assertion::OtherPerson
                && let Some(family) = self.family_history[pat.finding.0 as usize]
            {
                let said = match judgement.own {
                    Assertion::Historical => Assertion::Affirmed,
                    own => own,
                };
                mentions.push(Mention::new(family, said, span));
            }
        }

        // The pain's duration: the longest duration, in words or numbers, stated in a sentence about the pain.
        durations.extend(
            duration::find(&tokens)
                .into_iter()
                .map(|d| (d.days, d.start, d.end)),
        );
        let spans: Vec<(usize, usize)> = durations.iter().map(|&(_, s, e)| (s, e)).collect();
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
                // "a few years back" is a time, not the back
                let pain_word = |i: usize| {
                    PAIN_WORDS.contains(&sent[i].text)
                        && !(sent[i].text == "back" && i > 0 && duration::is_unit(sent[i - 1].text))
                };
                // a sentence that only says how long ("since tuesday, so about 5 days now") answers "how
                // long has it hurt"
                let only_time = sent.iter().filter(|w| w.is_word()).all(|w| {
                    spans.iter().any(|&(s, e)| w.start >= s && w.end <= e)
                        || TIME_FILLER.contains(&w.text)
                });
                (0..sent.len()).any(pain_word)
                    || only_time
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
            mentions.push(Mention::new(
                finding,
                Assertion::Affirmed,
                norm.original_span(start, end, text),
            ));
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
                let assertion = if inside {
                    Assertion::Affirmed
                } else {
                    Assertion::Negated
                };
                mentions.push(Mention::new(
                    finding,
                    assertion,
                    norm.original_span(q.start, q.end, text),
                ));
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
id = "leg_numb"
name = "Leg numbness"
kind = "neurological"
question = "Numb?"
phrases = ["pins and needles", "numb legs"]

[[finding]]
id = "arm_numb"
name = "Arm numbness"
kind = "neurological"
question = "Numb arm?"
phrases = ["pins and needles in my hand"]

[[finding]]
id = "leg_weak"
name = "Leg weakness"
kind = "neurological"
question = "Weak?"
phrases = ["weak legs", "leg weakness"]
absent_phrases = ["legs aren't weak"]

[[finding]]
id = "worse_weak"
name = "Weakness getting worse"
kind = "neurological"
question = "Worse?"
phrases = ["weakness getting worse"]

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
    fn radiation_findings_say_where_the_pain_goes() {
        let kb = load(&[KbFile {
            path: "t.toml",
            text: KB,
        }])
        .unwrap();
        let intake = PhraseIntake::new(&kb);
        let radiation = |text: &str| {
            intake
                .read(text)
                .iter()
                .find_map(|m| m.radiation)
                .map(|r| (r.to.as_str(), r.side.map(|s| s.as_str())))
        };
        assert_eq!(
            radiation("it's a pain down my leg all the way to my left foot"),
            Some(("foot", Some("left")))
        );
        assert_eq!(
            radiation("right leg pain, stops at the knee"),
            Some(("leg", Some("right")))
        );
        assert_eq!(
            radiation("no leg pain below the knee"),
            Some(("leg_below_knee", None))
        );
        // only radiation findings carry it
        assert!(
            intake
                .read("fever in my legs")
                .iter()
                .all(|m| m.radiation.is_none())
        );
    }

    #[test]
    fn denied_lists_complete_their_items() {
        // "numb" completes to "numb legs" and shares the denial
        let f = read("my legs arent weak or numb");
        assert!(has(&f, "leg_weak", "negated", "legs arent weak"), "{f:?}");
        assert!(has(&f, "leg_numb", "negated", "numb"), "{f:?}");
        // an affirmed description is read word by word
        let f = read("weak legs and numb when i walk");
        assert!(f.iter().all(|(i, _, _)| i != "leg_numb"), "{f:?}");
    }

    #[test]
    fn a_symptom_without_a_place_goes_where_the_sentence_puts_it() {
        let f = read("it goes down my arm into my thumb with pins and needles");
        assert!(has(&f, "arm_numb", "affirmed", "pins and needles"), "{f:?}");
        let f = read("pins and needles when i walk");
        assert!(has(&f, "leg_numb", "affirmed", "pins and needles"), "{f:?}");
    }

    #[test]
    fn phrases_that_share_words_both_count() {
        let f = read("leg weakness getting worse every day");
        assert!(has(&f, "leg_weak", "affirmed", "leg weakness"), "{f:?}");
        assert!(
            has(&f, "worse_weak", "affirmed", "weakness getting worse"),
            "{f:?}"
        );
    }

    #[test]
    fn a_sentence_that_only_says_how_long_dates_the_pain() {
        let f = read("my back hurts. since tuesday, so about 5 days now");
        assert!(has(&f, "short", "affirmed", "5 days"), "{f:?}");
        // "a few years back" is a time, not the back
        let f = read("i was told i had an aneurysm a few years back");
        assert!(f.iter().all(|(i, _, _)| i != "long"), "{f:?}");
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
