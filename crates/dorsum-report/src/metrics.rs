//! Widths of the PDF base-14 Helvetica fonts (Adobe's AFM metrics, in thousandths of an em), for line
//! wrapping, and the mapping of text onto the WinAnsi character set those fonts are encoded with.

/// Helvetica, characters 32 to 126.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
    334, 260, 334, 584, // { to ~
];

/// Helvetica-Bold, characters 32 to 126.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    333, 333, 584, 584, 584, 611, 975, // : to @
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, // A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
    333, 278, 333, 584, 556, 333, // [ to `
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, // a-m
    611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // n-z
    389, 280, 389, 584, // { to ~
];

/// Width of one character in thousandths of an em.
fn char_width(c: char, bold: bool) -> u16 {
    let code = c as u32;
    if (32..=126).contains(&code) {
        let table = if bold { &BOLD } else { &REGULAR };
        return table[(code - 32) as usize];
    }
    match c {
        '\u{2013}' | '\u{2022}' => 556, // en dash; bullet (350 in the AFM, padded)
        '\u{2014}' | '\u{2026}' => 1000,
        '\u{2018}' | '\u{2019}' => {
            if bold {
                278
            } else {
                222
            }
        }
        '\u{201C}' | '\u{201D}' => {
            if bold {
                500
            } else {
                333
            }
        }
        '\u{00B0}' => 400,
        '\u{00A0}' => 278,
        _ => 556,
    }
}

/// Width of a string in points at `size`.
pub fn width(s: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = s.chars().map(|c| u32::from(char_width(c, bold))).sum();
    units as f32 * size / 1000.0
}

/// True when WinAnsiEncoding (Windows-1252) has the character.
fn in_win_ansi(c: char) -> bool {
    let code = c as u32;
    (0x20..=0x7E).contains(&code)
        || (0xA0..=0xFF).contains(&code)
        || matches!(
            c,
            '\u{20AC}'
                | '\u{201A}'
                | '\u{0192}'
                | '\u{201E}'
                | '\u{2026}'
                | '\u{2020}'
                | '\u{2021}'
                | '\u{02C6}'
                | '\u{2030}'
                | '\u{0160}'
                | '\u{2039}'
                | '\u{0152}'
                | '\u{017D}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2022}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{02DC}'
                | '\u{2122}'
                | '\u{0161}'
                | '\u{203A}'
                | '\u{0153}'
                | '\u{017E}'
                | '\u{0178}'
        )
}

/// Text the base-14 fonts can show: common symbols outside WinAnsi are spelled out, control characters
/// other than line breaks become spaces, and anything else becomes `?`.
pub fn win_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2265}' => out.push_str(">="),
            '\u{2264}' => out.push_str("<="),
            '\u{2192}' => out.push_str("->"),
            '\u{2190}' => out.push_str("<-"),
            '\u{2212}' | '\u{2010}' | '\u{2011}' => out.push('-'),
            '\u{2248}' => out.push('~'),
            '\u{2009}' | '\u{202F}' | '\u{200B}' => out.push(' '),
            // Line breaks stay: `wrap` breaks on them.
            '\n' => out.push('\n'),
            c if c.is_control() => out.push(' '),
            c if in_win_ansi(c) => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// Break text into lines no wider than `max` points (words longer than a line are cut).
pub fn wrap(s: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(&piece, size, bold) > max {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_afm() {
        assert_eq!(width("A", 1000.0, false), 667.0);
        assert_eq!(width("i", 1000.0, false), 222.0);
        assert_eq!(width("i", 1000.0, true), 278.0);
        assert_eq!(width("~", 1000.0, false), 584.0);
        assert!((width("Hello", 10.0, false) - 22.78).abs() < 1e-3);
    }

    #[test]
    fn wraps_on_words_and_cuts_long_ones() {
        let lines = wrap("one two three four five six", 10.0, false, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 60.0));
        assert_eq!(lines.join(" "), "one two three four five six");
        let long = wrap(&"x".repeat(100), 10.0, false, 50.0);
        assert!(long.len() > 1 && long.iter().all(|l| width(l, 10.0, false) <= 50.0));
        assert_eq!(wrap("a\nb", 10.0, false, 100.0), vec!["a", "b"]);
        assert_eq!(wrap("", 10.0, false, 100.0), vec![""]);
    }

    #[test]
    fn text_is_mapped_onto_win_ansi() {
        assert_eq!(win_ansi("pain ≥ 8 → see"), "pain >= 8 -> see");
        assert_eq!(win_ansi("café – “ok”"), "café – “ok”");
        assert_eq!(win_ansi("a\tb 痛"), "a b ?");
    }
}
