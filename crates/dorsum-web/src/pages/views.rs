//! The page templates (askama, `templates/`) and the plain view data each one shows. Views are built from
//! the same result object the JSON API returns, so a page never says something the API would not.

use super::bodymap::{BodyRegion, REGIONS, View};
use askama::Template;
use dorsum_app::replay::{AssessResponse, NextQuestionJson};
use dorsum_app::wire::ServiceJson;
use dorsum_care::PlanOutcome;
use dorsum_kb::{Kb, TriageLevel};

/// What every page's frame needs.
pub struct Layout {
    /// The emergency number as the knowledge base or care file words it (it may name several countries).
    pub emergency_number: String,
    /// The number to dial: the first number in it.
    pub emergency_dial: String,
    /// Its `tel:` link.
    pub emergency_tel: String,
    /// Which main navigation link is the current page.
    pub nav: &'static str,
}

/// One body-map region as drawn.
pub struct RegionView {
    pub id: &'static str,
    pub label: &'static str,
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
    pub selected: bool,
}

impl RegionView {
    fn of(r: &BodyRegion, marked: &[String]) -> RegionView {
        RegionView {
            id: r.id,
            label: r.label,
            x: r.rect.0,
            y: r.rect.1,
            w: r.rect.2,
            h: r.rect.3,
            selected: marked.iter().any(|m| m == r.id),
        }
    }
}

/// The regions of one view.
pub fn regions(view: View, marked: &[String]) -> Vec<RegionView> {
    REGIONS
        .iter()
        .filter(|r| r.view == view)
        .map(|r| RegionView::of(r, marked))
        .collect()
}

/// The start page: age, sex, body map and the person's own words.
#[derive(Template)]
#[template(path = "start.html")]
pub struct StartPage {
    pub layout: Layout,
    pub errors: Vec<String>,
    pub age: String,
    pub sex: String,
    pub text: String,
    pub back: Vec<RegionView>,
    pub front: Vec<RegionView>,
}

/// One thing read from the person's words, with the choice to correct it.
pub struct UnderstoodView {
    pub finding: String,
    pub name: String,
    pub quote: String,
    /// The reading in plain words ("you have it", "you do not have it", ...).
    pub reading: &'static str,
}

/// The "is this what you meant?" page.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub state: String,
    pub understood: Vec<UnderstoodView>,
    pub regions: Vec<&'static str>,
}

/// One option of a question.
pub struct OptionView {
    pub id: String,
    pub name: String,
    pub checked: bool,
}

/// The question page.
#[derive(Template)]
#[template(path = "question.html")]
pub struct QuestionPage {
    pub layout: Layout,
    pub state: String,
    pub number: usize,
    pub text: String,
    pub help: Option<String>,
    /// yes_no, one_of, any_of or number.
    pub kind: &'static str,
    pub options: Vec<OptionView>,
    pub min: u8,
    pub max: u8,
    /// For number questions with at most eleven values: each value, to show as buttons.
    pub scale: Vec<(u8, bool)>,
    pub previous_number: String,
    pub why: String,
    pub separates: Vec<String>,
    pub warning: Option<&'static str>,
    pub can_go_back: bool,
    pub error: Option<String>,
    /// When the answers so far already mean an emergency and the interview only checks whether an
    /// ambulance is needed: what to do now (heading, action), shown above the question.
    pub urgent: Option<(&'static str, String)>,
}

impl QuestionPage {
    /// Build from the API's next question; `previous` is the answer being changed (after "Back").
    pub fn new(
        layout: Layout,
        kb: &Kb,
        state: String,
        q: &NextQuestionJson<'_>,
        previous: Option<&serde_json::Value>,
        can_go_back: bool,
    ) -> QuestionPage {
        let chosen: Vec<String> = previous
            .and_then(|p| p.get("answer"))
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let prev_number = previous
            .and_then(|p| p.get("answer"))
            .and_then(|a| a.as_u64())
            .map(|n| n as u8);
        let (min, max) = (q.min.unwrap_or(0), q.max.unwrap_or(10));
        let scale = if q.kind == "number" && max.saturating_sub(min) <= 10 {
            (min..=max).map(|n| (n, prev_number == Some(n))).collect()
        } else {
            Vec::new()
        };
        QuestionPage {
            layout,
            state,
            number: q.number,
            text: q.text.to_string(),
            help: q.help.map(String::from),
            kind: q.kind,
            options: q
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.to_string(),
                    name: o.name.to_string(),
                    checked: chosen.iter().any(|c| c == o.id),
                })
                .collect(),
            min,
            max,
            scale,
            previous_number: prev_number.map(|n| n.to_string()).unwrap_or_default(),
            why: q.why.text.clone(),
            separates: q
                .why
                .separates
                .iter()
                .filter_map(|id| kb.condition_ix(id).map(|c| kb.condition(c).name.clone()))
                .collect(),
            warning: q
                .why
                .could_raise_to
                .and_then(|l| l.parse::<TriageLevel>().ok())
                .map(level_heading),
            can_go_back,
            error: None,
            urgent: None,
        }
    }
}

