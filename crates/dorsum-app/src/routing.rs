//! Care routing: which service a triage level sends the person to (BRIEF §4).
//!
//! A deploying clinic describes its services in a `care.toml` (`--care FILE` or `DORSUM_CARE`): name,
//! phone, address, opening hours, booking or telehealth link, and the triage levels each accepts. A level
//! no service accepts, and every level when there is no file, goes to the default route: the emergency
//! number (from the knowledge base, or the file's `emergency_number`), an emergency department, your GP
//! (same day), your GP or a physiotherapist, a pharmacist. `emergency_ambulance` always routes to the
//! emergency number; a file cannot send a person who needs an ambulance anywhere else.
//!
//! ```toml
//! emergency_number = "999"          # optional; the knowledge base's text otherwise
//!
//! [[service]]
//! name = "Riverside Practice"
//! levels = ["consultation_24", "consultation"]
//! phone = "+44 20 7946 0000"
//! address = "1 River Street, London"
//! hours = "Mon-Fri 08:00-18:30"
//! booking_url = "https://riverside.example/book"
//! ```

use crate::wire::ServiceJson;
use dorsum_kb::{Kb, TriageLevel};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The environment variable naming a `care.toml`.
pub const CARE_ENV: &str = "DORSUM_CARE";

/// Longest accepted value of any text field in a `care.toml`, in bytes.
pub const MAX_FIELD_BYTES: usize = 500;

/// One service a clinic offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    /// The triage levels it accepts (never `emergency_ambulance`).
    pub levels: Vec<TriageLevel>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub booking_url: Option<String>,
    pub telehealth_url: Option<String>,
    pub note: Option<String>,
}

/// The routing in force: the services of a `care.toml`, or none (the default route for every level).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareRouting {
    /// Where the services came from (a path), `None` for the default.
    pub file: Option<String>,
    /// Overrides the knowledge base's emergency-number text.
    pub emergency_number: Option<String>,
    /// In file order; the first that accepts a level serves it.
    pub services: Vec<Service>,
}

