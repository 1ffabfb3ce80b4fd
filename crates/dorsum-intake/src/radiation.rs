//! Where a spreading pain goes: the farthest body part named in a radiation phrase and the words that
//! follow it in the same clause ("goes down my left leg to my foot" → foot, left; "wraps round to the front
//! like a band" → chest band; "up into my jaw" → jaw).

use crate::context::Token;
use crate::{Radiation, Side};

/// The body part a pain spreads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    Buttock,
    Hip,
    Groin,
    /// A leg, without saying how far down.
    Leg,
    LegAboveKnee,
    Knee,
    LegBelowKnee,
    Foot,
    Shoulder,
    ShoulderTip,
    Arm,
    Hand,
    Neck,
    Throat,
    Jaw,
    Head,
    Chest,
    Abdomen,
    /// Round the trunk like a band or belt, towards the front.
    ChestBand,
    /// Straight through the body, front to back.
    Through,
}

impl Reach {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Buttock => "buttock",
            Reach::Hip => "hip",
            Reach::Groin => "groin",
            Reach::Leg => "leg",
            Reach::LegAboveKnee => "leg_above_knee",
            Reach::Knee => "knee",
            Reach::LegBelowKnee => "leg_below_knee",
            Reach::Foot => "foot",
            Reach::Shoulder => "shoulder",
            Reach::ShoulderTip => "shoulder_tip",
            Reach::Arm => "arm",
            Reach::Hand => "hand",
            Reach::Neck => "neck",
            Reach::Throat => "throat",
            Reach::Jaw => "jaw",
            Reach::Head => "head",
            Reach::Chest => "chest",
            Reach::Abdomen => "abdomen",
            Reach::ChestBand => "chest_band",
            Reach::Through => "through_to_front",
        }
    }

    /// The path it lies on: 0 a leg, 1 an arm, 2 up to the head, 3 the trunk.
    fn path(self) -> u8 {
        match self {
            Reach::Buttock
            | Reach::Hip
            | Reach::Groin
            | Reach::Leg
            | Reach::LegAboveKnee
            | Reach::Knee
            | Reach::LegBelowKnee
            | Reach::Foot => 0,
            Reach::Shoulder | Reach::ShoulderTip | Reach::Arm | Reach::Hand => 1,
            Reach::Neck | Reach::Throat | Reach::Jaw | Reach::Head => 2,
            Reach::Chest | Reach::Abdomen | Reach::ChestBand | Reach::Through => 3,
        }
    }

    /// How far along its path (leg, arm, head, trunk) the part lies: the farthest one named is the reach.
    fn distance(self) -> u8 {
        match self {
            Reach::Buttock | Reach::Hip | Reach::Shoulder | Reach::Neck => 1,
            Reach::Groin | Reach::Leg | Reach::Arm | Reach::ShoulderTip | Reach::Throat => 2,
            Reach::Chest | Reach::Abdomen | Reach::Through => 2,
            Reach::LegAboveKnee | Reach::Hand | Reach::Jaw | Reach::Head | Reach::ChestBand => 3,
            Reach::Knee => 4,
            Reach::LegBelowKnee => 5,
            Reach::Foot => 6,
        }
    }
}

