//! Where the pain sits: neck, upper (thoracic), lower (lumbar) or both.

use crate::differential::RankedCondition;
use crate::evidence::Evidence;
use dorsum_kb::{FindingKind, Kb, Region};

/// Region from the present findings that place the pain: location findings first, in order of mention,
/// then other findings with a region hint (pain round the ribs, down a leg). Upper-or-neck together with
/// lower is `both`; otherwise the first wins. With nothing placed, the leading condition's usual region.
pub fn locate(kb: &Kb, evidence: &Evidence, ranked: &[RankedCondition]) -> Region {
    let present = || {
        evidence
            .findings
            .iter()
            .filter(|o| o.present)
            .map(|o| kb.finding(o.finding))
    };
    let regions: Vec<Region> = present()
        .filter(|f| f.kind == FindingKind::Location)
        .chain(present().filter(|f| f.kind != FindingKind::Location))
        .filter_map(|f| f.region)
        .collect();
    let high = regions
        .iter()
        .any(|r| matches!(r, Region::Upper | Region::Neck));
    let low = regions.contains(&Region::Lower);
    if regions.contains(&Region::Both) || (high && low) {
        return Region::Both;
    }
    if let Some(&first) = regions.first() {
        return first;
    }
    ranked
        .first()
        .map_or(Region::Lower, |rc| kb.condition(rc.condition).region)
}