/// What to do now when the picture so far is already an emergency.
pub fn urgent_now(r: &AssessResponse<'_>) -> Option<(&'static str, String)> {
    let level: TriageLevel = r.result.triage.level.parse().ok()?;
    (level >= TriageLevel::Emergency)
        .then(|| (level_heading(level), r.result.triage.action.clone()))
}

/// Where to get care, as shown.
pub struct ServiceView {
    pub name: String,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub booking_url: Option<String>,
    pub telehealth_url: Option<String>,
    pub note: Option<String>,
}

impl ServiceView {
    pub fn of(s: &ServiceJson) -> ServiceView {
        ServiceView {
            name: s.name.clone(),
            tel: s.phone.as_deref().map(tel),
            phone: s.phone.clone(),
            address: s.address.clone(),
            hours: s.hours.clone(),
            booking_url: s.booking_url.clone().filter(|u| is_web_link(u)),
            telehealth_url: s.telehealth_url.clone().filter(|u| is_web_link(u)),
            note: s.note.clone(),
        }
    }
}

/// Only http(s) links become links (a care file is trusted, but a `javascript:` URL never is).
fn is_web_link(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The first phone number in a text ("999 in the UK, 911 in the US" gives "999").
pub fn first_number(text: &str) -> String {
    let start = text
        .find(|c: char| c.is_ascii_digit() || c == '+')
        .unwrap_or(text.len());
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')))
        .unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

/// A `tel:` target: digits and a leading plus only.
pub fn tel(phone: &str) -> String {
    let mut out = String::from("tel:");
    for (i, c) in phone.trim().chars().enumerate() {
        if c.is_ascii_digit() || (i == 0 && c == '+') {
            out.push(c);
        }
    }
    out
}

/// A likely cause, in plain words.
pub struct CauseView {
    pub name: String,
    pub clinical_name: String,
    pub percent: String,
    pub serious: bool,
    pub pointed: Vec<String>,
    pub against: Vec<String>,
}

/// One exercise in the plan.
pub struct ExerciseView {
    pub name: String,
    pub goal: String,
    pub dose: String,
    pub steps: Vec<String>,
    pub this_phase: Option<String>,
}

/// One phase of the plan.
pub struct PhaseView {
    pub title: String,
    pub weeks: String,
    pub aim: String,
    pub sessions: String,
    pub exercises: Vec<ExerciseView>,
}

/// The self-care plan, or why there is none yet.
pub struct PlanView {
    pub heading: String,
    pub no_plan: Option<String>,
    pub phases: Vec<PhaseView>,
    pub habits: Vec<String>,
    pub advice: Vec<String>,
    pub medication: Vec<String>,
}

impl PlanView {
    pub fn of(kb: &Kb, outcome: &PlanOutcome) -> PlanView {
        let plan = match outcome {
            PlanOutcome::NoPlan(no) => {
                return PlanView {
                    heading: "No exercise plan for now".into(),
                    no_plan: Some(no.do_now.clone()),
                    phases: Vec::new(),
                    habits: Vec::new(),
                    advice: Vec::new(),
                    medication: Vec::new(),
                };
            }
            PlanOutcome::Plan(plan) => plan,
        };
        let text_of = |ids: &[String]| -> Vec<String> {
            ids.iter()
                .filter_map(|id| kb.treatments.iter().find(|t| &t.id == id))
                .map(|t| t.text.clone())
                .collect()
        };
        PlanView {
            heading: format!(
                "Your {}-week plan, starting {}",
                plan.weeks,
                plan.start.strftime("%-d %B %Y")
            ),
            no_plan: None,
            phases: plan
                .phases
                .iter()
                .map(|p| PhaseView {
                    title: p.kind.title().to_string(),
                    weeks: if p.first_week == p.last_week {
                        format!("Week {}", p.first_week)
                    } else {
                        format!("Weeks {} to {}", p.first_week, p.last_week)
                    },
                    aim: p.kind.aim().to_string(),
                    sessions: format!(
                        "{} sessions a week, about {} minutes each",
                        p.sessions_per_week, p.session_minutes
                    ),
                    exercises: p
                        .exercises
                        .iter()
                        .filter_map(|x| {
                            let e = kb.exercises.iter().find(|e| e.id == x.id)?;
                            Some(ExerciseView {
                                name: e.name.clone(),
                                goal: e.goal.as_str().replace('_', " "),
                                dose: e.dose.clone(),
                                steps: e.steps.clone(),
                                this_phase: match x.variant {
                                    dorsum_care::Variant::Easier => e.regression.clone(),
                                    dorsum_care::Variant::Harder => e.progression.clone(),
                                    dorsum_care::Variant::Standard => None,
                                },
                            })
                        })
                        .collect(),
                })
                .collect(),
            habits: text_of(&plan.habits),
            advice: text_of(&plan.advice),
            medication: text_of(&plan.medication),
        }
    }
}

/// The result page.
#[derive(Template)]
#[template(path = "result.html")]
pub struct ResultPage {
    pub layout: Layout,
    pub state: String,
    pub level: &'static str,
    pub emergency: bool,
    pub heading: &'static str,
    pub action: String,
    pub service: Option<ServiceView>,
    pub emergency_tel: String,
    pub reasons: Vec<String>,
    pub region: &'static str,
    pub region_name: &'static str,
    pub region_explained: String,
    pub causes: Vec<CauseView>,
    pub understood: Vec<String>,
    pub answers: Vec<(String, String)>,
    pub plan: PlanView,
    pub stopped: Option<&'static str>,
    pub disclaimer: &'static str,
}

impl ResultPage {
    pub fn new(
        layout: Layout,
        kb: &Kb,
        state: String,
        r: &AssessResponse<'_>,
        plan: PlanView,
    ) -> ResultPage {
        let res = &r.result;
        let level: TriageLevel = res
            .triage
            .level
            .parse()
            .unwrap_or(TriageLevel::Consultation);
        let emergency = matches!(
            level,
            TriageLevel::EmergencyAmbulance | TriageLevel::Emergency
        );
        let emergency_tel = layout.emergency_tel.clone();
        let mut reasons: Vec<String> = Vec::new();
        for why in &res.triage.reasons {
            if !reasons.iter().any(|r| r == why.text) {
                reasons.push(why.text.to_string());
            }
        }
        ResultPage {
            emergency_tel,
            layout,
            state,
            level: res.triage.level,
            emergency,
            heading: level_heading(level),
            action: res.triage.action.clone(),
            service: res.triage.service.as_ref().map(ServiceView::of),
            reasons,
            region: res.region,
            region_name: region_name(res.region),
            region_explained: region_explained(kb, res.region),
            causes: res
                .conditions
                .iter()
                .take(5)
                .map(|c| CauseView {
                    name: c.name.to_string(),
                    clinical_name: c.clinical_name.to_string(),
                    percent: percent(c.probability),
                    serious: c.category != "musculoskeletal",
                    pointed: c
                        .evidence_for
                        .iter()
                        .take(4)
                        .map(|w| weight_words(w.name, w.present))
                        .collect(),
                    against: c
                        .evidence_against
                        .iter()
                        .take(3)
                        .map(|w| weight_words(w.name, w.present))
                        .collect(),
                })
                .collect(),
            understood: res
                .findings
                .iter()
                .filter(|f| f.span.is_some())
                .map(|f| format!("{} ({})", f.name, assertion_words(f.assertion)))
                .collect(),
            answers: r
                .result
                .interview
                .as_ref()
                .map(|i| {
                    i.questions
                        .iter()
                        .map(|q| (q.question.clone(), q.answer.replace('_', " ")))
                        .collect()
                })
                .unwrap_or_default(),
            plan,
            stopped: r.stop_reason,
            disclaimer: res.disclaimer,
        }
    }
}

fn weight_words(name: &str, present: bool) -> String {
    if present {
        name.to_string()
    } else {
        format!("no {}", lower_first(name))
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.chars().nth(1).is_some_and(|n| n.is_uppercase()) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

fn percent(p: f64) -> String {
    if p < 0.01 {
        "under 1%".into()
    } else {
        format!("about {:.0}%", p * 100.0)
    }
}

/// An assertion in plain words.
pub fn assertion_words(a: &str) -> &'static str {
    match a {
        "affirmed" => "you have this",
        "negated" => "you do not have this",
        "uncertain" => "you are not sure",
        "historical" => "in the past",
        "hypothetical" => "only if or when something happens",
        "other_person" | "family" => "about someone else",
        _ => "noted",
    }
}

/// What to do at a level, as a page heading.
pub fn level_heading(level: TriageLevel) -> &'static str {
    match level {
        TriageLevel::EmergencyAmbulance => "Call an ambulance now",
        TriageLevel::Emergency => "Go to an emergency department now",
        TriageLevel::Consultation24 => "See a doctor within 24 hours",
        TriageLevel::Consultation => "Book an appointment with a doctor or physiotherapist",
        TriageLevel::SelfCare => "You can look after this at home",
    }
}

fn region_name(region: &str) -> &'static str {
    match region {
        "neck" => "Your neck",
        "upper" => "Your upper back (thoracic spine)",
        "lower" => "Your lower back (lumbar spine)",
        "both" => "Both your upper and lower back",
        _ => "Your back",
    }
}

/// What the region is and what usually hurts there: the knowledge base's `explanation` entry for it
/// (kb/care/treatments.toml, cited there).
fn region_explained(kb: &Kb, region: &str) -> String {
    let region = region.parse::<dorsum_kb::Region>().ok();
    kb.treatments
        .iter()
        .find(|t| {
            t.kind == dorsum_kb::TreatmentKind::Explanation
                && region.is_some_and(|r| t.regions.contains(&r))
        })
        .map_or_else(
            || {
                "Mark where it hurts on the body map next time to get a more specific explanation."
                    .into()
            },
            |t| t.text.clone(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_its_explanation_from_the_knowledge_base() {
        let kb = dorsum_kb::embedded::load_embedded().unwrap();
        for (region, words) in [
            ("upper", "twelve vertebrae"),
            ("lower", "lumbar"),
            ("neck", "cervical"),
            ("both", "upper and lower back"),
        ] {
            assert!(region_explained(&kb, region).contains(words), "{region}");
        }
        assert!(region_explained(&kb, "unknown").contains("body map"));
    }
}

/// The diary page.
#[derive(Template)]
#[template(path = "diary.html")]
pub struct DiaryPage {
    pub layout: Layout,
    pub notice: Option<String>,
    pub warning: Option<WarningView>,
    pub errors: Vec<String>,
    pub today: String,
    pub follow_up: String,
    pub last: Option<String>,
    pub plan: Option<PlanView>,
    pub entries: Vec<EntryView>,
    pub chart_alt: String,
    pub pegs: Vec<(String, String)>,
    /// The PEG questions, as the care crate words them.
    pub peg_items: &'static [dorsum_care::PegItem],
    /// The PSFS prompts, as the care crate words them.
    pub psfs_prompt: &'static str,
    pub psfs_score_prompt: &'static str,
    pub psfs_low: &'static str,
    pub psfs_high: &'static str,
    /// PSFS entries, newest first: date, mean score, the activities.
    pub psfs: Vec<(String, String, String)>,
}

/// A warning raised by new symptoms in a diary entry.
pub struct WarningView {
    pub heading: String,
    pub action: String,
    pub reasons: Vec<String>,
    pub emergency: bool,
    pub tel: String,
}

/// A diary entry as listed.
pub struct EntryView {
    pub id: String,
    pub date: String,
    pub pain: u8,
    pub sessions: u32,
    pub symptoms: String,
    pub note: String,
}

/// A page for a request that cannot go on (bad or stale form data, nothing found).
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub title: String,
    pub message: String,
}
