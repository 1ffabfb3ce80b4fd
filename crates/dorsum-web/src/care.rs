//! Care routing in the server: the routes per triage level (`GET /api/v1/care`) and the start-up summary.
//! Parsing and validating `care.toml` lives in `dorsum_app::routing`, shared with `dorsum assess`.

use crate::api::{CareJson, RouteJson};
use dorsum_app::pipeline::{Dorsum, action};
use dorsum_kb::TriageLevel;

/// One route per triage level, least urgent first.
pub fn routes(dorsum: &Dorsum) -> CareJson {
    CareJson {
        source: dorsum.care.file.clone().unwrap_or_else(|| "default".into()),
        routes: TriageLevel::ALL
            .iter()
            .map(|&level| RouteJson {
                level: level.as_str(),
                action: action(&dorsum.kb, level),
                service: dorsum.care.route(&dorsum.kb, level),
            })
            .collect(),
    }
}

/// Lines for the start-up message: where the routing comes from, and levels the care file leaves to the
/// default route.
pub fn summary(dorsum: &Dorsum) -> Vec<String> {
    let care = &dorsum.care;
    match &care.file {
        None => vec![
            "care routing: default (emergency number, emergency department, GP, GP or physiotherapist, pharmacist); give --care FILE or DORSUM_CARE for a clinic's services".into(),
        ],
        Some(file) => {
            let mut lines = vec![format!(
                "care routing: {} service(s) from {file}",
                care.services.len()
            )];
            let uncovered = care.uncovered();
            if !uncovered.is_empty() {
                lines.push(format!(
                    "care routing: no service in {file} accepts {}; those use the default route",
                    uncovered
                        .iter()
                        .map(|l| l.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            lines
        }
    }
}
