//! Clause scope and ConText-style assertions: is a mention negated, uncertain, historical, hypothetical,
//! or about someone else?

use crate::Assertion;

/// A word or punctuation mark of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// The word lists it is in ([`set`] bits), looked up once when the text is split.
    pub class: u64,
}

impl Token<'_> {
    pub(crate) fn is_word(&self) -> bool {
        let b = self.text.as_bytes()[0];
        if b < 0x80 {
            b.is_ascii_alphanumeric()
        } else {
            self.text
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        }
    }

    /// Whether the token is in any of the word lists of `sets` (an or of [`set`] bits).
    #[inline]
    pub(crate) fn is(&self, sets: u64) -> bool {
        self.class & sets != 0
    }
}

/// One bit per word list, for [`Token::is`].
pub(crate) mod set {
    pub const HARD_STOPS: u64 = 1 << 0;
    pub const TERMINATORS: u64 = 1 << 1;
    pub const CLAUSE_STARTERS: u64 = 1 << 2;
    pub const CLAUSE_VERBS: u64 = 1 << 3;
    pub const SUBJECTS: u64 = 1 << 4;
    pub const SUBJECT_VERBS: u64 = 1 << 5;
    pub const FINITE_VERBS: u64 = 1 << 6;
    pub const BRIDGES: u64 = 1 << 7;
    pub const RELIEF: u64 = 1 << 8;
    pub const COPING: u64 = 1 << 9;
    pub const CAUSES: u64 = 1 << 10;
    pub const NEGATING_FOR: u64 = 1 << 11;
    pub const POST_NEGATIONS: u64 = 1 << 12;
    pub const POST_ENDINGS: u64 = 1 << 13;
    pub const AFTER_ENDING: u64 = 1 << 14;
    pub const NOT_GONE: u64 = 1 << 15;
    pub const FINE: u64 = 1 << 16;
    pub const LIST_NEGATIONS: u64 = 1 << 17;
    pub const NEGATIONS: u64 = 1 << 18;
    pub const INABILITY: u64 = 1 << 19;
    pub const FUNCTIONS: u64 = 1 << 20;
    pub const UNCERTAIN: u64 = 1 << 21;
    pub const HYPOTHETICAL: u64 = 1 << 22;
    pub const HISTORICAL: u64 = 1 << 23;
    pub const FAMILY: u64 = 1 << 24;
    pub const CHILDREN: u64 = 1 << 25;
    pub const PRONOUNS: u64 = 1 << 26;
    pub const FIRST_PERSON: u64 = 1 << 27;
    pub const EXPERIENCER_VERBS: u64 = 1 << 28;
    pub const POST_UNCERTAIN: u64 = 1 << 29;
    pub const ANSWER_WORDS: u64 = 1 << 30;
    pub const ANSWER_NEGATIONS: u64 = 1 << 31;
    pub const ANSWER_DOUBTS: u64 = 1 << 32;
}

/// The [`set`] bits of a word: which of the word lists below hold it.
pub(crate) fn class_of(word: &str) -> u64 {
    // the words, and the class of every one-byte word or mark directly by its byte
    type Tables = (crate::lookup::WordTable<u64>, [u64; 128]);
    static TABLES: std::sync::LazyLock<Tables> = std::sync::LazyLock::new(|| {
        let lists: [(&[&'static str], u64); 33] = [
            (HARD_STOPS, set::HARD_STOPS),
            (TERMINATORS, set::TERMINATORS),
            (CLAUSE_STARTERS, set::CLAUSE_STARTERS),
            (CLAUSE_VERBS, set::CLAUSE_VERBS),
            (SUBJECTS, set::SUBJECTS),
            (SUBJECT_VERBS, set::SUBJECT_VERBS),
            (FINITE_VERBS, set::FINITE_VERBS),
            (BRIDGES, set::BRIDGES),
            (RELIEF, set::RELIEF),
            (COPING, set::COPING),
            (CAUSES, set::CAUSES),
            (NEGATING_FOR, set::NEGATING_FOR),
            (POST_NEGATIONS, set::POST_NEGATIONS),
            (POST_ENDINGS, set::POST_ENDINGS),
            (AFTER_ENDING, set::AFTER_ENDING),
            (NOT_GONE, set::NOT_GONE),
            (FINE, set::FINE),
            (LIST_NEGATIONS, set::LIST_NEGATIONS),
            (NEGATIONS, set::NEGATIONS),
            (INABILITY, set::INABILITY),
            (FUNCTIONS, set::FUNCTIONS),
            (UNCERTAIN, set::UNCERTAIN),
            (HYPOTHETICAL, set::HYPOTHETICAL),
            (HISTORICAL, set::HISTORICAL),
            (FAMILY, set::FAMILY),
            (CHILDREN, set::CHILDREN),
            (PRONOUNS, set::PRONOUNS),
            (FIRST_PERSON, set::FIRST_PERSON),
            (EXPERIENCER_VERBS, set::EXPERIENCER_VERBS),
            (POST_UNCERTAIN, set::POST_UNCERTAIN),
            (ANSWER_WORDS, set::ANSWER_WORDS),
            (ANSWER_NEGATIONS, set::ANSWER_NEGATIONS),
            (ANSWER_DOUBTS, set::ANSWER_DOUBTS),
        ];
        let table = crate::lookup::WordTable::new(
            lists
                .into_iter()
                .flat_map(|(list, bit)| list.iter().map(move |&w| (w, bit))),
            |a, b| a | b,
        );
        let single = std::array::from_fn(|b| table.get_bytes(&[b as u8]).unwrap_or(0));
        (table, single)
    });
    let (table, single) = &*TABLES;
    match word.as_bytes() {
        &[b] if b < 0x80 => single[usize::from(b)],
        _ => table.get(word).unwrap_or(0),
    }
}

/// The char at byte `i` of `text`, with ASCII read directly.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().expect("a char at a boundary")
    }
}