/// The body part one word names, given the word before and after it.
fn part(prev: Option<&str>, word: &str, next: Option<&str>) -> Option<Reach> {
    Some(match word {
        "buttock" | "buttocks" | "bum" | "glute" | "glutes" | "backside" | "bottom" | "butt" => {
            Reach::Buttock
        }
        "hip" | "hips" => Reach::Hip,
        "groin" | "testicle" | "testicles" | "balls" | "scrotum" | "privates" | "vagina"
        | "labia" | "genitals" => Reach::Groin,
        "leg" | "legs" if prev == Some("upper") => Reach::LegAboveKnee,
        "leg" | "legs" | "sciatica" | "sciatic" => Reach::Leg,
        "thigh" | "thighs" => Reach::LegAboveKnee,
        "knee" | "knees" if matches!(prev, Some("below" | "past" | "beyond" | "under")) => {
            Reach::LegBelowKnee
        }
        "knee" | "knees" => Reach::Knee,
        "calf" | "calves" | "shin" | "shins" => Reach::LegBelowKnee,
        "foot" | "feet" | "ankle" | "ankles" | "heel" | "heels" | "toe" | "toes" | "sole" => {
            Reach::Foot
        }
        "shoulder" | "shoulders" => Reach::Shoulder,
        "tip" if next == Some("of") || prev.is_some_and(|p| p.starts_with("shoulder")) => {
            Reach::ShoulderTip
        }
        "arm" | "arms" | "elbow" | "elbows" | "forearm" | "forearms" | "brachialgia" => Reach::Arm,
        "hand" | "hands" | "wrist" | "wrists" | "finger" | "fingers" | "thumb" | "thumbs"
        | "fingertips" => Reach::Hand,
        "neck" => Reach::Neck,
        "throat" => Reach::Throat,
        "jaw" | "jaws" | "teeth" | "chin" => Reach::Jaw,
        "head" | "skull" | "temple" | "temples" | "forehead" => Reach::Head,
        "chest" | "breastbone" | "sternum" => Reach::Chest,
        "stomach" | "tummy" | "belly" | "abdomen" | "navel" => Reach::Abdomen,
        "band" | "belt" | "girdle" | "encircling" | "strip" | "rib" | "ribs" | "ribcage"
        | "wraps" | "wrapping" | "wrap" => Reach::ChestBand,
        "round" | "around" if matches!(next, Some("to" | "the" | "my" | "one")) => Reach::ChestBand,
        "through" if matches!(next, Some("to" | "me" | "my")) => Reach::Through,
        _ => return None,
    })
}

/// The nouns a phrase may name a limb part by, for a word that names it ("thumb" → "hand", "fingers"): used
/// to place a symptom said without a place ("pins and needles") on the limb the sentence puts it.
pub(crate) fn limb_nouns(word: &str) -> &'static [&'static str] {
    match part(None, word, None) {
        Some(Reach::Hand) => &["hand", "hands", "fingers", "arm"],
        Some(Reach::Arm) => &["arm", "arms", "hand"],
        Some(Reach::Shoulder) => &["shoulder", "arm"],
        Some(Reach::Foot) => &["foot", "feet", "toes", "leg"],
        Some(Reach::LegBelowKnee) => &["calf", "leg", "legs"],
        Some(Reach::Knee) => &["knee", "leg"],
        Some(Reach::LegAboveKnee) => &["thigh", "leg"],
        Some(Reach::Leg) if word.starts_with("leg") => &["leg", "legs"],
        // not the groin or buttock: numbness there is read only from its own words (saddle numbness is an
        // emergency, and sciatica often numbs a buttock)
        _ => &[],
    }
}

/// Words after a radiation phrase that carry its path on past a comma ("down my leg, right into my foot").
const CARRY_ON: &[&str] = &[
    "into", "to", "down", "up", "right", "all", "as", "round", "around", "through", "and",
];

