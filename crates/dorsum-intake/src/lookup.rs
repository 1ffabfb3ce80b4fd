//! Word tables built once and looked up cheaply: the intake looks up every word it reads, so hashing with
//! SipHash and scanning word lists were most of its cost.

/// [`ascii`] bit: an ASCII letter or digit.
pub(crate) const ALNUM: u8 = 1;
/// [`ascii`] bit: an upper-case ASCII letter.
pub(crate) const UPPER: u8 = 2;

/// For every byte, its [`ALNUM`] and [`UPPER`] bits (none for bytes above ASCII).
pub(crate) static ASCII: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] |= ALNUM;
        }
        if c.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};

/// The longest word a [`WordTable`] holds.
pub(crate) const LONGEST: usize = 16;

/// A word of at most [`LONGEST`] bytes as two integers: for a given length, different words give different
/// keys (the two reads overlap but cover every byte).
#[inline]
fn key(word: &[u8]) -> (u64, u64) {
    let n = word.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(word[i..i + 4].try_into().expect("4")));
    let u64_at = |i: usize| u64::from_le_bytes(word[i..i + 8].try_into().expect("8"));
    if n >= 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u32_at(0), u32_at(n - 4))
    } else if n > 0 {
        (
            u64::from(word[0]) | u64::from(word[n / 2]) << 8 | u64::from(word[n - 1]) << 16,
            0,
        )
    } else {
        (0, 0)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry<V> {
    lo: u64,
    hi: u64,
    len: u8,
    value: V,
}

/// A fixed map from words of at most [`LONGEST`] bytes: a small open-addressing index (linear probing)
/// into a dense list of entries, so the part every lookup touches stays in cache.
#[derive(Debug, Clone)]
pub(crate) struct WordTable<V: Copy> {
    /// 0 for an empty slot, else 1 + the entry's position.
    slots: Vec<u16>,
    entries: Vec<Entry<V>>,
    mask: usize,
}

impl<V: Copy> WordTable<V> {
    /// The table of `entries`; a word listed twice keeps its values combined by `merge`.
    pub(crate) fn new(
        words: impl IntoIterator<Item = (&'static str, V)>,
        merge: impl Fn(V, V) -> V,
    ) -> Self {
        let words: Vec<(&str, V)> = words.into_iter().collect();
        assert!(
            words.len() < usize::from(u16::MAX),
            "too many words for a word table"
        );
        let size = (words.len() * 2).next_power_of_two().max(16);
        let mut table = WordTable {
            slots: vec![0; size],
            entries: Vec::new(),
            mask: size - 1,
        };
        for (word, value) in words {
            assert!(
                word.len() <= LONGEST,
                "{word:?} is too long for a word table"
            );
            let (lo, hi) = key(word.as_bytes());
            let mut at = Self::home(lo, hi, word.len()) & table.mask;
            loop {
                match table.slots[at] {
                    0 => {
                        table.entries.push(Entry {
                            lo,
                            hi,
                            len: word.len() as u8,
                            value,
                        });
                        table.slots[at] = table.entries.len() as u16;
                        break;
                    }
                    slot => {
                        let e = &mut table.entries[usize::from(slot) - 1];
                        if usize::from(e.len) == word.len() && e.lo == lo && e.hi == hi {
                            e.value = merge(e.value, value);
                            break;
                        }
                        at = (at + 1) & table.mask;
                    }
                }
            }
        }
        table
    }

    #[inline]
    fn home(lo: u64, hi: u64, len: usize) -> usize {
        let h = (lo ^ (len as u64).rotate_right(8))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(23)
            ^ hi.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
        (h ^ (h >> 29)) as usize
    }

    /// The value of `word`, if the table holds it.
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<V> {
        self.get_bytes(word.as_bytes())
    }

    /// The value of the word spelt by `bytes`, if the table holds it.
    #[inline]
    pub(crate) fn get_bytes(&self, bytes: &[u8]) -> Option<V> {
        if bytes.len() > LONGEST {
            return None;
        }
        let (lo, hi) = key(bytes);
        let mut at = Self::home(lo, hi, bytes.len()) & self.mask;
        loop {
            match self.slots[at] {
                0 => return None,
                slot => {
                    let e = &self.entries[usize::from(slot) - 1];
                    if usize::from(e.len) == bytes.len() && e.lo == lo && e.hi == hi {
                        return Some(e.value);
                    }
                    at = (at + 1) & self.mask;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_the_words_it_holds() {
        let words = [
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "i'm",
            "no",
            "on",
            "not",
            "ton",
            "n",
            "shoulderblades",
            "0123456789abcdef",
            "aba",
            "aca",
            "-",
            ".",
            "\n",
        ];
        let table = WordTable::new(words.iter().enumerate().map(|(i, w)| (*w, i)), |a, _| a);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.get(w), Some(i), "{w}");
        }
        for w in [
            "",
            "b",
            "ba",
            "abca",
            "abce",
            "i'",
            "0123456789abcdeg",
            "0123456789abcdef0",
            "o",
            "aaa",
        ] {
            assert_eq!(table.get(w), None, "{w}");
        }
        let merged = WordTable::new([("x", 1u64), ("y", 2), ("x", 4)], |a, b| a | b);
        assert_eq!(merged.get("x"), Some(5));
    }
}