/// Split normalised text into words (letters, digits, inner apostrophes and dots in numbers) and single
/// punctuation marks; spaces are dropped, line breaks kept as `"\n"`.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// [`tokenize`] into `out` (cleared first), to reuse its memory.
pub fn tokenize_into<'a>(text: &'a str, out: &mut Vec<Token<'a>>) {
    out.clear();
    out.reserve(text.len() / 4 + 4);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = char_at(text, i);
        let len = c.len_utf8();
        if c == ' ' {
            i += len;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut j = i + len;
            while j < text.len() {
                // the common case first: an ASCII letter or digit continues the word
                if crate::lookup::ASCII[bytes[j] as usize] & crate::lookup::ALNUM != 0 {
                    j += 1;
                    continue;
                }
                let d = char_at(text, j);
                let joins = (d == '\'' || d == '.' || d == '/')
                    && j + 1 < text.len()
                    && char_at(text, j + 1).is_alphanumeric()
                    && (d == '\'' || bytes[j - 1].is_ascii_digit());
                if d.is_alphanumeric() || joins {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            let word = &text[start..j];
            out.push(Token {
                start,
                end: j,
                text: word,
                class: class_of(word),
            });
            i = j;
        } else {
            let mark = &text[i..i + len];
            out.push(Token {
                start: i,
                end: i + len,
                text: mark,
                class: class_of(mark),
            });
            i += len;
        }
    }
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
    "he's",
    "she's",
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
/// Subjects that, after a negated item and without punctuation, start a new statement ("no leg pain my back
/// just aches", "no fever i feel awful").
const SUBJECTS: &[&str] = &[
    "i",
    "i'm",
    "i've",
    "i'd",
    "my",
    "it",
    "it's",
    "its",
    "they",
    "they're",
    "he",
    "she",
    "he's",
    "she's",
    "we",
    "the",
    "this",
    "that's",
    "there's",
    "everything",
];
/// Subjects that carry their own verb.
const SUBJECT_VERBS: &[&str] = &[
    "i'm", "i've", "i'd", "it's", "they're", "he's", "she's", "that's", "there's",
];
/// Verbs that show a subject starts a statement of its own.
const FINITE_VERBS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "feels",
    "feel",
    "felt",
    "hurts",
    "hurt",
    "aches",
    "ache",
    "goes",
    "go",
    "went",
    "keeps",
    "kept",
    "gets",
    "get",
    "got",
    "seems",
    "seem",
    "comes",
    "came",
    "started",
    "starts",
    "stays",
    "stay",
    "just",
    "can",
    "can't",
    "won't",
    "will",
    "does",
    "doesn't",
    "did",
    "didn't",
    "do",
    "don't",
    "isn't",
    "aren't",
    "wasn't",
    "killing",
    "hurting",
    "aching",
    "throbbing",
    "needs",
    "need",
    "wakes",
    "woke",
    "makes",
];
/// Words after which a subject does not start a new statement: it is the object of a thought or a
/// preposition ("I don't think my leg is numb", "no problems with my bladder").
const BRIDGES: &[&str] = &[
    "think", "thought", "know", "knew", "say", "said", "says", "sure", "certain", "feel", "felt",
    "like", "that", "if", "whether", "noticed", "notice", "realise", "realize", "realised",
    "realized", "believe", "reckon", "mean", "and", "or", "nor", "but", "so", "because", "cos",
    "when", "while", "as", "since", "until", "till", "after", "before", "where", "which", "who",
    "than", "of", "in", "on", "at", "to", "for", "with", "from", "about", "by", "into", "onto",
    "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did",
    "can", "could", "would", "should", "will", "might", "may", "must", "any", "a", "an", "the",
    "all", "what", "how", "why", "tell", "told", "see", "seen", "find", "found", "hope", "worry",
    "worried", "scared", "afraid", "wonder", "guess", "suppose", "assume", "seems", "seem",
];
/// Words that say relief or change, not the symptom: a negation before them is about the relief ("nothing
/// helps the pain", "the tablets haven't touched the pain"), so the symptom stands.
const RELIEF: &[&str] = &[
    "help",
    "helps",
    "helped",
    "helping",
    "stop",
    "stops",
    "stopped",
    "stopping",
    "ease",
    "eases",
    "eased",
    "easing",
    "touch",
    "touches",
    "touched",
    "touching",
    "shift",
    "shifts",
    "shifted",
    "shifting",
    "settle",
    "settles",
    "settled",
    "settling",
    "relieve",
    "relieves",
    "relieved",
    "relieving",
    "fix",
    "fixes",
    "fixed",
    "fixing",
    "budge",
    "budged",
    "budging",
    "cure",
    "cures",
    "cured",
    "improve",
    "improves",
    "improved",
    "improving",
    "shake",
    "shaken",
    "work",
    "works",
    "worked",
    "working",
    "reduce",
    "reduces",
    "reduced",
    "dulled",
    "kills",
];
/// Activities a symptom gets in the way of: a negation of them is not of the symptom that follows "with" or
/// "from" ("not coping with the pain").
const COPING: &[&str] = &[
    "cope",
    "coping",
    "coped",
    "manage",
    "managing",
    "managed",
    "deal",
    "dealing",
    "dealt",
    "live",
    "living",
    "sleep",
    "sleeping",
    "slept",
    "function",
    "functioning",
    "concentrate",
    "concentrating",
    "work",
    "working",
    "rest",
    "resting",
    "relax",
    "relaxing",
    "move",
    "moving",
];
/// Words between a negation and a mention that make the mention the cause of what is negated ("I haven't
/// slept because of the pain", "can't sleep for the pain").
const CAUSES: &[&str] = &[
    "because", "cos", "coz", "due", "owing", "thanks", "from", "for",
];
/// Words before "for" that keep a negation on what follows ("negative for", "no sign for").
const NEGATING_FOR: &[&str] = &["negative", "ve", "evidence", "sign", "signs"];
/// Words after a mention that say it is gone ("the numbness has resolved", "nausea went away").
const POST_NEGATIONS: &[&str] = &[
    "resolved",
    "disappeared",
    "vanished",
    "none",
    "negative",
    "anymore",
    "nomore",
];
/// Words after a mention that say it is gone when nothing else follows them ("the headache has gone now",
/// but not "has gone numb").
const POST_ENDINGS: &[&str] = &[
    "gone", "stopped", "settled", "passed", "cleared", "subsided",
];
/// What may follow a [`POST_ENDINGS`] word.
const AFTER_ENDING: &[&str] = &[
    "now",
    "away",
    "down",
    "up",
    "off",
    "completely",
    "totally",
    "fully",
    "entirely",
    "since",
    "after",
    "by",
    "thankfully",
    "luckily",
    "altogether",
    "eventually",
    "overnight",
    "within",
    "once",
    "on",
    "with",
    "too",
    "though",
    "thank",
    "again",
];
/// Words that keep a symptom from being gone ("hasn't gone", "still not gone", "mostly settled").
const NOT_GONE: &[&str] = &[
    "not",
    "never",
    "hasn't",
    "haven't",
    "hadn't",
    "isn't",
    "wasn't",
    "won't",
    "doesn't",
    "didn't",
    "don't",
    "still",
    "almost",
    "nearly",
    "mostly",
    "partly",
    "partially",
    "half",
    "barely",
    "hardly",
    "wouldn't",
];
/// A mention said to be fine ("bladder is fine", "bowels normal").
const FINE: &[&str] = &[
    "fine",
    "normal",
    "ok",
    "okay",
    "alright",
    "unaffected",
    "perfect",
    "perfectly",
];
/// Negations that carry through a comma-separated list.
const LIST_NEGATIONS: &[&str] = &[
    "no", "not", "without", "denies", "deny", "denied", "nor", "none", "neither",
];
/// Negation cues. Not "can't", "cannot", "couldn't" or "won't": they state an inability, which is itself a
/// symptom ("I can't walk far because my legs go numb" does not deny the numbness).
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "none", "nor", "neither", "nothing", "denies", "deny",
    "denied", "haven't", "hasn't", "hadn't", "don't", "doesn't", "didn't", "isn't", "aren't",
    "wasn't", "weren't", "ain't", "nope", "nah", "zero", "nobody", "noone", "wouldn't", "havn't",
    "dont", "didnt", "doesnt", "havent", "isnt", "arent", "wasnt", "did'nt", "does'nt", "do'nt",
    "has'nt", "have'nt", "was'nt", "is'nt", "are'nt",
];
/// An inability, which with "without" makes a double negative ("can't sit without pain").
const INABILITY: &[&str] = &["can't", "cannot", "couldn't", "unable", "won't"];
/// Negation words that, followed by these, do not negate ("no change in", "not only").
const PSEUDO_AFTER: &[(&str, &[&str])] = &[
    (
        "no",
        &[
            "matter", "worse", "better", "doubt", "idea", "way", "relief", "joke", "lie", "wonder",
            "kidding", "end", "let", "sooner",
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
            "helping",
            "improving",
            "better",
            "easing",
            "stopping",
            "settling",
            "much",
            "as",
            "so",
            "quite",
            "being",
        ],
    ),
    (
        "don't",
        &["know", "remember", "mind", "care", "want", "blame"],
    ),
    ("never", &["ending", "-", "mind"]),
    ("didn't", &["know", "realise", "realize", "want"]),
    ("isn't", &["as", "so", "quite"]),
    (
        "wouldn't",
        &["go", "stop", "settle", "ease", "let", "be", "know", "wish"],
    ),
];
/// Body functions: "no change in my bladder" says the bladder is unchanged, so a problem with it is absent
/// (unlike "no change in the pain").
const FUNCTIONS: &[&str] = &[
    "bladder",
    "bowel",
    "bowels",
    "waterworks",
    "toilet",
    "toileting",
    "peeing",
    "weeing",
    "urine",
    "urinating",
    "pooing",
    "stool",
    "stools",
    "vision",
    "eyesight",
    "sight",
    "hearing",
    "sensation",
    "feeling",
    "balance",
    "walking",
    "gait",
    "speech",
    "memory",
    "appetite",
    "weight",
    "period",
    "periods",
    "habit",
    "habits",
    "continence",
    "control",
    "strength",
    "mood",
    "sleep",
    "breathing",
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
    "dunno",
    "idk",
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
    "friends",
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
    "relatives",
    "relative",
    "siblings",
    "sibling",
    // possessives typed without the apostrophe ("mums got osteoporosis")
    "mums",
    "moms",
    "dads",
    "nans",
    "grans",
];
/// A child the text may be about: the patient, when a parent writes.
const CHILDREN: &[&str] = &[
    "son",
    "daughter",
    "child",
    "kid",
    "boy",
    "girl",
    "baby",
    "toddler",
    "teenager",
    "teen",
    "grandson",
    "granddaughter",
];
/// Third-person subjects, about whoever was named last.
const PRONOUNS: &[&str] = &["he", "she", "he's", "she's", "he'd", "she'd", "hes", "shes"];
/// Words that put the writer back in a sentence about someone else ("my friend told me to check for
/// numbness", "my wife had sciatica, mine is nothing like that").
const FIRST_PERSON: &[&str] = &[
    "i", "me", "i'm", "i've", "i'd", "i'll", "mine", "mines", "myself",
];
const EXPERIENCER_VERBS: &[&str] = &[
    "had", "has", "have", "died", "was", "is", "got", "gets", "suffered", "suffers", "passed",
    "keeps", "kept", "used",
];
/// Words after a mention that put it in doubt ("breathless maybe?", "period might be late, not sure").
const POST_UNCERTAIN: &[&str] = &["maybe", "possibly", "perhaps", "probably"];
/// The words a short answer after a mention may be made of ("numbness? nope", "weight loss - not that I've
/// noticed", "numbness down below, I don't have any", "my period might be late, not sure").
const ANSWER_WORDS: &[&str] = &[
    "no",
    "nope",
    "nah",
    "none",
    "never",
    "not",
    "nothing",
    "negative",
    "zero",
    "i",
    "don't",
    "haven't",
    "didn't",
    "isn't",
    "aren't",
    "do",
    "have",
    "had",
    "got",
    "any",
    "think",
    "so",
    "really",
    "that",
    "i've",
    "i'm",
    "noticed",
    "seen",
    "felt",
    "as",
    "far",
    "know",
    "can",
    "tell",
    "at",
    "all",
    "thankfully",
    "luckily",
    "fortunately",
    "though",
    "tho",
    "either",
    "there",
    "it",
    "it's",
    "of",
    "aware",
    "whatsoever",
    "btw",
    "yet",
    "sure",
    "certain",
    "maybe",
    "perhaps",
    "possibly",
    "probably",
    "unsure",
    "dunno",
    "idk",
    "definitely",
    "absolutely",
    "honestly",
    "tbh",
    "thank",
    "god",
    "goodness",
    "one",
    "a",
    "the",
    "of",
    "those",
    "them",
    "such",
    "thing",
    "things",
    "like",
    "either",
    "neither",
    "nor",
    "ever",
    "lol",
    "x",
    "way",
    "anymore",
    "now",
    "lately",
    "recently",
    "today",
    "currently",
    "moment",
    "since",
    "then",
    "more",
    "longer",
    "much",
    "yesterday",
    "week",
    "weeks",
    "last",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "night",
    "thankfully",
    "really",
    "honestly",
    "believe",
    "see",
    "find",
    "notice",
    "recall",
    "remember",
    "feel",
    "be",
];
const ANSWER_NEGATIONS: &[&str] = &[
    "no", "nope", "nah", "none", "never", "not", "nothing", "negative", "zero", "don't", "haven't",
    "didn't", "isn't", "aren't", "neither", "nor",
];
const ANSWER_DOUBTS: &[&str] = &[
    "sure", "certain", "maybe", "perhaps", "possibly", "probably", "unsure", "dunno", "idk",
];

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
        if t.is(set::HARD_STOPS) || t.is(set::TERMINATORS) {
            break;
        }
        if (t.text == "," || t.text == "and" || t.text == "-")
            && tokens
                .get(begin)
                .is_some_and(|n| n.is(set::CLAUSE_STARTERS))
        {
            break;
        }
        // A subordinate clause with a subject of its own ("I wasn't lifting anything when the pain started")
        // is not in the scope of the main clause's negation.
        if matches!(
            t.text,
            "when" | "whenever" | "while" | "until" | "till" | "since" | "because" | "cos" | "once"
        ) && tokens[begin..]
            .iter()
            .take(2)
            .any(|n| n.is(set::SUBJECTS))
            // "not once has my leg gone numb", "at once"
            && !(t.text == "once"
                && begin >= 2
                && matches!(tokens[begin - 2].text, "not" | "never" | "at"))
        {
            break;
        }
        // A comma continues a list ("no fever, chills or weight loss") only when the item after it is short.
        if t.text == "," {
            let item: Vec<&Token<'_>> = tokens[begin..]
                .iter()
                .take_while(|n| {
                    !matches!(n.text, "," | "or" | "and" | "nor") && !n.is(set::HARD_STOPS)
                })
                .filter(|n| n.is_word())
                .collect();
            // An item with a verb of its own is a new statement ("legs feel weak"), not a list item.
            if item.len() > 4 || item.iter().any(|n| n.is(set::CLAUSE_VERBS)) {
                break;
            }
        }
        // Without punctuation, a subject with a verb after something negated starts a new statement
        // ("no leg pain my back just aches"), unless it follows a thought or a preposition.
        if t.is(set::SUBJECTS)
            && begin >= 2
            && negation_before(tokens, begin - 1)
            && tokens[begin - 2].is_word()
            && !tokens[begin - 2].is(set::BRIDGES)
            && !tokens[begin - 2].is(set::NEGATIONS)
            && (t.is(set::SUBJECT_VERBS)
                || tokens[begin..]
                    .iter()
                    .take(5)
                    .take_while(|n| n.is_word())
                    .any(|n| n.is(set::FINITE_VERBS)))
        {
            break;
        }
        // "not numb just sore", "no sharp pain anymore, more of a dull ache": what follows the negated item
        // is what there is.
        if matches!(
            t.text,
            "just" | "more" | "rather" | "instead" | "mainly" | "mostly"
        ) && begin >= 2
            && (tokens[begin - 2].is_word() || tokens[begin - 2].text == ",")
            && !tokens[begin - 2].is(set::NEGATIONS)
            && !tokens[begin - 2].is(set::BRIDGES)
            && tokens.get(begin).is_none_or(|n| n.text != "than")
        {
            break;
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

/// Whether a negation cue comes shortly before token `at` in its clause.
fn negation_before(tokens: &[Token<'_>], at: usize) -> bool {
    tokens[..at]
        .iter()
        .rev()
        .take_while(|t| !t.is(set::HARD_STOPS) && !t.is(set::TERMINATORS))
        .take(8)
        .any(|t| t.is(set::NEGATIONS))
}

/// The tokens after `end` that share its clause.
pub fn scope_after<'a, 't>(tokens: &'t [Token<'a>], end: usize, limit: usize) -> &'t [Token<'a>] {
    let begin = tokens.partition_point(|t| t.start < end);
    let mut stop = begin;
    let mut words = 0;
    while stop < tokens.len() {
        let t = &tokens[stop];
        if t.is(set::HARD_STOPS) || t.is(set::TERMINATORS) || t.text == "," {
            break;
        }
        if t.text == "and"
            && tokens
                .get(stop + 1)
                .is_some_and(|n| n.is(set::CLAUSE_STARTERS))
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

/// Whether the negation at `scope[i]` carries through a comma-separated list: "no" and the like, and a
/// verbal negation of having ("I haven't had a fever, chills or sweats"), not of anything else ("hasn't
/// improved, numb down below").
fn lists(scope: &[Token<'_>], i: usize, after: &[Token<'_>]) -> bool {
    // a list of things had: "or" or "nor" among them ("never had anything like this, sudden onset" is two
    // statements)
    let or = |t: &Token<'_>| matches!(t.text, "or" | "nor");
    scope[i].is(set::LIST_NEGATIONS)
        || (scope[i + 1..].iter().any(or) || after.iter().take(4).any(or))
            && scope[i + 1..].iter().take(2).any(|t| {
                matches!(
                    t.text,
                    "have"
                        | "had"
                        | "got"
                        | "get"
                        | "getting"
                        | "any"
                        | "noticed"
                        | "experienced"
                        | "suffer"
                        | "suffered"
                )
            })
}

/// Whether `scope[i]` is a negation cue.
fn is_negation(scope: &[Token<'_>], i: usize) -> bool {
    let word = scope[i].text;
    let next = scope.get(i + 1).map(|t| t.text);
    // "negative for", "-ve for", "quit smoking", "former smoker", "ex-smoker", "gave up smoking", "ruled out",
    // "clear of", "free of", "can't say I've noticed"
    if (matches!(word, "negative" | "ve") && next == Some("for"))
        || matches!(word, "quit" | "former" | "ex")
        || (word == "gave" && next == Some("up"))
        || (word == "ruled" && next == Some("out"))
        || (matches!(word, "clear" | "free") && matches!(next, Some("of" | "from")))
        || (matches!(word, "can't" | "cannot" | "couldn't" | "wouldn't") && next == Some("say"))
    {
        return true;
    }
    // "I can't think of any injury"
    if matches!(word, "can't" | "cannot" | "couldn't")
        && next == Some("think")
        && scope.get(i + 2).is_some_and(|t| t.text == "of")
    {
        return true;
    }
    // "I can't remember having any numbness" (not "can't remember when it started")
    if matches!(word, "can't" | "don't" | "cannot" | "couldn't")
        && matches!(next, Some("remember" | "recall"))
        && scope.get(i + 2).is_some_and(|t| {
            matches!(
                t.text,
                "having" | "getting" | "feeling" | "any" | "ever" | "a" | "an" | "being" | "doing"
            )
        })
    {
        return true;
    }
    if !scope[i].is(set::NEGATIONS) {
        return false;
    }
    // "nobody in my family has had cancer", but not "no one can tell me why I have this pain"
    if word == "nobody" || word == "noone" || (word == "no" && next == Some("one")) {
        return scope[i + 1..].iter().take(5).any(|t| {
            matches!(
                t.text,
                "has" | "have" | "had" | "got" | "gets" | "suffers" | "suffered" | "in" | "else"
            )
        });
    }
    // "didn't think much of the numbness": it was there
    if matches!(word, "don't" | "didn't")
        && next == Some("think")
        && scope
            .get(i + 2)
            .is_some_and(|t| matches!(t.text, "much" | "anything" | "twice"))
    {
        return false;
    }
    // "no, ..." and "nope." answer what came before; they do not negate what follows
    if matches!(word, "no" | "nope" | "nah")
        && next.is_some_and(|n| matches!(n, "," | "." | "-" | "!" | ":"))
    {
        return false;
    }
    // "no change in my bladder": the function is unchanged, so its problems are absent; "no change in the
    // pain": the pain goes on.
    if word == "no" && matches!(next, Some("change" | "changes")) {
        return scope[i + 2..].iter().take(4).any(|t| t.is(set::FUNCTIONS));
    }
    // "not to mention the pain"
    if word == "not" && next == Some("to") && scope.get(i + 2).is_some_and(|t| t.text == "mention")
    {
        return false;
    }
    !PSEUDO_AFTER
        .iter()
        .any(|(w, after)| *w == word && next.is_some_and(|n| after.contains(&n)))
}

fn is_uncertain(scope: &[Token<'_>], i: usize) -> bool {
    let word = scope[i].text;
    let next = scope.get(i + 1).map(|t| t.text);
    let sure = |t: Option<&Token<'_>>| t.is_some_and(|t| matches!(t.text, "sure" | "certain"));
    scope[i].is(set::UNCERTAIN)
        || (word == "not"
            && (sure(scope.get(i + 1))
                || (matches!(
                    next,
                    Some("really" | "totally" | "entirely" | "100" | "quite" | "too" | "very")
                ) && sure(scope.get(i + 2)))))
        || (word == "could" && next == Some("be"))
        // "worried it's cancer", "scared I've broken something" (not "worried because my leg is numb")
        || (matches!(
            word,
            "worried" | "worry" | "worrying" | "scared" | "afraid" | "terrified" | "concerned" | "fear"
        ) && next.is_some_and(|n| {
            matches!(
                n,
                "it" | "it's" | "its" | "that" | "about" | "of" | "i" | "i've" | "i'm" | "this" | "i'd"
                    | "might" | "could"
            )
        }))
        || (word == "don't" && next == Some("know") && {
            // "I don't know if it's a slipped disc"
            scope
                .get(i + 2)
                .is_some_and(|t| matches!(t.text, "if" | "whether"))
        })
}

/// A hedged negation: "not really", "not exactly", "I don't think".
fn is_hedge(scope: &[Token<'_>], i: usize) -> bool {
    let next = scope.get(i + 1).map(|t| t.text);
    match scope[i].text {
        "not" | "isn't" | "wasn't" | "aren't" => matches!(next, Some("really" | "exactly")),
        "don't" | "didn't" | "doesn't" => matches!(next, Some("think" | "really" | "believe")),
        _ => false,
    }
}

/// Whether the negation at `scope[i]` is cancelled by another one before it in its clause: "not a day
/// without pain", "can't sit without pain", "can't say I haven't been sweating".
fn double_negative(scope: &[Token<'_>], i: usize) -> bool {
    let earlier = scope[..i]
        .iter()
        .rposition(|t| t.text == ",")
        .map_or(0, |c| c + 1);
    (earlier..i).any(|j| {
        let w = scope[j].text;
        let next = scope.get(j + 1).map(|t| t.text);
        let says = (matches!(w, "can't" | "cannot" | "couldn't" | "wouldn't") && next == Some("say"))
            // "it's not like I don't get pins and needles", "not that I haven't had pain"
            || (matches!(w, "not" | "isn't") && matches!(next, Some("like" | "that")) && j + 1 < i);
        says || (scope[i].text == "without"
            && (scope[j].is(set::INABILITY) || (scope[j].is(set::NEGATIONS) && is_negation(scope, j))))
    })
}

/// The judgement on one mention: its assertion, and the assertion of the words themselves whoever they are
/// said of ("my dad never had heart problems" is about someone else, and negated) and however hedged ("not
/// really numb" is negated, though for the intake only uncertain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub assertion: Assertion,
    pub own: Assertion,
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
    judge(tokens, start, end, timeless, trigger, statement_of_absence).assertion
}

/// [`classify`], with the negation kept apart from who the mention is about.
pub fn judge(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    timeless: bool,
    trigger: bool,
    statement_of_absence: bool,
) -> Judgement {
    let before = scope_before(tokens, start, 15);
    let mut hedged = false;
    let own = own_assertion(
        tokens,
        before,
        (start, end),
        timeless,
        trigger,
        statement_of_absence,
        &mut hedged,
    );
    let assertion = if someone_else(tokens, before, start) {
        Assertion::OtherPerson
    } else if hedged {
        // "not really chest pain, more a pressure", "I don't think I have a fever": a hedged denial is
        // not safe evidence of absence
        Assertion::Uncertain
    } else {
        own
    };
    Judgement { assertion, own }
}

/// Whether the clause before a mention says it of someone else: "my mum had cancer", "dad's got a bad
/// back", "my husband has chest pains, he's had them for years".
fn someone_else(tokens: &[Token<'_>], before: &[Token<'_>], start: usize) -> bool {
    for (i, t) in before.iter().enumerate() {
        // the writer comes back in ("my friend told me to check for numbness")
        let writer_after = || before[i + 1..].iter().any(|t| t.is(set::FIRST_PERSON));
        let family = t.is(set::FAMILY)
            || t.text
                .strip_suffix("'s")
                .is_some_and(|w| class_of(w) & set::FAMILY != 0);
        if family {
            // "my mum had", "my dad never had", "my sister also gets"
            let verb = before[i + 1..]
                .iter()
                .take(2)
                .any(|t| t.is(set::EXPERIENCER_VERBS));
            let possessive_subject = t.text.ends_with("'s");
            if (possessive_subject || verb || i + 1 == before.len()) && !writer_after() {
                return true;
            }
        }
        // "he's had them for years": about whoever was named last
        if t.is(set::PRONOUNS) && !writer_after() {
            let at = tokens.partition_point(|k| k.start < start) - (before.len() - i);
            let named = tokens[..at].iter().rev().find_map(|k| {
                let class = match k.text.strip_suffix("'s") {
                    Some(w) => class_of(w),
                    None => k.class,
                };
                if class & set::FAMILY != 0 {
                    Some(true)
                } else if class & set::CHILDREN != 0 {
                    Some(false)
                } else {
                    None
                }
            });
            if named == Some(true) {
                return true;
            }
        }
    }
    false
}

/// The assertion of a mention from the words around it, whoever it is about.
fn own_assertion(
    tokens: &[Token<'_>],
    before: &[Token<'_>],
    (start, end): (usize, usize),
    timeless: bool,
    trigger: bool,
    statement_of_absence: bool,
    hedged: &mut bool,
) -> Assertion {
    let after = scope_after(tokens, end, 6);
    let rest = &tokens[tokens.partition_point(|t| t.start < end)..];
    let span = &tokens[tokens.partition_point(|t| t.start < start)..tokens.len() - rest.len()];
    // "can't feel when my bladder is full anymore": a mention that is itself a negation or an inability
    // is not undone by "anymore" or "is fine"
    let negative_span = span
        .iter()
        .any(|t| t.is(set::NEGATIONS) || t.is(set::INABILITY));
    // nearest cue first
    let mut crossed_comma = false;
    // a relief word or a cause between a negation and the mention: the negation is not about it
    let mut negation_blocked = false;
    // a negation undone by another ("can't say the numbness has gone"): nothing after it negates either
    let mut negation_cancelled = false;
    for i in (0..before.len()).rev() {
        let w = before[i].text;
        if w == "," {
            crossed_comma = true;
            continue;
        }
        // "not coping with the pain", "didn't sleep a wink with the pain": the negation is of coping
        let coping = before[i].is(set::COPING)
            && before[i + 1..]
                .iter()
                .rev()
                .find(|t| !matches!(t.text, "the" | "my" | "a" | "this" | "that" | "all"))
                .is_some_and(|t| matches!(t.text, "with" | "from" | "of" | "through" | "because"));
        if coping || before[i].is(set::RELIEF)
            || matches!(w, "go" | "goes" | "went" | "gone" | "going")
                && before.get(i + 1).is_some_and(|t| t.text == "away")
            // ("for" only right before the mention: "can't sleep for the pain", not "not typical for a
            // diagnosis of X")
            || (before[i].is(set::CAUSES)
                && (w != "for"
                    || (before.len() - i <= 3
                        && (i == 0 || !before[i - 1].is(set::NEGATING_FOR)))))
        {
            negation_blocked = true;
        }
        if is_uncertain(before, i) {
            return Assertion::Uncertain;
        }
        // Past a comma only a list negation carries on ("no fever, chills or sweats"); a verbal one
        // ("hasn't improved, numb down below") ends with its clause. A statement of absence never
        // takes negation from across a comma.
        if !negation_blocked
            && is_negation(before, i)
            && (!crossed_comma || (!statement_of_absence && lists(before, i, after)))
        {
            // "I wish I had no pain": a wish, not a report
            if before[..i]
                .iter()
                .any(|t| matches!(t.text, "wish" | "wished"))
            {
                return Assertion::Hypothetical;
            }
            // "can't say the numbness has gone": the negation is of its going
            if double_negative(before, i)
                || exception_or_comparison(rest, after)
                || resolution_after(after)
            {
                negation_cancelled = true;
                break;
            }
            *hedged = is_hedge(before, i);
            return Assertion::Negated;
        }
        if !trigger && before[i].is(set::HYPOTHETICAL) {
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
        // "when I was pregnant", "while I was a smoker": a past state, even of a risk factor
        // (not "when I was lifting": what happened then)
        let next = before.get(i + 1).or(span.first()).map_or("", |t| t.text);
        if w == "was"
            && i >= 1
            && before[i - 1].text == "i"
            && tokens[..tokens.partition_point(|t| t.start < before[i - 1].start)]
                .last()
                .is_some_and(|t| matches!(t.text, "when" | "while"))
            && !next.ends_with("ing")
        {
            return Assertion::Historical;
        }
        let as_a_child = i >= 2
            && before[i - 2].text == "as"
            && matches!(before[i - 1].text, "a" | "an")
            && is_childhood(w);
        if !timeless && as_a_child {
            return Assertion::Historical;
        }
        let in_the_past =
            w == "past" && i >= 2 && before[i - 1].text == "the" && before[i - 2].text == "in";
        if !timeless && (before[i].is(set::HISTORICAL) || in_the_past) {
            let used_to = w == "used" && before.get(i + 1).is_some_and(|t| t.text == "to");
            if w != "used" || used_to {
                return Assertion::Historical;
            }
        }
    }
    if after.iter().any(|t| t.is(set::POST_UNCERTAIN))
        || after
            .windows(2)
            .any(|w| matches!((w[0].text, w[1].text), ("not", "sure") | ("i", "think")))
    {
        return Assertion::Uncertain;
    }
    if let Some((answer, hedge)) = answer_after(rest) {
        *hedged = hedge;
        return answer;
    }
    // "weight hasn't changed", "bladder no different": a function unchanged is a problem absent
    let unchanged = span.iter().any(|t| t.is(set::FUNCTIONS))
        && after.windows(2).any(|w| {
            matches!(
                w[0].text,
                "hasn't" | "haven't" | "not" | "isn't" | "no" | "hasnt" | "havent" | "never"
            ) && matches!(w[1].text, "changed" | "change" | "different" | "altered")
        });
    if !statement_of_absence
        && !negative_span
        && !negation_cancelled
        && (said_to_be_gone(after) || resolved_after_but(rest) || unchanged)
    {
        return Assertion::Negated;
    }
    if !timeless
        && after.windows(2).any(|w| {
            (matches!(w[0].text, "years" | "yrs") && matches!(w[1].text, "ago" | "back"))
                || (w[0].text == "as" && (is_childhood(w[1].text)))
        })
        || after.windows(3).any(|w| {
            w[0].text == "as" && matches!(w[1].text, "a" | "an") && is_childhood(w[2].text)
        })
    {
        return Assertion::Historical;
    }
    Assertion::Affirmed
}

fn is_childhood(w: &str) -> bool {
    matches!(
        w,
        "child" | "kid" | "teenager" | "teen" | "baby" | "youngster"
    )
}

/// A negated mention that an exception or comparison brings back: "no pain except when I bend", "never had
/// pain like this", "never had back pain this bad".
fn exception_or_comparison(rest: &[Token<'_>], after: &[Token<'_>]) -> bool {
    let word = |i: usize| rest.get(i).map(|t| t.text);
    let circumstance = |w: Option<&str>| {
        matches!(
            w,
            Some("when" | "if" | "while" | "after" | "during" | "on" | "at" | "first" | "in")
        )
    };
    let exception = match word(0) {
        Some("except" | "unless" | "besides") => word(0) == Some("unless") || circumstance(word(1)),
        Some("apart" | "other") => {
            matches!(word(1), Some("from" | "than")) && circumstance(word(2))
        }
        _ => false,
    };
    exception
        || after.get(..2).is_some_and(|w| {
            matches!(
                (w[0].text, w[1].text),
                ("like", "this" | "that" | "it" | "before")
                    | (
                        "this" | "that" | "so" | "as",
                        "bad" | "severe" | "painful" | "intense"
                    )
            )
        })
}

/// A short answer after a mention ("numbness? nope", "weight loss - not that I've noticed", "fever? don't
/// think so", "period might be late, not sure"): negated or uncertain.
/// The answer, and whether it is hedged ("not really", "don't think so").
fn answer_after(rest: &[Token<'_>]) -> Option<(Assertion, bool)> {
    // the answer right after the mention ("night sweats no not really", "fever no, cough yes"), or after
    // up to three words still describing it and a separator ("numbness down below, I don't have any")
    if let Some(answer) = answer_at(rest, 0) {
        return Some(answer);
    }
    let mut i = rest.iter().take(4).position(|t| !t.is_word())?;
    // a full stop ends the sentence: only a comma, question mark or dash introduces an answer
    if !matches!(rest[i].text, "," | "?" | "-" | ":" | "/") {
        return None;
    }
    while rest
        .get(i)
        .is_some_and(|t| matches!(t.text, "," | "?" | "-" | ":" | "/"))
    {
        i += 1;
    }
    answer_at(rest, i)
}

/// A short answer made only of answer words, from `rest[i]` to the end of its clause.
fn answer_at(rest: &[Token<'_>], i: usize) -> Option<(Assertion, bool)> {
    let tail = &rest[i.min(rest.len())..];
    let len = tail
        .iter()
        .take(7)
        .take_while(|t| !matches!(t.text, "." | "!" | "?" | "\n" | "," | ";"))
        .count();
    let answer = &tail[..len];
    if answer.is_empty() || answer.len() > 6 || !answer.iter().all(|t| t.is(set::ANSWER_WORDS)) {
        return None;
    }
    let pair = |a: &str, b: &str| answer.windows(2).any(|w| w[0].text == a && w[1].text == b);
    let doubt = answer.iter().any(|t| t.is(set::ANSWER_DOUBTS))
        || pair("don't", "know")
        || (pair("i", "think") && !answer.iter().any(|t| t.text == "so"));
    let negated = answer.iter().any(|t| t.is(set::ANSWER_NEGATIONS));
    if doubt {
        Some((Assertion::Uncertain, false))
    } else if negated {
        let hedge = answer.iter().any(|t| matches!(t.text, "really" | "think"));
        Some((Assertion::Negated, hedge))
    } else {
        None
    }
}

/// The clause after a mention says it is gone or fine: "has resolved", "went away", "isn't there anymore",
/// "the headache has gone now", "bladder is fine", "fever free", "was ruled out".
fn said_to_be_gone(after: &[Token<'_>]) -> bool {
    let blocked = |i: usize| {
        after[i.saturating_sub(2)..i]
            .iter()
            .any(|t| t.is(set::NOT_GONE))
    };
    let partly = |i: usize| {
        after
            .get(i + 1)
            .is_some_and(|t| matches!(t.text, "a" | "slightly" | "somewhat" | "partly"))
    };
    for (i, t) in after.iter().enumerate() {
        let next = after.get(i + 1).map(|t| t.text);
        let gone = t.is(set::POST_NEGATIONS)
            || (t.is(set::POST_ENDINGS)
                && after.get(i + 1).is_none_or(|n| n.is(set::AFTER_ENDING))
                && !partly(i))
            || (matches!(t.text, "went" | "gone" | "goes" | "going") && next == Some("away"))
            || (matches!(t.text, "wore" | "worn" | "eased" | "died")
                && matches!(next, Some("off" | "down")))
            || (t.text == "no" && next == Some("longer"))
            || (t.text == "any" && next == Some("more") && i + 2 == after.len())
            || (t.text == "ruled" && next == Some("out"))
            || (t.text == "free" && i <= 1);
        if gone && !blocked(i) {
            return true;
        }
        // "bladder isn't a problem", "has never been an issue", "hasn't come back"
        if matches!(
            t.text,
            "isn't"
                | "not"
                | "never"
                | "wasn't"
                | "aren't"
                | "hasn't"
                | "haven't"
                | "isnt"
                | "hasnt"
        ) && (after[i + 1..].iter().take(3).any(|t| {
            matches!(
                t.text,
                "problem" | "problems" | "issue" | "issues" | "bother" | "concern" | "returned"
            )
        }) || after[i + 1..]
            .windows(2)
            .take(2)
            .any(|w| matches!(w[0].text, "come" | "came") && w[1].text == "back"))
        {
            return true;
        }
        if t.text == "no" && next == Some("more") && i + 2 == after.len() {
            return true;
        }
        // "isn't there now", but not "wasn't there before"
        if matches!(
            t.text,
            "isn't" | "aren't" | "not" | "wasn't" | "weren't" | "isnt" | "arent"
        ) && next == Some("there")
            && !after[i + 2..].iter().any(|t| {
                matches!(
                    t.text,
                    "before" | "until" | "till" | "previously" | "earlier" | "yesterday"
                )
            })
        {
            return true;
        }
    }
    // "bladder is fine", "bowels normal too"
    let mut i = 0;
    if after.first().is_some_and(|t| {
        matches!(
            t.text,
            "is" | "are" | "'s" | "feels" | "feel" | "seems" | "seem" | "looks" | "look" | "all"
        )
    }) {
        i = 1;
    }
    after.get(i).is_some_and(|t| t.is(set::FINE))
}

/// A verb after a mention that says it went ("has gone", "went away", "stopped"), as opposed to "anymore".
fn resolution_after(after: &[Token<'_>]) -> bool {
    after.iter().enumerate().any(|(i, t)| {
        let next = after.get(i + 1).map(|t| t.text);
        matches!(t.text, "resolved" | "disappeared" | "vanished")
            || (t.is(set::POST_ENDINGS) && after.get(i + 1).is_none_or(|n| n.is(set::AFTER_ENDING)))
            || (matches!(t.text, "went" | "gone" | "goes" | "going") && next == Some("away"))
    })
}

/// "had double vision yesterday but it's gone", "weakness, although that seemed to have resolved".
fn resolved_after_but(rest: &[Token<'_>]) -> bool {
    // the terminator within the first seven tokens of the sentence, followed by a pronoun
    let Some(at) = rest
        .iter()
        .take(7)
        .take_while(|t| !matches!(t.text, "." | "!" | "?" | "\n" | ";"))
        .position(|t| matches!(t.text, "but" | "although" | "though"))
    else {
        return false;
    };
    if !rest.get(at + 1).is_some_and(|t| {
        matches!(
            t.text,
            "it" | "it's" | "its" | "that" | "that's" | "they" | "they've" | "this" | "which"
        )
    }) {
        return false;
    }
    let from = at + 1;
    let len = rest[from..]
        .iter()
        .take(7)
        .take_while(|t| !matches!(t.text, "," | "." | "!" | "?" | "\n" | ";"))
        .count();
    let clause = &rest[from..from + len];
    said_to_be_gone(&clause[1.min(clause.len())..]) && !said_fine_only(clause)
}

/// "but it's fine otherwise" is not a resolution of the mention.
fn said_fine_only(clause: &[Token<'_>]) -> bool {
    clause.iter().any(|t| t.is(set::FINE))
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

    /// Whether the words are negated whoever they are about (the NegEx kit's question).
    fn negated(text: &str, phrase: &str) -> bool {
        let n = Normalized::new(text);
        let tokens = tokenize(&n.text);
        let start = n
            .text
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase} in {}", n.text));
        judge(&tokens, start, start + phrase.len(), false, false, false).own == Assertion::Negated
    }

    #[test]
    fn patient_negations() {
        for (text, phrase) in [
            // coordination, lists after a verbal negation of having
            ("my legs arent weak or numb they just feel heavy", "numb"),
            ("i havent had a fever, chills or sweats", "sweats"),
            // a function unchanged; "no change in" a symptom is not its absence
            ("no change in my bladder or bowels", "bowels"),
            ("weight hasn't changed", "weight"),
            // short answers
            ("numbness? nope", "numbness"),
            ("weight loss - not that ive noticed", "weight loss"),
            ("night sweats no not really", "night sweats"),
            ("fever no, cough yes", "fever"),
            ("numbness down below, i dont have any", "numbness"),
            // resolution after the mention
            ("the headache has gone now", "headache"),
            ("had double vision yesterday but its gone", "double vision"),
            ("the chest pain isnt there anymore", "chest pain"),
            ("the sciatica hasnt come back", "sciatica"),
            ("bladder is fine", "bladder"),
            ("fever free since friday", "fever"),
            // other cues
            ("nobody in my family has had cancer", "cancer"),
            ("scan came back clear of cancer", "cancer"),
            ("the gp ruled out arthritis", "arthritis"),
            ("cant say ive noticed any numbness", "numbness"),
            ("i cant think of any injury", "injury"),
            ("i dont think its shingles", "shingles"),
            ("not once has my leg gone numb", "numb"),
            ("dnt have a headach", "headache"),
            ("the pian dosent go down my legs", "down my legs"),
            ("my dad never had any heart problems", "heart problems"),
        ] {
            assert!(
                negated(text, phrase),
                "{text:?} / {phrase:?} should be negated"
            );
        }
    }

    #[test]
    fn patient_affirmations() {
        for (text, phrase) in [
            // double negatives
            ("cant say i havent been sweating", "sweating"),
            ("not a day goes by without pain", "pain"),
            ("i cant bend over without pain", "pain"),
            ("cant say the numbness has gone", "numbness"),
            (
                "it's not like i don't get pins and needles",
                "pins and needles",
            ),
            // the negation is of the relief, the coping or the cause
            ("the tablets havent touched the pain", "pain"),
            ("nothing helps the pain", "pain"),
            ("im not coping with the pain", "pain"),
            ("i havent slept because of the pain", "pain"),
            // a new statement after the negated part
            ("no leg pain my back just aches", "aches"),
            ("not numb just sore", "sore"),
            ("its not a sharp pain more of a dull ache", "dull ache"),
            ("i wasnt lifting anything when the pain started", "pain"),
            // exceptions and comparisons
            ("no pain except when i bend", "pain"),
            ("ive never had back pain like this before", "back pain"),
            // not gone after all
            ("the numbness hasnt gone", "numbness"),
            ("fever still not gone", "fever"),
            ("the pain has settled a bit", "pain"),
            (
                "pins and needles which wasnt there before",
                "pins and needles",
            ),
            // not a negation at all
            ("no one can tell me why i have this pain", "pain"),
            ("not to mention the pain in my neck", "pain"),
            ("never-ending pain in my back", "pain"),
            ("i wish i had no pain", "pain"),
            ("my back pain is no joke", "back pain"),
        ] {
            assert!(
                !negated(text, phrase),
                "{text:?} / {phrase:?} should not be negated"
            );
        }
    }

    #[test]
    fn hedged_denials_and_other_people() {
        // negated for the kit, only uncertain as evidence
        check("not really chest pain", "chest pain", Assertion::Uncertain);
        check("i dont think i have a fever", "fever", Assertion::Uncertain);
        assert!(negated("not really chest pain", "chest pain"));
        // about someone else, and negated
        check(
            "my dad never had any heart problems",
            "heart problems",
            Assertion::OtherPerson,
        );
        // the writer comes back in
        check(
            "my friend told me to check for numbness",
            "numbness",
            Assertion::Affirmed,
        );
        check(
            "my husband has chest pains too but hes had them for years",
            "for years",
            Assertion::OtherPerson,
        );
        check(
            "my son has a limp, he's had it for a week",
            "for a week",
            Assertion::Affirmed,
        );
        check("when i was pregnant", "pregnant", Assertion::Historical);
        check(
            "my back went when i was lifting",
            "lifting",
            Assertion::Affirmed,
        );
        check("muscles are tight as a drum", "tight", Assertion::Affirmed);
    }

    /// The tokenizer as it was before it was made fast.
    fn reference_tokenize(text: &str) -> Vec<(usize, usize, &str)> {
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
                out.push((start, j, &text[start..j]));
                i = j;
            } else {
                out.push((i, i + len, &text[i..i + len]));
                i += len;
            }
        }
        out
    }

    /// Every word list, in the order of their class bits.
    const LISTS: [&[&str]; 33] = [
        HARD_STOPS,
        TERMINATORS,
        CLAUSE_STARTERS,
        CLAUSE_VERBS,
        SUBJECTS,
        SUBJECT_VERBS,
        FINITE_VERBS,
        BRIDGES,
        RELIEF,
        COPING,
        CAUSES,
        NEGATING_FOR,
        POST_NEGATIONS,
        POST_ENDINGS,
        AFTER_ENDING,
        NOT_GONE,
        FINE,
        LIST_NEGATIONS,
        NEGATIONS,
        INABILITY,
        FUNCTIONS,
        UNCERTAIN,
        HYPOTHETICAL,
        HISTORICAL,
        FAMILY,
        CHILDREN,
        PRONOUNS,
        FIRST_PERSON,
        EXPERIENCER_VERBS,
        POST_UNCERTAIN,
        ANSWER_WORDS,
        ANSWER_NEGATIONS,
        ANSWER_DOUBTS,
    ];

    /// Every list a word is in, by scanning the lists as the intake did before.
    fn reference_class(word: &str) -> u64 {
        LISTS
            .iter()
            .enumerate()
            .filter(|(_, list)| list.contains(&word))
            .fold(0, |class, (bit, _)| class | 1 << bit)
    }

    #[test]
    fn word_classes_are_the_lists() {
        // the bits are in the order of the lists above
        assert_eq!(set::HARD_STOPS, 1);
        assert_eq!(set::ANSWER_DOUBTS, 1 << 32);
        assert_eq!(set::NEGATIONS, 1 << 18);
        assert_eq!(set::FAMILY, 1 << 24);
        for list in LISTS {
            for w in list {
                assert_eq!(class_of(w), reference_class(w), "{w}");
                for near in [
                    format!("{w}s"),
                    w[1..].to_string(),
                    format!("x{w}"),
                    w.to_uppercase(),
                ] {
                    assert_eq!(class_of(&near), reference_class(&near), "{near}");
                }
            }
        }
        for w in [
            "",
            "a",
            "b",
            "'",
            "’",
            "é",
            "\n",
            " ",
            "mums's",
            "0123456789abcdefg",
        ] {
            assert_eq!(class_of(w), reference_class(w), "{w:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The fast tokenizer splits as the one-char-at-a-time one did, and classes every token by the
        /// lists.
        #[test]
        fn tokens_same_as_the_reference(
            text in "[a-zA-Z0-9 \n'./,:;!?()\\-é ΣßĲÉ٣“”°]{0,40}",
            words in proptest::collection::vec(proptest::sample::select(vec![
                "no", "not", "i", "i'm", "can't", "38.5", "7/10", "1.", ".5", "a/b", "x'", "'s", "mum's",
                "é", "٣", " ", ",", ".", "\n", "(", "dad", "his", "never", "nope", "é'é", "3.é", "3/٣",
            ]), 0..14),
        ) {
            for t in [text, words.concat()] {
                let fast: Vec<(usize, usize, &str)> =
                    tokenize(&t).iter().map(|k| (k.start, k.end, k.text)).collect();
                proptest::prop_assert_eq!(&fast, &reference_tokenize(&t));
                for k in tokenize(&t) {
                    proptest::prop_assert_eq!(k.class, reference_class(k.text), "{:?}", k.text);
                }
            }
        }
    }
}
