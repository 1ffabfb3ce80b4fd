//! Safety and determinism properties of the engine over the real knowledge base.

use dorsum_engine::{Evidence, Observation, assess};
use dorsum_kb::{FindingIx, Kb, Sex};
use proptest::prelude::*;
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| dorsum_kb::embedded::load_embedded().expect("embedded knowledge base loads"))
}

fn red_flag_findings() -> Vec<FindingIx> {
    kb().findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.red_flag)
        .map(|(i, _)| FindingIx(i as u16))
        .collect()
}

fn evidence() -> impl Strategy<Value = Evidence> {
    let n = kb().findings.len();
    (
        0u8..=120,
        prop_oneof![Just(Sex::Female), Just(Sex::Male)],
        prop::collection::vec((0..n, any::<bool>()), 0..25),
    )
        .prop_map(|(age, sex, obs)| Evidence {
            age,
            sex,
            findings: obs
                .into_iter()
                .map(|(i, present)| Observation {
                    finding: FindingIx(i as u16),
                    present,
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn adding_a_red_flag_never_lowers_triage(ev in evidence(), pick in any::<prop::sample::Index>()) {
        let flags = red_flag_findings();
        prop_assume!(!flags.is_empty());
        let flag = flags[pick.index(flags.len())];
        let before = assess(kb(), &ev);
        let mut more = ev.clone();
        more.findings.push(Observation { finding: flag, present: true });
        let after = assess(kb(), &more);
        prop_assert!(
            after.triage.level >= before.triage.level,
            "adding {} lowered triage from {} to {}",
            kb().finding(flag).id, before.triage.level, after.triage.level
        );
    }

    #[test]
    fn identical_input_gives_identical_output(ev in evidence()) {
        prop_assert_eq!(assess(kb(), &ev), assess(kb(), &ev.clone()));
    }

    #[test]
    fn probabilities_lie_in_the_unit_interval(ev in evidence()) {
        let a = assess(kb(), &ev);
        prop_assert_eq!(a.conditions.len(), kb().conditions.len());
        for rc in &a.conditions {
            prop_assert!((0.0..=1.0).contains(&rc.probability), "{}", rc.probability);
        }
        for w in a.conditions.windows(2) {
            prop_assert!(w[0].probability >= w[1].probability);
        }
        prop_assert!(!a.triage.reasons.is_empty());
        prop_assert_eq!(a.triage.reasons[0].level, a.triage.level);
    }
}

#[test]
fn there_are_red_flag_findings_to_test() {
    assert!(red_flag_findings().len() >= 20);
}