/// The radiation of the phrase at `[start, end)`: the farthest body part named in it, in the three words
/// before it, or in the rest of its clause after it (at most ten words), with the side named there. The
/// path (leg, arm, head, trunk) is the one the phrase itself names, else the first named after it: "wraps
/// round like a band and into my jaw" is two radiations, not a band reaching the jaw.
/// `side` is the side already read for the phrase itself.
pub fn radiation(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    side: Option<Side>,
) -> Option<Radiation> {
    let first = tokens.partition_point(|t| t.start < start);
    let last = tokens.partition_point(|t| t.start < end);
    // three words before, within the clause
    let mut begin = first;
    while begin > 0 && first - begin < 3 && tokens[begin - 1].is_word() {
        begin -= 1;
    }
    // the rest of the clause after the phrase
    let mut stop = last;
    let mut words = 0;
    while stop < tokens.len() && words < 10 {
        let t = &tokens[stop];
        let carries_on = t.text == ","
            && tokens
                .get(stop + 1)
                .is_some_and(|n| CARRY_ON.contains(&n.text) && n.text != "and");
        if !t.is_word() && !carries_on && t.text != "-" && t.text != "'" {
            break;
        }
        if matches!(
            t.text,
            "but" | "however" | "although" | "though" | "except" | "apart" | "while" | "whereas"
        ) {
            break;
        }
        if t.text == "and"
            && tokens.get(stop + 1).is_some_and(|n| {
                !CARRY_ON.contains(&n.text)
                    && !matches!(n.text, "my" | "the")
                    && part(None, n.text, None).is_none()
            })
        {
            break;
        }
        if t.is_word() {
            words += 1;
        }
        stop += 1;
    }
    let window = &tokens[begin..stop];
    let phrase_len = last - begin;
    let mut best: Option<Reach> = None;
    let mut window_side: Option<Side> = None;
    for (i, t) in window.iter().enumerate() {
        // the word before, looking past "my", "the" and "a" ("past my knee", "tip of the shoulder")
        let prev = window[..i]
            .iter()
            .rev()
            .map(|w| w.text)
            .find(|w| !matches!(*w, "my" | "the" | "a"));
        let next = window.get(i + 1).map(|n| n.text);
        if let Some(p) = part(prev, t.text, next) {
            let better = match best {
                None => true,
                // within the phrase any path; after it, only further along the same path
                Some(b) if i < phrase_len => p.distance() >= b.distance(),
                Some(b) => p.path() == b.path() && p.distance() >= b.distance(),
            };
            if better {
                best = Some(p);
            }
        }
        let named = match t.text {
            "left" => Some(Side::Left),
            "right" if !matches!(next, Some("down" | "through" | "into" | "up" | "round")) => {
                Some(Side::Right)
            }
            "both" | "bilateral" => Some(Side::Both),
            _ => None,
        };
        if let Some(s) = named {
            window_side = match window_side {
                Some(w) if w != s => Some(Side::Both),
                _ => Some(s),
            };
        }
    }
    best.map(|to| Radiation {
        to,
        side: side.or(window_side),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::tokenize;

    fn reach(text: &str, phrase: &str) -> Option<(Reach, Option<Side>)> {
        let tokens = tokenize(text);
        let s = text.find(phrase).unwrap();
        radiation(&tokens, s, s + phrase.len(), None).map(|r| (r.to, r.side))
    }

    #[test]
    fn the_farthest_part_named_is_the_reach() {
        assert_eq!(
            reach("it goes down my left leg to my foot", "down my left leg"),
            Some((Reach::Foot, Some(Side::Left)))
        );
        assert_eq!(
            reach("wraps round to the front like a band", "wraps round"),
            Some((Reach::ChestBand, None))
        );
        assert_eq!(
            reach("the pain goes up into my jaw", "into my jaw"),
            Some((Reach::Jaw, None))
        );
        assert_eq!(
            reach(
                "pain into my right shoulder and arm",
                "into my right shoulder"
            ),
            Some((Reach::Arm, Some(Side::Right)))
        );
        assert_eq!(
            reach(
                "down the back of my thigh, stops at the knee",
                "down the back of my thigh"
            ),
            Some((Reach::LegAboveKnee, None))
        );
        assert_eq!(
            reach(
                "sciatica down the right side, right down past my knee",
                "sciatica"
            ),
            Some((Reach::LegBelowKnee, Some(Side::Right)))
        );
        assert_eq!(
            reach("into my groin and my back hurts", "into my groin"),
            Some((Reach::Groin, None))
        );
        // a new clause with parts of its own does not extend the path
        assert_eq!(
            reach(
                "pain into my buttock but my foot is fine",
                "into my buttock"
            ),
            Some((Reach::Buttock, None))
        );
        assert_eq!(reach("it moves about", "moves about"), None);
        assert_eq!(
            reach(
                "wraps round to the front like a band and into my jaw",
                "wraps round"
            ),
            Some((Reach::ChestBand, None))
        );
    }
}
