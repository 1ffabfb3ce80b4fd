//! Clause scope and ConText-style assertions: is a mention negated, uncertain, historical, hypothetical,
//! or about someone else?

use crate::Assertion;

/// A word or punctuation mark of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl Token<'_> {
    fn is_word(&self) -> bool {
        self.text
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric())
    }
}

/// Split normalised text into words (letters, digits, inner apostrophes and dots in numbers) and single
/// punctuation marks; spaces are dropped, line breaks kept as `"\n"`.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        let len = c.len_utf8();
        if c == ' ' {
            i += len;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut j = i + len;
            while j < text.len() {
                let d = text[j..].chars().next().unwrap();
                let joins = (d == '\'' || d == '.' || d == '/')
                    && j + 1 < text.len()
                    && text[j + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric())
                    && (d == '\'' || bytes[j - 1].is_ascii_digit());
                if d.is_alphanumeric() || joins {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Token {
                start,
                end: j,
                text: &text[start..j],
            });
            i = j;
        } else {
            out.push(Token {
                start: i,
                end: i + len,
                text: &text[i..i + len],
            });
            i += len;
        }
    }
    out
}

const HARD_STOPS: &[&str] = &[".", ";", "!", "?", ":", "\n", "(", ")"];
const TERMINATORS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "except",
    "apart",
    "aside",
    "yet",
    "whereas",
    "besides",
    "otherwise",
    "now",
    "then",
];
/// Words that start a new clause after a comma or "and".
const CLAUSE_STARTERS: &[&str] = &[
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "my",
    "it",
    "it's",
    "its",
    "this",
    "that",
    "there",
    "he",
    "she",
    "they",
    "we",
    "you",
    "the",
    "just",
    "also",
    "when",
    "which",
    "sometimes",
    "so",
    "because",
    "since",
    "after",
    "before",
    "even",
    "recently",
    "lately",
    "last",
    "yesterday",
];
/// Verbs that make a comma-separated item a statement of its own.
const CLAUSE_VERBS: &[&str] = &[
    "feel", "feels", "felt", "is", "are", "was", "were", "has", "have", "had", "got", "gets",
    "hurts", "hurt", "goes", "went", "started", "starts", "keeps", "kept", "can", "can't", "get",
    "seems", "seem", "comes", "came", "makes", "made", "wakes", "woke", "aches", "i'm", "it's",
    "i've",
];
/// Words after a mention that say it is gone ("the numbness has resolved", "nausea went away").
const POST_NEGATIONS: &[&str] = &["resolved", "disappeared", "none", "negative"];
/// Negations that carry through a comma-separated list.
const LIST_NEGATIONS: &[&str] = &[
    "no", "not", "without", "denies", "deny", "denied", "nor", "none", "neither",
];
/// Negation cues. Not "can't", "cannot", "couldn't" or "won't": they state an inability, which is itself a
/// symptom ("I can't walk far because my legs go numb" does not deny the numbness).
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "none", "nor", "neither", "nothing", "denies", "deny",
    "denied", "haven't", "hasn't", "hadn't", "don't", "doesn't", "didn't", "isn't", "aren't",
    "wasn't", "weren't", "ain't", "nope", "zero",
];
/// Negation words that, followed by these, do not negate ("no change in", "not only").
const PSEUDO_AFTER: &[(&str, &[&str])] = &[
    (
        "no",
        &[
            "change", "matter", "worse", "better", "doubt", "idea", "way", "real", "relief",
        ],
    ),
    (
        "not",
        &[
            "only",
            "just",
            "sure",
            "certain",
            "necessarily",
            "too",
            "really",
            "helping",
            "going",
            "improving",
            "getting",
            "better",
            "easing",
            "stopping",
            "settling",
            "much",
        ],
    ),
    (
        "can't",
        &[
            "tell", "remember", "say", "sleep", "get", "stop", "stand", "sit", "walk", "move",
            "bend", "seem", "shake",
        ],
    ),
    ("don't", &["know", "think", "remember"]),
    ("didn't", &["help", "work", "go", "stop"]),
    (
        "isn't",
        &["getting", "going", "helping", "improving", "easing"],
    ),
    ("won't", &["go", "stop", "settle", "ease"]),
];
const UNCERTAIN: &[&str] = &[
    "maybe",
    "possibly",
    "perhaps",
    "might",
    "unsure",
    "probably",
    "wonder",
    "wondering",
    "suspect",
    "unclear",
];
const HYPOTHETICAL: &[&str] = &["if", "unless", "whether", "case"];
const HISTORICAL: &[&str] = &["used", "previously", "formerly", "childhood"];
/// Other people whose symptoms are not the patient's. Not son, daughter or child: a parent describing their
/// child's pain is describing the patient.
const FAMILY: &[&str] = &[
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "brother",
    "sister",
    "wife",
    "husband",
    "partner",
    "friend",
    "gran",
    "grandma",
    "grandmother",
    "grandfather",
    "grandad",
    "granddad",
    "grandpa",
    "aunt",
    "auntie",
    "uncle",
    "cousin",
    "family",
    "parents",
    "parent",
    "nan",
    "nana",
    "colleague",
    "boss",
];
const EXPERIENCER_VERBS: &[&str] = &[
    "had", "has", "have", "died", "was", "is", "got", "gets", "suffered", "suffers", "passed",
    "keeps", "kept", "used",
];
/// Words after a mention that put it in doubt ("breathless maybe?", "period might be late, not sure").
const POST_UNCERTAIN: &[&str] = &["maybe", "possibly", "perhaps", "probably"];