/// Why a `care.toml` cannot be used: every problem, each as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct CareFileError {
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCare {
    emergency_number: Option<Spanned<String>>,
    #[serde(default, rename = "service")]
    services: Vec<Spanned<RawService>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: Spanned<String>,
    levels: Spanned<Vec<Spanned<String>>>,
    phone: Option<Spanned<String>>,
    address: Option<Spanned<String>>,
    hours: Option<Spanned<String>>,
    booking_url: Option<Spanned<String>>,
    telehealth_url: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// What is wrong with a text field, if anything.
fn text_problem(v: &Spanned<String>, what: &str) -> Option<String> {
    let s = v.get_ref();
    if s.trim().is_empty() {
        Some(format!("{what} is empty: leave it out or fill it in"))
    } else if s.len() > MAX_FIELD_BYTES {
        Some(format!(
            "{what} is {} bytes; at most {MAX_FIELD_BYTES} are allowed",
            s.len()
        ))
    } else if s.chars().any(|c| c.is_control() && c != '\n') {
        Some(format!("{what} contains control characters"))
    } else {
        None
    }
}

impl CareRouting {
    /// The routing from `--care FILE`, else `DORSUM_CARE`, else the default.
    pub fn from_flag_or_env(flag: Option<&Path>) -> Result<CareRouting, CareFileError> {
        match flag {
            Some(path) => CareRouting::load(path),
            None => match std::env::var_os(CARE_ENV).filter(|v| !v.is_empty()) {
                Some(path) => CareRouting::load(Path::new(&path)),
                None => Ok(CareRouting::default()),
            },
        }
    }

    /// Read and validate a `care.toml`.
    pub fn load(path: &Path) -> Result<CareRouting, CareFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| CareFileError {
            problems: vec![format!(
                "cannot read the care file {}: {e} (give --care FILE or DORSUM_CARE with a readable care.toml)",
                path.display()
            )],
        })?;
        CareRouting::parse(&path.display().to_string(), &text)
    }

    /// Validate the text of a `care.toml`; `file` names it in the messages.
    pub fn parse(file: &str, text: &str) -> Result<CareRouting, CareFileError> {
        let raw: RawCare = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            CareFileError {
                problems: vec![format!("{file}:{line}: {}", e.message().trim_end())],
            }
        })?;
        let mut problems = Vec::new();
        let mut problem = |span: std::ops::Range<usize>, message: String| {
            problems.push(format!("{file}:{}: {message}", line_of(text, span.start)));
        };
        let emergency_number = raw.emergency_number.map(|n| {
            if let Some(m) = text_problem(&n, "emergency_number") {
                problem(n.span(), m);
            }
            n.into_inner().trim().to_string()
        });
        let mut services: Vec<Service> = Vec::new();
        for spanned in raw.services {
            let span = spanned.span();
            let s = spanned.into_inner();
            if let Some(m) = text_problem(&s.name, "name") {
                problem(s.name.span(), m);
            }
            if services
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(s.name.get_ref().trim()))
            {
                problem(
                    s.name.span(),
                    format!(
                        "service name '{}' is used twice: give each service its own name",
                        s.name.get_ref()
                    ),
                );
            }
            let mut levels = Vec::new();
            if s.levels.get_ref().is_empty() {
                problem(
                    s.levels.span(),
                    "levels is empty: list the triage levels this service accepts, e.g. [\"consultation\", \"self_care\"]".into(),
                );
            }
            for level in s.levels.get_ref() {
                match level.get_ref().parse::<TriageLevel>() {
                    Ok(TriageLevel::EmergencyAmbulance) => problem(
                        level.span(),
                        "emergency_ambulance always routes to the emergency number; set the top-level emergency_number instead".into(),
                    ),
                    Ok(l) if levels.contains(&l) => {
                        problem(level.span(), format!("level {l} is listed twice"))
                    }
                    Ok(l) => levels.push(l),
                    Err(e) => problem(level.span(), format!("unknown triage level {e}")),
                }
            }
            for (v, what) in [
                (&s.phone, "phone"),
                (&s.address, "address"),
                (&s.hours, "hours"),
                (&s.booking_url, "booking_url"),
                (&s.telehealth_url, "telehealth_url"),
                (&s.note, "note"),
            ] {
                if let Some(m) = v.as_ref().and_then(|v| text_problem(v, what)) {
                    problem(v.as_ref().map_or(0..0, |v| v.span()), m);
                }
            }
            if let Some(phone) = &s.phone {
                let p = phone.get_ref();
                if !p
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c))
                    || !p.chars().any(|c| c.is_ascii_digit())
                {
                    problem(
                        phone.span(),
                        format!("phone '{p}' must be digits with optional + - ( ) . and spaces"),
                    );
                }
            }
            for (v, what) in [
                (&s.booking_url, "booking_url"),
                (&s.telehealth_url, "telehealth_url"),
            ] {
                if let Some(v) = v {
                    match url::Url::parse(v.get_ref().trim()) {
                        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => {}
                        _ => problem(
                            v.span(),
                            format!(
                                "{what} '{}' is not an http(s) link such as https://clinic.example/book",
                                v.get_ref()
                            ),
                        ),
                    }
                }
            }
            if s.phone.is_none()
                && s.address.is_none()
                && s.booking_url.is_none()
                && s.telehealth_url.is_none()
            {
                problem(
                    span,
                    format!(
                        "service '{}' gives no way to reach it: add a phone, address, booking_url or telehealth_url",
                        s.name.get_ref()
                    ),
                );
            }
            let clean = |v: Option<Spanned<String>>| v.map(|v| v.into_inner().trim().to_string());
            services.push(Service {
                name: s.name.into_inner().trim().to_string(),
                levels,
                phone: clean(s.phone),
                address: clean(s.address),
                hours: clean(s.hours),
                booking_url: clean(s.booking_url),
                telehealth_url: clean(s.telehealth_url),
                note: clean(s.note),
            });
        }
        // In file order (stable: problems on one line keep the order they were found in).
        problems.sort_by_key(|p| {
            p[file.len() + 1..]
                .split(':')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
        });
        if problems.is_empty() {
            Ok(CareRouting {
                file: Some(file.to_string()),
                emergency_number,
                services,
            })
        } else {
            Err(CareFileError { problems })
        }
    }

    /// The first configured service accepting `level`, if any.
    pub fn service_for(&self, level: TriageLevel) -> Option<&Service> {
        self.services.iter().find(|s| s.levels.contains(&level))
    }

    /// Levels no configured service accepts (they use the default route), most urgent last.
    pub fn uncovered(&self) -> Vec<TriageLevel> {
        TriageLevel::ALL
            .iter()
            .copied()
            .filter(|&l| l != TriageLevel::EmergencyAmbulance && self.service_for(l).is_none())
            .collect()
    }

    /// The emergency number text in force.
    pub fn emergency_number<'a>(&'a self, kb: &'a Kb) -> &'a str {
        self.emergency_number
            .as_deref()
            .unwrap_or(&kb.meta.emergency_number)
    }

    /// Where a person at `level` should go.
    pub fn route(&self, kb: &Kb, level: TriageLevel) -> ServiceJson {
        let emergency = self.emergency_number(kb);
        if let Some(s) = self.service_for(level) {
            return ServiceJson {
                name: s.name.clone(),
                source: "care_file",
                phone: s.phone.clone(),
                address: s.address.clone(),
                hours: s.hours.clone(),
                booking_url: s.booking_url.clone(),
                telehealth_url: s.telehealth_url.clone(),
                note: s.note.clone(),
            };
        }
        default_route(level, emergency)
    }
}

