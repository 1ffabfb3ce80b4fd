//! Normalisation that keeps a map back to the original bytes: lower case, one kind of apostrophe,
//! collapsed whitespace, and common apostrophe-less contractions ("cant" -> "can't").

/// Normalised text with, for every byte of it, the byte offset in the original it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// `origin[i]` is the original offset of normalised byte `i`; one extra entry maps the end.
    origin: Vec<usize>,
}

const CONTRACTIONS: &[(&str, &str)] = &[
    ("cant", "can't"),
    ("dont", "don't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
    ("hadnt", "hadn't"),
    ("isnt", "isn't"),
    ("wasnt", "wasn't"),
    ("arent", "aren't"),
    ("werent", "weren't"),
    ("wont", "won't"),
    ("couldnt", "couldn't"),
    ("shouldnt", "shouldn't"),
    ("wouldnt", "wouldn't"),
    ("aint", "ain't"),
    // misspelt negations
    ("dosent", "doesn't"),
    ("dosnt", "doesn't"),
    ("doesent", "doesn't"),
    ("didint", "didn't"),
    ("havnt", "haven't"),
    ("hvnt", "haven't"),
    ("hasent", "hasn't"),
    ("dnt", "don't"),
    ("nvr", "never"),
    ("arnt", "aren't"),
    ("wasent", "wasn't"),
    ("wernt", "weren't"),
    ("nothin", "nothing"),
    ("nomore", "no more"),
    ("hes", "he's"),
    ("shes", "she's"),
    ("theres", "there's"),
    ("im", "i'm"),
    ("ive", "i've"),
    ("id", "i'd"),
    ("its", "it's"),
    ("thats", "that's"),
    // a parent or carer describing someone else's pain: "his lower back" reads like "my lower back"
    ("his", "my"),
    ("her", "my"),
    ("their", "my"),
    // common misspellings and shorthand, so the lexicon need not list every variant
    ("bak", "back"),
    ("bk", "back"),
    ("strait", "straight"),
    ("shoulderblade", "shoulder blade"),
    ("shoulderblades", "shoulder blades"),
    ("sholder", "shoulder"),
    ("shoulde", "shoulder"),
    ("numbess", "numbness"),
    ("numbnes", "numbness"),
    ("numbnss", "numbness"),
    ("tingleing", "tingling"),
    ("tinglin", "tingling"),
    ("stiffnes", "stiffness"),
    ("siatica", "sciatica"),
    ("sciatia", "sciatica"),
    ("sciatca", "sciatica"),
    ("nausous", "nauseous"),
    ("nausious", "nauseous"),
    ("breathles", "breathless"),
    ("temprature", "temperature"),
    ("tempreture", "temperature"),
    ("feaver", "fever"),
    ("fevah", "fever"),
    ("diarhea", "diarrhoea"),
    ("alot", "a lot"),
    ("aswell", "as well"),
    ("everytime", "every time"),
    ("probs", "problems"),
    ("dizy", "dizzy"),
    ("headach", "headache"),
    ("n", "and"),
    ("w", "with"),
    ("thru", "through"),
    ("wen", "when"),
    ("coz", "because"),
    ("cuz", "because"),
    ("bcos", "because"),
    ("becuase", "because"),
    ("pian", "pain"),
    ("pians", "pains"),
    ("hurst", "hurts"),
    ("hurtin", "hurting"),
    ("achin", "aching"),
    ("achey", "achy"),
    ("legg", "leg"),
    ("kidny", "kidney"),
    ("stomache", "stomach"),
    ("tummy's", "tummy is"),
    ("bladda", "bladder"),
    ("toilette", "toilet"),
    ("wieght", "weight"),
    ("waight", "weight"),
    ("nite", "night"),
    ("tonite", "tonight"),
    ("2day", "today"),
    ("yday", "yesterday"),
    ("yest", "yesterday"),
    ("wk", "week"),
    ("wks", "weeks"),
    ("mnths", "months"),
    ("mths", "months"),
];

/// For every first byte, a bit for the length of every replaced word that starts with it.
static REPLACED_LENGTHS: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < CONTRACTIONS.len() {
        let word = CONTRACTIONS[i].0.as_bytes();
        assert!(!word.is_empty() && word.len() < 32);
        table[word[0] as usize] |= 1 << word.len();
        i += 1;
    }
    table
};

/// The replacement for a whole lower-case word, if it has one.
#[inline]
fn replacement(word: &[u8]) -> Option<&'static str> {
    // most words have no replacement: rule them out by first byte and length before hashing
    if word.len() >= 32 || REPLACED_LENGTHS[usize::from(word[0])] & (1 << word.len()) == 0 {
        return None;
    }
    static TABLE: std::sync::LazyLock<crate::lookup::WordTable<&'static str>> =
        std::sync::LazyLock::new(|| {
            crate::lookup::WordTable::new(CONTRACTIONS.iter().copied(), |first, _| first)
        });
    TABLE.get_bytes(word)
}