/// The tokens before `start` that share its clause, nearest last, at most `limit` words.
pub fn scope_before<'a, 't>(
    tokens: &'t [Token<'a>],
    start: usize,
    limit: usize,
) -> &'t [Token<'a>] {
    let end = tokens.partition_point(|t| t.start < start);
    let mut begin = end;
    let mut words = 0;
    while begin > 0 {
        let t = &tokens[begin - 1];
        if HARD_STOPS.contains(&t.text) || TERMINATORS.contains(&t.text) {
            break;
        }
        if (t.text == "," || t.text == "and" || t.text == "-")
            && tokens
                .get(begin)
                .is_some_and(|n| CLAUSE_STARTERS.contains(&n.text))
        {
            break;
        }
        // A comma continues a list ("no fever, chills or weight loss") only when the item after it is short.
        if t.text == "," {
            let item: Vec<&Token<'_>> = tokens[begin..]
                .iter()
                .take_while(|n| {
                    !matches!(n.text, "," | "or" | "and" | "nor") && !HARD_STOPS.contains(&n.text)
                })
                .filter(|n| n.is_word())
                .collect();
            // An item with a verb of its own is a new statement ("legs feel weak"), not a list item.
            if item.len() > 4 || item.iter().any(|n| CLAUSE_VERBS.contains(&n.text)) {
                break;
            }
        }
        if t.is_word() {
            words += 1;
            if words > limit {
                break;
            }
        }
        begin -= 1;
    }
    &tokens[begin..end]
}

/// The tokens after `end` that share its clause.
pub fn scope_after<'a, 't>(tokens: &'t [Token<'a>], end: usize, limit: usize) -> &'t [Token<'a>] {
    let begin = tokens.partition_point(|t| t.start < end);
    let mut stop = begin;
    let mut words = 0;
    while stop < tokens.len() {
        let t = &tokens[stop];
        if HARD_STOPS.contains(&t.text) || TERMINATORS.contains(&t.text) || t.text == "," {
            break;
        }
        if t.text == "and"
            && tokens
                .get(stop + 1)
                .is_some_and(|n| CLAUSE_STARTERS.contains(&n.text))
        {
            break;
        }
        words += 1;
        if words > limit {
            break;
        }
        stop += 1;
    }
    &tokens[begin..stop]
}

