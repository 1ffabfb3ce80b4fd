//! The body map: the clickable regions of the back and front views, what each means as knowledge-base
//! findings, and where each is drawn. The start page draws them as SVG shapes beside a plain checkbox
//! list (the list works without JavaScript; `app.js` makes the shapes clickable and keyboard-reachable).

use dorsum_kb::{FindingIx, Kb};

/// Which drawing a region is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Back,
    Front,
}

/// One region a person can mark.
#[derive(Debug, Clone, Copy)]
pub struct BodyRegion {
    /// Form value and SVG `data-region`.
    pub id: &'static str,
    /// What a screen reader and the checkbox list say.
    pub label: &'static str,
    pub view: View,
    /// The rectangle drawn: x, y, width, height in the view's 200 x 420 box.
    pub rect: (u16, u16, u16, u16),
    /// The knowledge-base findings marking it makes present.
    pub findings: &'static [&'static str],
}

/// Every region, back view first. In the back view the person's left is on the viewer's left; in the
/// front view it is on the viewer's right.
pub const REGIONS: &[BodyRegion] = &[
    BodyRegion {
        id: "neck",
        label: "Neck",
        view: View::Back,
        rect: (86, 52, 28, 20),
        findings: &["loc_neck"],
    },
    BodyRegion {
        id: "upper_back_left",
        label: "Upper back, left side",
        view: View::Back,
        rect: (50, 74, 36, 48),
        findings: &["loc_upper_back"],
    },
    BodyRegion {
        id: "between_shoulder_blades",
        label: "Between the shoulder blades",
        view: View::Back,
        rect: (86, 74, 28, 48),
        findings: &["loc_between_shoulder_blades", "loc_upper_back"],
    },
    BodyRegion {
        id: "upper_back_right",
        label: "Upper back, right side",
        view: View::Back,
        rect: (114, 74, 36, 48),
        findings: &["loc_upper_back"],
    },
    BodyRegion {
        id: "flank_left",
        label: "Left flank (side, below the ribs)",
        view: View::Back,
        rect: (50, 122, 16, 62),
        findings: &["loc_flank"],
    },
    BodyRegion {
        id: "mid_back",
        label: "Middle of the back",
        view: View::Back,
        rect: (66, 122, 68, 40),
        findings: &["loc_mid_back"],
    },
    BodyRegion {
        id: "flank_right",
        label: "Right flank (side, below the ribs)",
        view: View::Back,
        rect: (134, 122, 16, 62),
        findings: &["loc_flank"],
    },
    BodyRegion {
        id: "lower_back_left",
        label: "Lower back, left side",
        view: View::Back,
        rect: (66, 162, 24, 36),
        findings: &["loc_lower_back"],
    },
    BodyRegion {
        id: "lower_back_centre",
        label: "Lower back, centre",
        view: View::Back,
        rect: (90, 162, 20, 36),
        findings: &["loc_lower_back"],
    },
    BodyRegion {
        id: "lower_back_right",
        label: "Lower back, right side",
        view: View::Back,
        rect: (110, 162, 24, 36),
        findings: &["loc_lower_back"],
    },
    BodyRegion {
        id: "buttocks",
        label: "Buttocks",
        view: View::Back,
        rect: (62, 198, 76, 40),
        findings: &["loc_buttock"],
    },
    BodyRegion {
        id: "arm_left",
        label: "Left arm",
        view: View::Back,
        rect: (22, 76, 26, 130),
        findings: &["rad_arm"],
    },
    BodyRegion {
        id: "arm_right",
        label: "Right arm",
        view: View::Back,
        rect: (152, 76, 26, 130),
        findings: &["rad_arm"],
    },
    BodyRegion {
        id: "thigh_left",
        label: "Left thigh",
        view: View::Back,
        rect: (64, 238, 34, 82),
        findings: &["rad_thigh"],
    },
    BodyRegion {
        id: "thigh_right",
        label: "Right thigh",
        view: View::Back,
        rect: (102, 238, 34, 82),
        findings: &["rad_thigh"],
    },
    BodyRegion {
        id: "lower_leg_left",
        label: "Left leg below the knee",
        view: View::Back,
        rect: (66, 320, 30, 90),
        findings: &["rad_leg_below_knee"],
    },
    BodyRegion {
        id: "lower_leg_right",
        label: "Right leg below the knee",
        view: View::Back,
        rect: (104, 320, 30, 90),
        findings: &["rad_leg_below_knee"],
    },
    BodyRegion {
        id: "chest",
        label: "Chest",
        view: View::Front,
        rect: (56, 74, 88, 58),
        findings: &["loc_chest"],
    },
    BodyRegion {
        id: "abdomen",
        label: "Belly (abdomen)",
        view: View::Front,
        rect: (62, 132, 76, 66),
        findings: &["loc_upper_abdomen"],
    },
];

/// The region with this id.
pub fn region(id: &str) -> Option<&'static BodyRegion> {
    REGIONS.iter().find(|r| r.id == id)
}

/// True when the region is on the person's left or right leg.
fn leg_side(id: &str) -> Option<char> {
    match id {
        "thigh_left" | "lower_leg_left" => Some('l'),
        "thigh_right" | "lower_leg_right" => Some('r'),
        _ => None,
    }
}

/// The findings the marked regions make present, each once, in region order. Both legs marked adds
/// "both legs". Region ids that are not on the map are ignored (the caller validates them).
pub fn findings(kb: &Kb, marked: &[String]) -> Vec<FindingIx> {
    let mut ids: Vec<&str> = Vec::new();
    for r in REGIONS.iter().filter(|r| marked.iter().any(|m| m == r.id)) {
        for f in r.findings {
            if !ids.contains(f) {
                ids.push(f);
            }
        }
    }
    let sides: Vec<char> = marked.iter().filter_map(|m| leg_side(m)).collect();
    if sides.contains(&'l') && sides.contains(&'r') {
        ids.push("rad_both_legs");
    }
    ids.iter().filter_map(|id| kb.finding_ix(id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_maps_to_findings_the_knowledge_base_has() {
        let kb = dorsum_kb::embedded::load_embedded().expect("the built-in knowledge base loads");
        for r in REGIONS {
            for f in r.findings {
                assert!(kb.finding_ix(f).is_some(), "{}: {f} is not a finding", r.id);
            }
        }
        assert!(kb.finding_ix("rad_both_legs").is_some());
        let mut ids: Vec<&str> = REGIONS.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REGIONS.len(), "region ids are unique");
    }

    #[test]
    fn marked_regions_become_findings_once_and_both_legs_adds_both_legs() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        let name = |ix: &[FindingIx]| -> Vec<String> {
            ix.iter().map(|&f| kb.finding(f).id.clone()).collect()
        };
        let marked = |ids: &[&str]| -> Vec<String> { ids.iter().map(|s| s.to_string()).collect() };
        assert_eq!(
            name(&findings(
                &kb,
                &marked(&["lower_back_left", "lower_back_right", "nowhere"])
            )),
            ["loc_lower_back"]
        );
        assert_eq!(
            name(&findings(&kb, &marked(&["thigh_left", "lower_leg_right"]))),
            ["rad_thigh", "rad_leg_below_knee", "rad_both_legs"]
        );
        assert_eq!(
            name(&findings(&kb, &marked(&["thigh_left", "lower_leg_left"]))),
            ["rad_thigh", "rad_leg_below_knee"]
        );
        assert!(findings(&kb, &[]).is_empty());
    }
}
