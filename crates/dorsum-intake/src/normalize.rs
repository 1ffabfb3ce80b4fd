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

/// The replacement for a whole lower-case word, if it has one.
fn replacement(word: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| CONTRACTIONS.iter().copied().collect())
        .get(word)
        .copied()
}

impl Normalized {
    /// Normalise `original`.
    pub fn new(original: &str) -> Self {
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
                let replaced = replacement(word).filter(|_| word != "its" && word != "id");
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
        Normalized { text, origin }
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
}