fn is_negation(scope: &[Token<'_>], i: usize) -> bool {
    let word = scope[i].text;
    let next = scope.get(i + 1).map(|t| t.text);
    // "negative for", "-ve for", "quit smoking", "former smoker", "ex-smoker", "gave up smoking"
    if (matches!(word, "negative" | "ve") && next == Some("for"))
        || matches!(word, "quit" | "former" | "ex")
        || (word == "gave" && next == Some("up"))
    {
        return true;
    }
    if !NEGATIONS.contains(&word) {
        return false;
    }
    !PSEUDO_AFTER
        .iter()
        .any(|(w, after)| *w == word && next.is_some_and(|n| after.contains(&n)))
}

fn is_uncertain(scope: &[Token<'_>], i: usize) -> bool {
    let word = scope[i].text;
    let next = scope.get(i + 1).map(|t| t.text);
    UNCERTAIN.contains(&word)
        || (word == "not" && matches!(next, Some("sure" | "certain")))
        || (word == "could" && next == Some("be"))
}

/// The assertion of a mention at `[start, end)` of the normalised text. `timeless` findings (risk factors
/// and history) are never marked historical; `trigger` findings are never hypothetical ("worse if I bend").
pub fn classify(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    timeless: bool,
    trigger: bool,
    statement_of_absence: bool,
) -> Assertion {
    let before = scope_before(tokens, start, 15);
    let after = scope_after(tokens, end, 6);
    // someone else: "my mum had cancer", "dad's got a bad back"
    for (i, t) in before.iter().enumerate() {
        let family = FAMILY.contains(&t.text)
            || t.text
                .strip_suffix("'s")
                .is_some_and(|w| FAMILY.contains(&w));
        if family {
            let verb = before.get(i + 1).map(|t| t.text);
            let possessive_subject = t.text.ends_with("'s");
            if possessive_subject
                || verb.is_some_and(|v| EXPERIENCER_VERBS.contains(&v))
                || i + 1 == before.len()
            {
                return Assertion::OtherPerson;
            }
        }
    }
    // nearest cue first
    let mut crossed_comma = false;
    for i in (0..before.len()).rev() {
        let w = before[i].text;
        if w == "," {
            crossed_comma = true;
            continue;
        }
        if is_uncertain(before, i) {
            return Assertion::Uncertain;
        }
        // Past a comma only a list negation carries on ("no fever, chills or sweats"); a verbal one
        // ("hasn't improved, numb down below") ends with its clause. A statement of absence never
        // takes negation from across a comma.
        if is_negation(before, i)
            && (!crossed_comma || (!statement_of_absence && LIST_NEGATIONS.contains(&w)))
        {
            return Assertion::Negated;
        }
        if !trigger && HYPOTHETICAL.contains(&w) {
            let in_case = w == "case" && i > 0 && before[i - 1].text == "in";
            if w != "case" || in_case {
                // "not sure if", "I wonder whether", "don't know if": doubt, not a hypothesis
                let doubt = before[i.saturating_sub(3)..i].iter().any(|t| {
                    matches!(
                        t.text,
                        "sure" | "unsure" | "wonder" | "wondering" | "know" | "certain"
                    )
                });
                return if doubt {
                    Assertion::Uncertain
                } else {
                    Assertion::Hypothetical
                };
            }
        }
        let as_a_child = i >= 2
            && before[i - 2].text == "as"
            && matches!(before[i - 1].text, "a" | "an")
            && matches!(
                w,
                "child" | "kid" | "teenager" | "teen" | "baby" | "youngster"
            );
        if !timeless && as_a_child {
            return Assertion::Historical;
        }
        let in_the_past =
            w == "past" && i >= 2 && before[i - 1].text == "the" && before[i - 2].text == "in";
        if !timeless && (HISTORICAL.contains(&w) || in_the_past) {
            let used_to = w == "used" && before.get(i + 1).is_some_and(|t| t.text == "to");
            if w != "used" || used_to {
                return Assertion::Historical;
            }
        }
    }
    if after.iter().any(|t| POST_UNCERTAIN.contains(&t.text))
        || after
            .windows(2)
            .any(|w| matches!((w[0].text, w[1].text), ("not", "sure") | ("i", "think")))
    {
        return Assertion::Uncertain;
    }
    if after.iter().any(|t| POST_NEGATIONS.contains(&t.text))
        || after
            .windows(2)
            .any(|w| matches!((w[0].text, w[1].text), ("went", "away") | ("cleared", "up")))
    {
        return Assertion::Negated;
    }
    if !timeless
        && after.windows(2).any(|w| {
            (matches!(w[0].text, "years" | "yrs") && matches!(w[1].text, "ago" | "back"))
                || (w[0].text == "as" && matches!(w[1].text, "a" | "kid" | "child" | "teenager"))
        })
    {
        return Assertion::Historical;
    }
    Assertion::Affirmed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalized;

    fn check(text: &str, phrase: &str, expected: Assertion) {
        let n = Normalized::new(text);
        let tokens = tokenize(&n.text);
        let start = n
            .text
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase} in {}", n.text));
        let got = classify(&tokens, start, start + phrase.len(), false, false, false);
        assert_eq!(got, expected, "{text:?} / {phrase:?}");
    }

    #[test]
    fn tokenizer_keeps_contractions_and_decimals() {
        let toks: Vec<&str> = tokenize("i can't, 38.5 7/10 it's")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(toks, ["i", "can't", ",", "38.5", "7/10", "it's"]);
    }

    #[test]
    fn negation_covers_lists_and_stops_at_terminators() {
        check(
            "No fever, chills or weight loss",
            "weight loss",
            Assertion::Negated,
        );
        check("no leg pain no numbness", "numbness", Assertion::Negated);
        check("No fever but my leg is numb", "numb", Assertion::Affirmed);
        check(
            "I don't have a fever. My leg is numb",
            "numb",
            Assertion::Affirmed,
        );
        check("not numb, I feel sick", "feel sick", Assertion::Affirmed);
        check(
            "there is no numbness in my groin",
            "numbness",
            Assertion::Negated,
        );
        check(
            "I've had no change in my bladder",
            "bladder",
            Assertion::Affirmed,
        );
        check(
            "The painkillers are not only useless, I have a fever",
            "fever",
            Assertion::Affirmed,
        );
        check(
            "it's not going away and I feel sick",
            "feel sick",
            Assertion::Affirmed,
        );
        check("i havent got a fever", "fever", Assertion::Negated);
        check(
            "can't straighten, aching between my shoulder blades",
            "aching",
            Assertion::Affirmed,
        );
        check(
            "I can't walk far because my legs go numb",
            "numb",
            Assertion::Affirmed,
        );
        check(
            "no fever, night sweats or weight loss",
            "weight loss",
            Assertion::Negated,
        );
        check(
            "Hasn't improved, numb down below",
            "numb down below",
            Assertion::Affirmed,
        );
        check(
            "It doesn't ease with rest, wakes me up at night",
            "wakes me up",
            Assertion::Affirmed,
        );
        check(
            "No bladder problems, no numbness, legs feel weak",
            "legs feel weak",
            Assertion::Affirmed,
        );
        check(
            "Never had anything like this, sudden onset",
            "sudden onset",
            Assertion::Affirmed,
        );
    }

    #[test]
    fn other_assertions() {
        check(
            "ive been a bit breathless maybe? could just be unfit",
            "breathless",
            Assertion::Uncertain,
        );
        check(
            "as a teenager i had scoliosis",
            "scoliosis",
            Assertion::Historical,
        );
        check("my mum keeps fainting", "fainting", Assertion::OtherPerson);
        check("my son has a limp", "limp", Assertion::Affirmed);
        check(
            "My 13-year-old daughter's shoulder blade sticks out",
            "shoulder blade",
            Assertion::Affirmed,
        );
        check("my brother has a limp", "limp", Assertion::OtherPerson);
        check(
            "it started an hour ago, really severe",
            "severe",
            Assertion::Affirmed,
        );
        check(
            "in the past I had sciatica",
            "sciatica",
            Assertion::Historical,
        );
        check(
            "the past few days my back hurts",
            "back hurts",
            Assertion::Affirmed,
        );
        check(
            "my dad had a heart attack",
            "heart attack",
            Assertion::OtherPerson,
        );
        check(
            "my mum's cancer came back",
            "cancer",
            Assertion::OtherPerson,
        );
        check("I used to get sciatica", "sciatica", Assertion::Historical);
        check(
            "I had sciatica years ago",
            "sciatica",
            Assertion::Historical,
        );
        check("maybe a bit of numbness", "numbness", Assertion::Uncertain);
        check(
            "I'm not sure if I have a fever",
            "fever",
            Assertion::Uncertain,
        );
        check("what if it's cancer", "cancer", Assertion::Hypothetical);
        check("call me in case of fever", "fever", Assertion::Hypothetical);
        check(
            "my mum says I'm hunched over",
            "hunched",
            Assertion::Affirmed,
        );
    }
}