/// The route when no clinic service accepts the level.
pub fn default_route(level: TriageLevel, emergency_number: &str) -> ServiceJson {
    let (name, phone, note) = match level {
        TriageLevel::EmergencyAmbulance => (
            "Emergency services (ambulance)",
            Some(emergency_number),
            "Call now. Do not drive yourself.",
        ),
        TriageLevel::Emergency => (
            "An emergency department",
            None,
            "Go now. If you cannot get there safely, call an ambulance.",
        ),
        TriageLevel::Consultation24 => (
            "Your GP (same-day appointment)",
            None,
            "Or an urgent care centre or out-of-hours service if your GP cannot see you within 24 hours.",
        ),
        TriageLevel::Consultation => (
            "Your GP or a physiotherapist",
            None,
            "Book an appointment in the next few days to weeks.",
        ),
        TriageLevel::SelfCare => (
            "A pharmacist",
            None,
            "A pharmacist can advise on pain relief; follow the self-care plan at home.",
        ),
    };
    let note = match level {
        TriageLevel::Emergency => format!("{note} Emergency number: {emergency_number}."),
        _ => note.to_string(),
    };
    ServiceJson {
        name: name.to_string(),
        source: "default",
        phone: phone.map(str::to_string),
        address: None,
        hours: None,
        booking_url: None,
        telehealth_url: None,
        note: Some(note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
emergency_number = "999"

[[service]]
name = "Riverside ED"
levels = ["emergency"]
address = "Riverside Hospital, River Street"
hours = "24 hours"

[[service]]
name = "Riverside Practice"
levels = ["consultation_24", "consultation"]
phone = "+44 20 7946 0000"
booking_url = "https://riverside.example/book"

[[service]]
name = "Riverside Physio"
levels = ["consultation"]
telehealth_url = "https://physio.example/video"
"#;

    #[test]
    fn sample_routes_each_level_and_falls_back_to_the_default() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        let care = CareRouting::parse("care.toml", SAMPLE).unwrap();
        let route = |l| care.route(&kb, l);
        let amb = route(TriageLevel::EmergencyAmbulance);
        assert_eq!(amb.phone.as_deref(), Some("999"));
        assert_eq!(amb.source, "default");
        assert_eq!(route(TriageLevel::Emergency).name, "Riverside ED");
        assert_eq!(
            route(TriageLevel::Consultation24).name,
            "Riverside Practice"
        );
        // First in file order wins.
        assert_eq!(route(TriageLevel::Consultation).name, "Riverside Practice");
        assert_eq!(route(TriageLevel::SelfCare).name, "A pharmacist");
        assert_eq!(care.uncovered(), vec![TriageLevel::SelfCare]);
    }

    #[test]
    fn default_uses_the_kb_emergency_number() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        let care = CareRouting::default();
        let amb = care.route(&kb, TriageLevel::EmergencyAmbulance);
        assert_eq!(
            amb.phone.as_deref(),
            Some(kb.meta.emergency_number.as_str())
        );
        assert_eq!(
            care.route(&kb, TriageLevel::Consultation24).name,
            "Your GP (same-day appointment)"
        );
    }

    #[test]
    fn problems_name_file_and_line() {
        let bad = r#"[[service]]
name = "A"
levels = ["urgent", "emergency_ambulance"]
phone = "call us"
booking_url = "javascript:alert(1)"

[[service]]
name = "a"
levels = []
"#;
        let err = CareRouting::parse("care.toml", bad).unwrap_err();
        let all = err.to_string();
        assert!(
            all.contains("care.toml:3: unknown triage level 'urgent'"),
            "{all}"
        );
        assert!(
            all.contains("care.toml:3: emergency_ambulance always"),
            "{all}"
        );
        assert!(all.contains("care.toml:4: phone"), "{all}");
        assert!(all.contains("care.toml:5: booking_url"), "{all}");
        assert!(
            all.contains("care.toml:8: service name 'a' is used twice"),
            "{all}"
        );
        assert!(all.contains("care.toml:9: levels is empty"), "{all}");
        assert!(all.contains("gives no way to reach it"), "{all}");
    }

    #[test]
    fn unknown_keys_and_syntax_errors_name_the_line() {
        let err = CareRouting::parse(
            "c.toml",
            "[[service]]\nname = \"A\"\nlevels = [\"self_care\"]\nfax = \"1\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("c.toml:4:"), "{err}");
        let err = CareRouting::parse("c.toml", "x = \n").unwrap_err();
        assert!(err.to_string().starts_with("c.toml:1:"), "{err}");
    }
}
