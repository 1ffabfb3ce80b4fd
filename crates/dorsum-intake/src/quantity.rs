//! Numbers that carry clinical meaning: body temperatures ("38.6", "102F", "a temp of 39") and pain scores
//! ("7/10", "seven out of ten").

use crate::context::Token;

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Degrees Celsius.
    TemperatureC,
    /// 0-10 numeric rating scale.
    PainScore,
    /// Age in years ("I'm 67", "67 years old", "67yo").
    Age,
}

impl Kind {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TemperatureC => "temperature_c",
            Kind::PainScore => "pain_score",
            Kind::Age => "age",
        }
    }
}

/// One quantity with its normalised byte range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub kind: Kind,
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

impl Quantity {
    /// A quantity spanning from the first to the last token.
    fn over(kind: Kind, value: f64, first: &Token<'_>, last: &Token<'_>) -> Self {
        Quantity {
            kind,
            value,
            start: first.start,
            end: last.end,
        }
    }
}

fn word_number(w: &str) -> Option<f64> {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i as f64)
        .or_else(|| w.parse::<f64>().ok())
}

const TEMP_CONTEXT: &[&str] = &["temperature", "temp", "fever", "temps", "thermometer"];

/// Every temperature and pain score in the tokens, in text order.
pub fn find(tokens: &[Token<'_>]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text);
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text;
        // "7/10"
        if let Some((a, b)) = t.split_once('/')
            && b == "10"
            && let Ok(v) = a.parse::<f64>()
            && (0.0..=10.0).contains(&v)
        {
            out.push(Quantity::over(Kind::PainScore, v, &tokens[i], &tokens[i]));
            i += 1;
            continue;
        }
        // "7 out of 10", "seven out of ten"
        if let Some(v) = word_number(t)
            && text(i + 1) == "out"
            && text(i + 2) == "of"
            && matches!(text(i + 3), "10" | "ten")
            && (0.0..=10.0).contains(&v)
        {
            out.push(Quantity::over(
                Kind::PainScore,
                v,
                &tokens[i],
                &tokens[i + 3],
            ));
            i += 4;
            continue;
        }
        // Age: "i'm 67", "i am 67", "aged 67", "67 years old", "67yo", "67 y/o"
        let age_here = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|a| (0.0..=120.0).contains(a) && a.fract() == 0.0)
        };
        if let Some(v) = age_here(t) {
            let before = |k: usize| i.checked_sub(k).map_or("", |j| tokens[j].text);
            let stated = before(1) == "i'm"
                || (before(2) == "i" && before(1) == "am")
                || matches!(before(1), "aged" | "age");
            let years_old =
                matches!(text(i + 1), "years" | "year" | "yrs" | "yr") && text(i + 2) == "old";
            let yo = matches!(text(i + 1), "yo" | "y/o");
            if stated || years_old || yo {
                let last = if years_old {
                    i + 2
                } else if yo {
                    i + 1
                } else {
                    i
                };
                out.push(Quantity::over(Kind::Age, v, &tokens[i], &tokens[last]));
                i = last + 1;
                continue;
            }
        }
        if let Some(num) = t.strip_suffix("yo").and_then(age_here) {
            out.push(Quantity::over(Kind::Age, num, &tokens[i], &tokens[i]));
            i += 1;
            continue;
        }
        // "102f", "38c"
        let (num, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
            Some(k) if k > 0 => (&t[..k], &t[k..]),
            _ => (t, ""),
        };
        if let Ok(v) = num.parse::<f64>() {
            let next = text(i + 1);
            let (unit, used) = match (unit, next) {
                ("", "°") => (text(i + 2), 3),
                ("", "c" | "f" | "degrees" | "celsius" | "fahrenheit" | "centigrade") => (next, 2),
                (u, _) => (u, 1),
            };
            let after_degrees = if unit == "degrees" {
                text(i + used)
            } else {
                ""
            };
            let fahrenheit = matches!(unit, "f" | "fahrenheit") || after_degrees == "f";
            let celsius = matches!(unit, "c" | "celsius" | "centigrade") || after_degrees == "c";
            let context = (i.saturating_sub(4)..i).any(|k| TEMP_CONTEXT.contains(&text(k)));
            let value = if fahrenheit || (!celsius && (95.0..=110.0).contains(&v)) {
                (v - 32.0) * 5.0 / 9.0
            } else {
                v
            };
            let plausible = (34.0..=43.0).contains(&value);
            let decimal_celsius = num.contains('.') && (35.0..=42.5).contains(&v);
            if plausible && (fahrenheit || celsius || context || decimal_celsius) {
                let last = (i + used - 1).min(tokens.len() - 1);
                out.push(Quantity::over(
                    Kind::TemperatureC,
                    value,
                    &tokens[i],
                    &tokens[last],
                ));
                i += used;
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

    fn q(text: &str) -> Vec<(Kind, f64)> {
        find(&tokenize(text))
            .iter()
            .map(|q| (q.kind, (q.value * 10.0).round() / 10.0))
            .collect()
    }

    #[test]
    fn temperatures() {
        assert_eq!(
            q("a temperature of 38.9 and shivery"),
            [(Kind::TemperatureC, 38.9)]
        );
        assert_eq!(q("temp was 102f last night"), [(Kind::TemperatureC, 38.9)]);
        assert_eq!(q("it was 101 degrees f"), [(Kind::TemperatureC, 38.3)]);
        assert_eq!(q("38.6"), [(Kind::TemperatureC, 38.6)]);
        assert_eq!(q("temp 39"), [(Kind::TemperatureC, 39.0)]);
        assert_eq!(q("39c"), [(Kind::TemperatureC, 39.0)]);
        assert_eq!(q("i'm 38 years old"), [(Kind::Age, 38.0)]);
        assert!(q("I lost 4 kg in 3 weeks").is_empty());
        assert!(q("for 100 yards").is_empty());
    }

    #[test]
    fn ages() {
        assert_eq!(q("i'm 67 with high blood pressure"), [(Kind::Age, 67.0)]);
        assert_eq!(q("tall skinny 19yo"), [(Kind::Age, 19.0)]);
        assert_eq!(q("i am 45 and a plumber"), [(Kind::Age, 45.0)]);
        assert_eq!(q("my dad is 80 years old"), [(Kind::Age, 80.0)]);
        assert!(q("i'm 38.5 degrees").iter().all(|(k, _)| *k != Kind::Age));
    }

    #[test]
    fn pain_scores() {
        assert_eq!(q("pain is 7/10"), [(Kind::PainScore, 7.0)]);
        assert_eq!(q("about seven out of ten"), [(Kind::PainScore, 7.0)]);
        assert_eq!(q("9 out of 10 at night"), [(Kind::PainScore, 9.0)]);
        assert!(q("7/12 weeks").is_empty());
    }
}
