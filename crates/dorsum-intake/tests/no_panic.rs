//! Arbitrary text never panics the intake, and every span is a valid slice of the input.

use dorsum_intake::{PhraseIntake, TextIntake};
use proptest::prelude::*;
use std::sync::OnceLock;

fn intake() -> &'static PhraseIntake {
    static I: OnceLock<PhraseIntake> = OnceLock::new();
    I.get_or_init(|| PhraseIntake::new(&dorsum_kb::embedded::load_embedded().unwrap()))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    for m in intake().read(text) {
        let (s, e) = m.span;
        prop_assert!(s <= e && e <= text.len(), "span {s}..{e} of {}", text.len());
        prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_string(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn wordy_strings(text in "([a-zA-Z'’ ,.;!?\n0-9/]|no |not |can't |fever|back pain|numb|weeks|’|é|  ){0,60}") {
        check(&text)?;
    }
}
