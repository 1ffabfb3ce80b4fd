//! What the person reported, and the per-finding state the engine reasons over.

use dorsum_kb::{FindingIx, Kb, Sex};

/// One reported finding: present or absent. Unreported findings are unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub finding: FindingIx,
    pub present: bool,
}

/// The engine's input. `findings` are in order of salience (for text: order of first mention); the order
/// only matters for deciding the region when several parts of the back are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub age: u8,
    pub sex: Sex,
    pub findings: Vec<Observation>,
}

/// The resolved state of every finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Unknown,
    Present,
    Absent,
    /// Absent because another member of its exclusive group is present.
    ImpliedAbsent,
}

/// Dense per-finding state: a present report wins over an absent one (the safe reading of a
/// contradiction), and members of an exclusive group with a present member count as absent.
#[derive(Debug, Clone)]
pub struct EvidenceState {
    states: Vec<State>,
}

impl EvidenceState {
    /// Resolve the evidence against the knowledge base.
    pub fn new(kb: &Kb, evidence: &Evidence) -> Self {
        let mut states = vec![State::Unknown; kb.findings.len()];
        for o in &evidence.findings {
            let s = &mut states[o.finding.0 as usize];
            *s = match (*s, o.present) {
                (_, true) | (State::Present, false) => State::Present,
                (_, false) => State::Absent,
            };
        }
        for group in kb.groups.iter().filter(|g| g.exclusive) {
            if group
                .members
                .iter()
                .any(|m| states[m.0 as usize] == State::Present)
            {
                for m in &group.members {
                    if states[m.0 as usize] == State::Unknown {
                        states[m.0 as usize] = State::ImpliedAbsent;
                    }
                }
            }
        }
        EvidenceState { states }
    }

    /// The state of one finding.
    pub fn state(&self, f: FindingIx) -> State {
        self.states[f.0 as usize]
    }

    /// True when the finding is present.
    pub fn present(&self, f: FindingIx) -> bool {
        self.state(f) == State::Present
    }
}