/// Whether `c` is whitespace as [`char::is_whitespace`] has it, with the ASCII cases first.
#[inline]
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
        || (!c.is_ascii() && c.is_whitespace())
}

use crate::lookup::{ALNUM, ASCII, UPPER};

impl Normalized {
    /// Normalise `original`.
    pub fn new(original: &str) -> Self {
        Self::new_in(original, String::new(), Vec::new())
    }

    /// Normalise `original` into the given buffers (cleared first), to reuse their memory.
    pub fn new_in(original: &str, text: String, mut origin: Vec<usize>) -> Self {
        let bytes = original.as_bytes();
        // built as bytes (ASCII is lower-cased and copied a byte at a time) and checked as UTF-8 once
        let mut text: Vec<u8> = text.into_bytes();
        text.clear();
        text.reserve(original.len() + 16);
        origin.clear();
        origin.reserve(original.len() + 17);
        // (offset of the first whitespace char, whether the run held a line break)
        let mut pending_space: Option<(usize, bool)> = None;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            let c = if b < 0x80 {
                b as char
            } else {
                original[at..].chars().next().expect("a char at a boundary")
            };
            let len = c.len_utf8();
            if is_space(c) {
                if !text.is_empty() {
                    let newline = c == '\n';
                    pending_space = Some(match pending_space {
                        Some((first, nl)) => (first, nl || newline),
                        None => (at, newline),
                    });
                }
                at += len;
                continue;
            }
            if let Some((space_at, newline)) = pending_space.take() {
                // a line break ends a clause; keep it as the one separator
                text.push(if newline { b'\n' } else { b' ' });
                origin.push(space_at);
            }
            if b.is_ascii_alphanumeric() || (b >= 0x80 && c.is_alphanumeric()) {
                // take the whole word so contractions can be expanded
                let from = text.len();
                let mut end = at;
                // the ASCII run, lower-cased as it is copied
                while let Some(&d) = bytes.get(end) {
                    let class = ASCII[d as usize];
                    if class & ALNUM == 0 {
                        break;
                    }
                    // an upper-case letter is 32 below its lower case
                    text.push(d | ((class & UPPER) << 4));
                    end += 1;
                }
                let ascii = bytes.get(end).is_none_or(|d| d.is_ascii());
                if !ascii || end == at {
                    // a word with other letters: lower-case it as a whole
                    end = at;
                    while end < bytes.len() {
                        let d = original[end..]
                            .chars()
                            .next()
                            .expect("a char at a boundary");
                        if d.is_alphanumeric() {
                            end += d.len_utf8();
                        } else {
                            break;
                        }
                    }
                    text.truncate(from);
                    text.extend_from_slice(original[at..end].to_lowercase().as_bytes());
                }
                let word = &text[from..];
                // "its" is a possessive as often as "it is"; only expand the unambiguous ones
                let replaced = replacement(word).filter(|_| word != b"its" && word != b"id");
                if let Some(out) = replaced {
                    text.truncate(from);
                    text.extend_from_slice(out.as_bytes());
                    let span = end - at;
                    origin.extend((0..out.len()).map(|k| at + k.min(span - 1)));
                } else if text.len() - from == end - at {
                    origin.extend(at..end);
                } else {
                    let span = end - at;
                    origin.extend((0..text.len() - from).map(|k| at + k.min(span - 1)));
                }
                at = end;
                continue;
            }
            let mapped = match c {
                '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
                '\u{201c}' | '\u{201d}' => '"',
                '\u{2013}' | '\u{2014}' => '-',
                other => other,
            };
            for _ in 0..mapped.len_utf8() {
                origin.push(at);
            }
            if mapped.is_ascii() {
                text.push(mapped as u8);
            } else {
                text.extend_from_slice(mapped.encode_utf8(&mut [0; 4]).as_bytes());
            }
            at += len;
        }
        origin.push(original.len());
        let text = String::from_utf8(text).expect("normalised text is UTF-8");
        Normalized { text, origin }
    }

    /// The buffers, for [`Normalized::new_in`].
    pub fn into_buffers(self) -> (String, Vec<usize>) {
        (self.text, self.origin)
    }

    /// The normalised offset of an original byte offset (the first normalised byte at or after it).
    pub fn normalized_offset(&self, original: usize) -> usize {
        self.origin
            .partition_point(|&o| o < original)
            .min(self.text.len())
    }

    /// Map a half-open normalised byte range back to the original text.
    pub fn original_span(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let s = self.origin[start];
        let last = self.origin[end.saturating_sub(1).max(start)];
        // extend to the end of the original character (and word, for expanded contractions)
        let mut e = last;
        for (i, c) in original[last..].char_indices() {
            if i > 0 && !c.is_alphanumeric() {
                break;
            }
            e = last + i + c.len_utf8();
            if !c.is_alphanumeric() {
                break;
            }
        }
        (s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_collapses_space_and_expands_contractions() {
        let n = Normalized::new("  I CANT   pee’s  fine");
        assert_eq!(n.text, "i can't pee's fine");
        assert_eq!(Normalized::new("His lower back").text, "my lower back");
        assert_eq!(
            Normalized::new("my bak hurts between my shoulderblades").text,
            "my back hurts between my shoulder blades"
        );
        assert_eq!(
            Normalized::new("it dosent burn, hes had probs w his bladder").text,
            "it doesn't burn, he's had problems with my bladder"
        );
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let original = "My  Back ‘hurts’ — I cant sleep";
        let n = Normalized::new(original);
        let at = n.text.find("hurts").unwrap();
        let (s, e) = n.original_span(at, at + 5, original);
        assert_eq!(&original[s..e], "hurts");
        let at = n.text.find("can't sleep").unwrap();
        let (s, e) = n.original_span(at, at + "can't sleep".len(), original);
        assert_eq!(&original[s..e], "cant sleep");
        let at = n.text.find("back").unwrap();
        let (s, e) = n.original_span(at, at + 4, original);
        assert_eq!(&original[s..e], "Back");
    }

    /// The normalisation as it was before it was made fast: one char at a time, lists scanned.
    fn reference(original: &str) -> (String, Vec<usize>) {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        // (offset of the first whitespace char, whether the run held a line break)
        let mut pending_space: Option<(usize, bool)> = None;
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if c.is_whitespace() {
                if !text.is_empty() {
                    let newline = c == '\n';
                    pending_space = Some(match pending_space {
                        Some((first, nl)) => (first, nl || newline),
                        None => (at, newline),
                    });
                }
                continue;
            }
            if let Some((space_at, newline)) = pending_space.take() {
                // a line break ends a clause; keep it as the one separator
                text.push(if newline { '\n' } else { ' ' });
                origin.push(space_at);
            }
            if c.is_alphanumeric() {
                // take the whole word so contractions can be expanded
                let mut end = at + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_alphanumeric() {
                        end = i + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let raw = &original[at..end];
                let lowered;
                let word: &str = if raw
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    raw
                } else {
                    lowered = raw.to_lowercase();
                    &lowered
                };
                // "its" is a possessive as often as "it is"; only expand the unambiguous ones
                let replaced = CONTRACTIONS
                    .iter()
                    .find(|(w, _)| *w == word)
                    .map(|(_, r)| *r)
                    .filter(|_| word != "its" && word != "id");
                let out = replaced.unwrap_or(word);
                let span = end - at;
                for (k, _) in out.bytes().enumerate() {
                    origin.push(at + k.min(span - 1));
                }
                text.push_str(out);
                continue;
            }
            let mapped = match c {
                '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
                '\u{201c}' | '\u{201d}' => '"',
                '\u{2013}' | '\u{2014}' => '-',
                other => other,
            };
            for _ in 0..mapped.len_utf8() {
                origin.push(at);
            }
            text.push(mapped);
        }
        origin.push(original.len());
        (text, origin)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The fast normalisation gives what the one-char-at-a-time one gave, offsets included.
        #[test]
        fn same_as_the_reference(
            text in "[a-zA-Z0-9 \n\t\r'’‘`´./,:;!?()\\-é ΣßİĲÉ\u{a0}\u{2003}\u{85}\u{b}\u{c}٣“”—–°]{0,40}",
            words in proptest::collection::vec(proptest::sample::select(vec![
                "CANT", "cant", "im", "Its", "ID", "id", "n", "W", "his", "HER", "nomore", "Shoulderblades",
                "tummy", "s", "dont", "2day", "wks", "ΣΑΣ", "İd", "ĲN", "no", "pain", "x", "1", "38.5", "’",
                " ", "  ", "\n", " \n ", ",", "-", "\u{a0}", "é", "ß", "cantΣ", "Wé",
            ]), 0..14),
        ) {
            for t in [text, words.concat()] {
                let fast = Normalized::new(&t);
                let (text, origin) = reference(&t);
                proptest::prop_assert_eq!(&fast.text, &text);
                proptest::prop_assert_eq!(&fast.origin, &origin);
                // and into reused buffers
                let reused = Normalized::new_in(&t, "old".into(), vec![7; 3]);
                proptest::prop_assert_eq!(&reused.text, &text);
                proptest::prop_assert_eq!(&reused.origin, &origin);
            }
        }
    }
}
