//! The `/api/v1` routes, their handlers and their wire types (request bodies are validated by hand from
//! JSON values so that every problem names its field; the typed structs here document them for OpenAPI).

use crate::SharedState;
use crate::problem::{JsonBody, Problem};
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use dorsum_app::care::{
    Retriage, advice_line, baseline, follow_up_now, plan_from_saved, points, retriage, saved_on,
    today,
};
use dorsum_app::pipeline::{MAX_TEXT_BYTES, parse_text, whole_number};
use dorsum_app::replay::{self, InputError};
use dorsum_app::wire::{ParsedFinding, QuantityJson, RedFlagJson, ServiceJson, TriageJson, schema};
use dorsum_care::{Peg, PlanOutcome, pain_chart};
use dorsum_intake::TextIntake;
use dorsum_kb::{Citation, Kb, Region};
use dorsum_store::{Date, NewDiaryEntry, NewPeg, Score, Storage};
use serde::Serialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// Every route as (method, path); the tests check each is served and in the OpenAPI document, and that
/// the document has no other.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/parse"),
    ("post", "/api/v1/assess"),
    ("post", "/api/v1/triage"),
    ("get", "/api/v1/kb/conditions"),
    ("get", "/api/v1/kb/findings"),
    ("get", "/api/v1/kb/exercises"),
    ("get", "/api/v1/care"),
    ("get", "/api/v1/diary"),
    ("post", "/api/v1/diary"),
    ("get", "/api/v1/diary/{id}"),
    ("put", "/api/v1/diary/{id}"),
    ("delete", "/api/v1/diary/{id}"),
    ("get", "/api/v1/assessments"),
    ("post", "/api/v1/assessments"),
    ("get", "/api/v1/diary/peg"),
    ("post", "/api/v1/diary/peg"),
    ("get", "/api/v1/diary/psfs"),
    ("post", "/api/v1/diary/psfs"),
    ("get", "/api/v1/diary/chart.svg"),
    ("get", "/api/v1/export"),
    ("get", "/api/v1/report"),
    ("get", "/api/v1/fhir/bundle"),
    ("delete", "/api/v1/data"),
];

/// Every route (listed in [`ROUTES`]).
pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(crate::openapi::document))
        .route("/api/v1/parse", post(parse))
        .route("/api/v1/assess", post(assess))
        .route("/api/v1/triage", post(triage))
        .route("/api/v1/kb/conditions", get(conditions))
        .route("/api/v1/kb/findings", get(findings))
        .route("/api/v1/kb/exercises", get(exercises))
        .route("/api/v1/care", get(care))
        .route("/api/v1/diary", get(diary_list).post(diary_add))
        .route(
            "/api/v1/diary/{id}",
            get(diary_get).put(diary_update).delete(diary_delete),
        )
        .route(
            "/api/v1/assessments",
            get(assessments_list).post(assessments_save),
        )
        .route("/api/v1/diary/peg", get(peg_list).post(peg_add))
        .route("/api/v1/diary/psfs", get(psfs_list).post(psfs_add))
        .route("/api/v1/diary/chart.svg", get(chart))
        .route("/api/v1/export", get(export))
        .route("/api/v1/report", get(report))
        .route("/api/v1/fhir/bundle", get(fhir_bundle))
        .route("/api/v1/data", delete(delete_data))
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a response");
            Problem::internal().into_response()
        }
    }
}

fn unknown_fields(obj: &serde_json::Map<String, Value>, allowed: &[&str]) -> Vec<InputError> {
    obj.keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| InputError {
            field: k.clone(),
            message: format!("unknown field; the fields are {}", allowed.join(", ")),
            mismatch: false,
        })
        .collect()
}

fn object<'a>(
    body: &'a Value,
    example: &str,
) -> Result<&'a serde_json::Map<String, Value>, Problem> {
    body.as_object().ok_or_else(|| {
        Problem::fields(vec![InputError {
            field: String::new(),
            message: format!("the body must be a JSON object like {example}"),
            mismatch: false,
        }])
    })
}

// ---- health -----------------------------------------------------------------------------------

/// Liveness and what is loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
    /// The server's version.
    pub version: &'static str,
    /// The knowledge-base version results are made with.
    pub kb_version: String,
    /// Where care routing comes from: a care file path, or `default`.
    pub care: String,
}

/// Is the server up?
#[utoipa::path(get, path = "/api/v1/health", tag = "meta",
    responses((status = 200, description = "The server is up", body = Health),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn health(State(s): State<SharedState>) -> Response {
    json(
        StatusCode::OK,
        &Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
            kb_version: s.dorsum.kb.version.clone(),
            care: s
                .dorsum
                .care
                .file
                .clone()
                .unwrap_or_else(|| "default".into()),
        },
    )
}

// ---- parse ------------------------------------------------------------------------------------

/// Text to read.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct ParseRequest {
    /// The description, in the person's own words (at most 10,000 bytes).
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    text: String,
}

/// What the intake understood.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParseResponse<'a> {
    pub text: &'a str,
    pub findings: Vec<ParsedFinding<'a>>,
    pub quantities: Vec<QuantityJson>,
}

/// Text to findings with byte spans, assertions, sides and radiation.
#[utoipa::path(post, path = "/api/v1/parse", tag = "assessment",
    request_body(content = ParseRequest, content_type = "application/json"),
    responses((status = 200, description = "What the text says", body = ParseResponse),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`)", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn parse(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let obj = object(&body, r#"{"text": "..."}"#)?;
    let mut errors = unknown_fields(obj, &["text"]);
    let text = parse_text(obj.get("text"))
        .map_err(|e| {
            errors.push(InputError {
                field: e.field.into(),
                message: e.message,
                mismatch: false,
            })
        })
        .ok();
    let (Some(text), true) = (text, errors.is_empty()) else {
        return Err(Problem::fields(errors));
    };
    let kb = &s.dorsum.kb;
    let mentions = s.dorsum.intake.read(&text);
    let (findings, quantities) = dorsum_app::wire::parsed(kb, &mentions, &text);
    Ok(json(
        StatusCode::OK,
        &ParseResponse {
            text: &text,
            findings,
            quantities,
        },
    ))
}

// ---- assess and triage ------------------------------------------------------------------------

/// An explicitly stated finding.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    id: FindingId,
    present: bool,
}

/// A finding id (`GET /api/v1/kb/findings`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct FindingId(String);

/// An exercise id (`GET /api/v1/kb/exercises`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ExerciseId(String);

/// A one-word answer.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum AnswerWord {
    Yes,
    No,
    DontKnow,
    None,
}

/// An answer: a word, the chosen option ids (one for `one_of`), or a number for `number` questions.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum AnswerValue {
    Word(AnswerWord),
    Chosen(Vec<FindingId>),
    Number(u8),
}

/// One answer, in the order the questions came.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct AnswerItem {
    /// The option ids of the question answered (`next_question.options[].id`), to check the answer is to
    /// the question the interview asks at this point.
    #[schema(min_items = 1)]
    options: Vec<FindingId>,
    answer: AnswerValue,
}

/// An assessment request: age and sex, plus free text, explicit evidence, the answers so far, or any mix.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct AssessRequest {
    /// An id to echo back (otherwise a hash of the request).
    #[schema(min_length = 1, max_length = 200)]
    id: Option<String>,
    #[schema(minimum = 0, maximum = 120)]
    age: u8,
    sex: schema::Sex,
    /// What the pain is like, in the person's words (at most 10,000 bytes).
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    text: Option<String>,
    #[schema(max_items = 500)]
    evidence: Option<Vec<EvidenceItem>>,
    #[schema(max_items = 20)]
    answers: Option<Vec<AnswerItem>>,
}

fn replay(s: &SharedState, body: &Value) -> Result<(replay::Request, replay::Replay), Problem> {
    let request = replay::parse_request(&s.dorsum.kb, body).map_err(Problem::fields)?;
    let replayed =
        replay::replay(&s.dorsum, &s.index, &request).map_err(|e| Problem::fields(vec![e]))?;
    Ok((request, replayed))
}

/// The result object (BRIEF §5) with the interview so far and the next question, or why it stopped.
///
/// Stateless: send the answers so far each time; the server replays the interview and checks that each
/// answer's `options` are those of the question asked at that point.
#[utoipa::path(post, path = "/api/v1/assess", tag = "assessment",
    request_body(content = AssessRequest, content_type = "application/json"),
    responses((status = 200, description = "The result so far, and the next question unless `should_stop`", body = AssessResponse),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "An answer is not to the question the interview asks at that point (named in `field`)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`)", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn assess(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let (request, replayed) = replay(&s, &body)?;
    let answered = replayed.answered(&s.dorsum.kb, &request);
    let response = replayed.response(&s.dorsum, &request, &answered);
    Ok(json(StatusCode::OK, &response))
}

pub use dorsum_app::replay::AssessResponse;

/// The triage alone.
#[derive(Debug, Serialize, ToSchema)]
pub struct TriageResponse<'a> {
    #[schema(minimum = 1, maximum = 1)]
    pub schema: u32,
    pub kb_version: &'a str,
    pub id: String,
    pub triage: TriageJson<'a>,
    pub red_flags: Vec<RedFlagJson<'a>>,
}

/// Triage and red flags only, for the same input as `/api/v1/assess`.
#[utoipa::path(post, path = "/api/v1/triage", tag = "assessment",
    request_body(content = AssessRequest, content_type = "application/json"),
    responses((status = 200, description = "The triage and the red flags that fired", body = TriageResponse),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "An answer is not to the question asked at that point", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`)", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn triage(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let (request, replayed) = replay(&s, &body)?;
    let answered = replayed.answered(&s.dorsum.kb, &request);
    let full = replayed.response(&s.dorsum, &request, &answered);
    let id = full.result.id.as_str().unwrap_or_default().to_string();
    Ok(json(
        StatusCode::OK,
        &TriageResponse {
            schema: 1,
            kb_version: &s.dorsum.kb.version,
            id,
            triage: full.result.triage,
            red_flags: full.result.red_flags,
        },
    ))
}

// ---- knowledge base ---------------------------------------------------------------------------

/// A published source.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

/// Where a number or rule comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitationJson<'a> {
    pub sources: Vec<SourceJson<'a>>,
    /// True when no published figure exists and the value is a reasoned estimate.
    pub estimate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<&'a str>,
}

fn citation<'a>(kb: &'a Kb, c: &'a Citation) -> CitationJson<'a> {
    CitationJson {
        sources: c
            .cite
            .iter()
            .filter_map(|id| kb.source(id))
            .map(|s| SourceJson {
                id: &s.id,
                title: &s.title,
                authors: s.authors.as_deref(),
                publication: s.publication.as_deref(),
                url: s.url.as_deref(),
            })
            .collect(),
        estimate: c.estimate,
        rationale: c.rationale.as_deref(),
    }
}

/// A condition the knowledge base knows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConditionInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub clinical_name: &'a str,
    #[schema(value_type = Vec<String>)]
    pub icd10: &'a [String],
    #[schema(value_type = schema::Category)]
    pub category: &'static str,
    #[schema(value_type = schema::Region)]
    pub region: &'static str,
    /// The triage level when its probability reaches `threshold`.
    #[schema(value_type = schema::TriageLevel)]
    pub urgency: &'static str,
    #[schema(minimum = 0, maximum = 1)]
    pub threshold: f64,
    pub threshold_citation: CitationJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
}

/// Every condition.
#[utoipa::path(get, path = "/api/v1/kb/conditions", tag = "knowledge",
    responses((status = 200, description = "The conditions, in knowledge-base order", body = Vec<ConditionInfo>),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn conditions(State(s): State<SharedState>) -> Response {
    let kb = &s.dorsum.kb;
    let list: Vec<ConditionInfo> = kb
        .conditions
        .iter()
        .map(|c| ConditionInfo {
            id: &c.id,
            name: &c.name,
            clinical_name: &c.clinical_name,
            icd10: &c.icd10,
            category: c.category.as_str(),
            region: c.region.as_str(),
            urgency: c.urgency.as_str(),
            threshold: c.threshold,
            threshold_citation: citation(kb, &c.threshold_citation),
            summary: c.summary.as_deref(),
        })
        .collect();
    json(StatusCode::OK, &list)
}

/// A finding: something a person can report or be asked about.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// What sort of finding (location, radiation, symptom, risk_factor, ...).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::Region>)]
    pub region: Option<&'static str>,
    /// The question the interview asks about it.
    pub question: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// True when a red-flag rule tests it.
    pub red_flag: bool,
    /// The question group it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    /// Only people of this sex can have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::Sex>)]
    pub sex: Option<&'static str>,
}

/// Every finding (the ids `evidence` and `answers` use).
#[utoipa::path(get, path = "/api/v1/kb/findings", tag = "knowledge",
    responses((status = 200, description = "The findings, in knowledge-base order", body = Vec<FindingInfo>),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn findings(State(s): State<SharedState>) -> Response {
    let kb = &s.dorsum.kb;
    let list: Vec<FindingInfo> = kb
        .findings
        .iter()
        .map(|f| FindingInfo {
            id: &f.id,
            name: &f.name,
            kind: f.kind.as_str(),
            region: f.region.map(|r| r.as_str()),
            question: &f.question,
            help: f.help.as_deref(),
            red_flag: f.red_flag,
            group: f.group.map(|g| kb.group(g).id.as_str()),
            sex: f.sex.map(|s| s.as_str()),
        })
        .collect();
    json(StatusCode::OK, &list)
}

/// What rules an exercise out.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContraindicationsJson<'a> {
    /// Finding ids.
    pub findings: Vec<&'a str>,
    /// Condition ids.
    pub conditions: Vec<&'a str>,
}

/// A self-care exercise with its citation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    #[schema(value_type = Vec<schema::Region>)]
    pub regions: Vec<&'static str>,
    #[schema(value_type = schema::Goal)]
    pub goal: &'static str,
    pub steps: &'a [String],
    pub dose: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progression: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regression: Option<&'a str>,
    /// Condition ids it suits best.
    pub suits: Vec<&'a str>,
    pub contraindications: ContraindicationsJson<'a>,
    pub citation: CitationJson<'a>,
}

/// Every exercise, with contraindications and citations.
#[utoipa::path(get, path = "/api/v1/kb/exercises", tag = "knowledge",
    responses((status = 200, description = "The exercises, in knowledge-base order", body = Vec<ExerciseInfo>),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn exercises(State(s): State<SharedState>) -> Response {
    let kb = &s.dorsum.kb;
    let list: Vec<ExerciseInfo> = kb
        .exercises
        .iter()
        .map(|e| ExerciseInfo {
            id: &e.id,
            name: &e.name,
            regions: e.regions.iter().map(|r| r.as_str()).collect(),
            goal: e.goal.as_str(),
            steps: &e.steps,
            dose: &e.dose,
            progression: e.progression.as_deref(),
            regression: e.regression.as_deref(),
            suits: e
                .suits
                .iter()
                .map(|&c| kb.condition(c).id.as_str())
                .collect(),
            contraindications: ContraindicationsJson {
                findings: e
                    .contraindications
                    .findings
                    .iter()
                    .map(|&f| kb.finding(f).id.as_str())
                    .collect(),
                conditions: e
                    .contraindications
                    .conditions
                    .iter()
                    .map(|&c| kb.condition(c).id.as_str())
                    .collect(),
            },
            citation: citation(kb, &e.citation),
        })
        .collect();
    json(StatusCode::OK, &list)
}

// ---- care routing -----------------------------------------------------------------------------

/// Where one triage level sends the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct RouteJson {
    #[schema(value_type = schema::TriageLevel)]
    pub level: &'static str,
    /// What to do, in plain words.
    pub action: String,
    pub service: ServiceJson,
}

/// The care routing in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareJson {
    /// The care file, or `default`.
    pub source: String,
    /// Every level, least urgent first.
    pub routes: Vec<RouteJson>,
}

/// The service each triage level routes to (the clinic's care file, or the default).
#[utoipa::path(get, path = "/api/v1/care", tag = "knowledge",
    responses((status = 200, description = "One route per triage level", body = CareJson),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn care(State(s): State<SharedState>) -> Response {
    json(StatusCode::OK, &crate::care::routes(&s.dorsum))
}

// ---- diary ------------------------------------------------------------------------------------

/// A diary entry to add.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct NewDiaryEntryRequest {
    /// The day (YYYY-MM-DD); today when left out. Not in the future.
    #[schema(format = Date)]
    date: Option<String>,
    /// Pain now, 0 (none) to 10 (as bad as you can imagine).
    #[schema(minimum = 0, maximum = 10)]
    pain: u8,
    /// Where it hurts.
    region: Option<schema::Region>,
    /// Exercise sessions done that day.
    #[schema(minimum = 0, maximum = 100)]
    sessions: Option<u32>,
    /// New symptoms in the person's words (checked for warning signs at once).
    #[schema(max_length = 10000)]
    symptoms: Option<String>,
    /// A note.
    #[schema(max_length = 10000)]
    note: Option<String>,
    /// Exercises done (ids).
    #[schema(max_items = 50)]
    exercises: Option<Vec<ExerciseId>>,
}

/// A stored diary entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryEntryJson {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    #[schema(minimum = 0, maximum = 10)]
    pub pain: u8,
    #[schema(value_type = Option<schema::Region>)]
    pub region: Option<&'static str>,
    pub sessions: u32,
    pub symptoms: Option<String>,
    pub note: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&dorsum_store::DiaryEntry> for DiaryEntryJson {
    fn from(e: &dorsum_store::DiaryEntry) -> Self {
        DiaryEntryJson {
            id: e.id.clone(),
            date: e.date.to_string(),
            pain: e.pain.get(),
            region: e.region.map(|r| r.as_str()),
            sessions: e.sessions,
            symptoms: e.symptoms.clone(),
            note: e.note.clone(),
            created_at: e.created_at.to_string(),
        }
    }
}

/// What to do next, from the diary and the last saved assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpJson {
    /// needs_assessment, retriage, urgent_care, consultation, next_phase or continue.
    pub action: String,
    /// Which follow-up rule decided.
    pub rule: String,
    pub reason: String,
    /// One line to show.
    pub advice: String,
    /// Knowledge-base source ids.
    pub cite: Vec<String>,
    pub baseline_pain: Option<u8>,
}

fn follow_up_json(f: &dorsum_care::FollowUp) -> FollowUpJson {
    let word = |v: serde_json::Result<Value>| {
        v.ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    FollowUpJson {
        action: word(serde_json::to_value(f.action)),
        rule: word(serde_json::to_value(f.rule)),
        reason: f.reason.clone(),
        advice: advice_line(f),
        cite: f.cite.clone(),
        baseline_pain: f.baseline_pain,
    }
}

/// A warning raised by the symptoms typed with an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningJson {
    /// `new_red_flag`: the symptoms add a warning sign to the last assessment (its new triage follows);
    /// `warning_words`: no assessment to compare with, but the words name warning signs.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::TriageLevel>)]
    pub level: Option<&'static str>,
    /// What to do now.
    pub action: String,
    /// The reasons (for new_red_flag) or the warning signs named (for warning_words).
    pub reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceJson>,
}

/// The answer to adding an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryAdded {
    pub entry: DiaryEntryJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<WarningJson>,
    pub follow_up: FollowUpJson,
}

/// The last saved assessment, in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastAssessmentJson {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    #[schema(value_type = schema::TriageLevel)]
    pub triage: &'static str,
    #[schema(value_type = schema::Region)]
    pub region: &'static str,
    pub pain: Option<u8>,
}

/// The diary.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryList {
    pub last_assessment: Option<LastAssessmentJson>,
    /// By date, then creation order.
    pub entries: Vec<DiaryEntryJson>,
    pub follow_up: FollowUpJson,
}

fn parse_date(v: Option<&Value>, field: &str) -> Result<Date, InputError> {
    let bad = |m: String| InputError {
        field: field.into(),
        message: m,
        mismatch: false,
    };
    match v {
        None | Some(Value::Null) => Ok(today()),
        Some(Value::String(s)) => {
            let date: Date = s
                .trim()
                .parse()
                .map_err(|_| bad("is not a date: use YYYY-MM-DD, e.g. 2026-11-20".into()))?;
            if date > today() {
                return Err(bad(format!(
                    "{date} is in the future: give today ({}) or an earlier day",
                    today()
                )));
            }
            if date < dorsum_store::EARLIEST_DATE {
                return Err(bad("must be 1900-01-01 or later".into()));
            }
            Ok(date)
        }
        Some(_) => Err(bad("must be a date string YYYY-MM-DD".into())),
    }
}

fn parse_score(v: Option<&Value>, field: &str) -> Result<Score, InputError> {
    let bad = |m: &str| InputError {
        field: field.into(),
        message: m.into(),
        mismatch: false,
    };
    match v {
        None | Some(Value::Null) => Err(bad("is required: a whole number from 0 to 10")),
        Some(Value::Number(n)) => whole_number(n)
            .and_then(|n| Score::new(n as i64).ok())
            .ok_or_else(|| {
                bad(&format!(
                    "{n} is outside 0-10: give a whole number from 0 to 10"
                ))
            }),
        Some(_) => Err(bad("must be a whole number from 0 to 10")),
    }
}

fn parse_opt_text(v: Option<&Value>, field: &str) -> Result<Option<String>, InputError> {
    let bad = |m: String| InputError {
        field: field.into(),
        message: m,
        mismatch: false,
    };
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() > MAX_TEXT_BYTES => Err(bad(format!(
            "is {} bytes; at most {MAX_TEXT_BYTES} are kept",
            s.len()
        ))),
        Some(Value::String(s)) if s.contains('\0') => {
            Err(bad("must not contain NUL characters".into()))
        }
        Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.trim().is_empty())),
        Some(_) => Err(bad("must be a string".into())),
    }
}

/// Collect a field's result into `errors`.
fn take<T>(r: Result<T, InputError>, errors: &mut Vec<InputError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn new_entry(kb: &Kb, body: &Value) -> Result<NewDiaryEntry, Problem> {
    let obj = object(body, r#"{"pain": 3}"#)?;
    let mut errors = unknown_fields(
        obj,
        &[
            "date",
            "pain",
            "region",
            "sessions",
            "symptoms",
            "note",
            "exercises",
        ],
    );
    let date = take(parse_date(obj.get("date"), "date"), &mut errors);
    let pain = take(parse_score(obj.get("pain"), "pain"), &mut errors);
    let region = take(
        match obj.get("region") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(r)) => r.parse::<Region>().map(Some).map_err(|_| InputError {
                field: "region".into(),
                message: format!("'{r}' must be upper, lower, both or neck"),
                mismatch: false,
            }),
            Some(_) => Err(InputError {
                field: "region".into(),
                message: "must be upper, lower, both or neck".into(),
                mismatch: false,
            }),
        },
        &mut errors,
    );
    let sessions = take(
        match obj.get("sessions") {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) => whole_number(n)
                .filter(|&n| n <= 100)
                .map(|n| n as u32)
                .ok_or_else(|| InputError {
                    field: "sessions".into(),
                    message: format!("{n} is not a whole number of sessions from 0 to 100"),
                    mismatch: false,
                }),
            Some(_) => Err(InputError {
                field: "sessions".into(),
                message: "must be a whole number from 0 to 100".into(),
                mismatch: false,
            }),
        },
        &mut errors,
    );
    let symptoms = take(parse_opt_text(obj.get("symptoms"), "symptoms"), &mut errors);
    let note = take(parse_opt_text(obj.get("note"), "note"), &mut errors);
    let exercises = take(
        match obj.get("exercises") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(ids)) if ids.len() <= 50 => ids
                .iter()
                .enumerate()
                .map(|(i, v)| match v.as_str() {
                    Some(id) if kb.exercises.iter().any(|e| e.id == id) => Ok(id.to_string()),
                    _ => Err(InputError {
                        field: format!("exercises[{i}]"),
                        message: "is not an exercise id; GET /api/v1/kb/exercises lists them"
                            .into(),
                        mismatch: false,
                    }),
                })
                .collect(),
            Some(_) => Err(InputError {
                field: "exercises".into(),
                message: "must be an array of at most 50 exercise ids".into(),
                mismatch: false,
            }),
        },
        &mut errors,
    );
    match (date, pain, region, sessions, symptoms, note, exercises) {
        (
            Some(date),
            Some(pain),
            Some(region),
            Some(sessions),
            Some(symptoms),
            Some(note),
            Some(exercises),
        ) if errors.is_empty() => {
            let note = match (note, exercises.is_empty()) {
                (note, true) => note,
                (None, false) => Some(format!("Exercises done: {}", exercises.join(", "))),
                (Some(n), false) => Some(format!("{n} (exercises done: {})", exercises.join(", "))),
            };
            if note.as_ref().is_some_and(|n| n.len() > MAX_TEXT_BYTES) {
                return Err(Problem::field(
                    "note",
                    format!("with the exercises it is longer than {MAX_TEXT_BYTES} bytes"),
                ));
            }
            Ok(NewDiaryEntry {
                date,
                pain,
                region,
                sessions,
                symptoms,
                note,
            })
        }
        _ => Err(Problem::fields(errors)),
    }
}

/// What new symptoms in a diary entry call for: a new red flag against the last saved assessment (with its
/// level, reasons and where to go), or warning words when there is no assessment to compare with.
pub fn warning_for(
    s: &SharedState,
    saved: Option<&dorsum_store::SavedAssessment>,
    symptoms: &str,
) -> Option<WarningJson> {
    let kb = &s.dorsum.kb;
    match retriage(&s.dorsum, saved, symptoms) {
        Retriage::NewRedFlag(a) => Some(WarningJson {
            kind: "new_red_flag",
            level: Some(a.triage.level.as_str()),
            action: dorsum_app::pipeline::action(kb, a.triage.level),
            reasons: a
                .triage
                .reasons
                .iter()
                .filter(|r| r.level == a.triage.level)
                .map(|r| r.text.clone())
                .collect(),
            service: Some(s.dorsum.care.route(kb, a.triage.level)),
        }),
        Retriage::WarningWords(names) => Some(WarningJson {
            kind: "warning_words",
            level: None,
            action: format!(
                "You mentioned a possible warning sign. Do a new assessment now; if it is severe or sudden, call your emergency number ({}).",
                s.dorsum.care.emergency_number(kb)
            ),
            reasons: names,
            service: None,
        }),
        Retriage::Nothing => None,
    }
}

/// Add a diary entry; new symptoms are checked for warning signs at once.
#[utoipa::path(post, path = "/api/v1/diary", tag = "diary",
    request_body(content = NewDiaryEntryRequest, content_type = "application/json"),
    responses((status = 201, description = "Saved, with any warning and the follow-up advice", body = DiaryAdded),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`); nothing was saved", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn diary_add(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let kb = &s.dorsum.kb;
    let new = new_entry(kb, &body)?;
    let entry = s.store.add_diary_entry(&new).await?;
    let saved = s.store.latest_assessment().await?;
    let entries = s.store.list_diary_entries().await?;
    let warning = entry
        .symptoms
        .as_deref()
        .and_then(|symptoms| warning_for(&s, saved.as_ref(), symptoms));
    let f = follow_up_now(
        kb,
        saved.as_ref(),
        &points(&s.dorsum, saved.as_ref(), &entries),
    )?;
    Ok(json(
        StatusCode::CREATED,
        &DiaryAdded {
            entry: (&entry).into(),
            warning,
            follow_up: follow_up_json(&f),
        },
    ))
}

/// A diary entry id in the path.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct EntryPath {
    /// The entry's id (from `POST /api/v1/diary` or `GET /api/v1/diary`).
    #[param(max_length = 100)]
    id: String,
}

fn no_entry(id: &str) -> Problem {
    Problem::status(
        StatusCode::NOT_FOUND,
        format!(
            "there is no diary entry with id '{}'; GET /api/v1/diary lists them",
            id.chars().take(100).collect::<String>()
        ),
    )
}

/// One diary entry.
#[utoipa::path(get, path = "/api/v1/diary/{id}", tag = "diary", params(EntryPath),
    responses((status = 200, description = "The entry", body = DiaryEntryJson),
              (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn diary_get(
    State(s): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let entries = s.store.list_diary_entries().await?;
    match entries.iter().find(|e| e.id == id) {
        Some(e) => Ok(json(StatusCode::OK, &DiaryEntryJson::from(e))),
        None => Err(no_entry(&id)),
    }
}

/// Change a diary entry: the body is a whole entry, as for `POST /api/v1/diary`; the id and creation
/// time stay.
#[utoipa::path(put, path = "/api/v1/diary/{id}", tag = "diary", params(EntryPath),
    request_body(content = NewDiaryEntryRequest, content_type = "application/json"),
    responses((status = 200, description = "Changed", body = DiaryEntryJson),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such entry; nothing was written", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`); nothing was written", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn diary_update(
    State(s): State<SharedState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let new = new_entry(&s.dorsum.kb, &body)?;
    match s.store.update_diary_entry(&id, &new).await? {
        Some(e) => Ok(json(StatusCode::OK, &DiaryEntryJson::from(&e))),
        None => Err(no_entry(&id)),
    }
}

/// Delete one diary entry.
#[utoipa::path(delete, path = "/api/v1/diary/{id}", tag = "diary", params(EntryPath),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn diary_delete(
    State(s): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    if s.store.delete_diary_entry(&id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(no_entry(&id))
    }
}

/// A saved assessment, in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedAssessmentJson {
    pub id: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(value_type = schema::TriageLevel)]
    pub triage: &'static str,
    #[schema(value_type = schema::Region)]
    pub region: &'static str,
    #[schema(minimum = 0, maximum = 10)]
    pub pain: Option<u8>,
}

impl From<&dorsum_store::SavedAssessment> for SavedAssessmentJson {
    fn from(a: &dorsum_store::SavedAssessment) -> Self {
        SavedAssessmentJson {
            id: a.id.clone(),
            created_at: a.created_at.to_string(),
            triage: a.triage.as_str(),
            region: a.region.as_str(),
            pain: a.pain.map(|p| p.get()),
        }
    }
}

/// The saved assessments, oldest first (the latest is the one the diary's follow-up uses).
#[utoipa::path(get, path = "/api/v1/assessments", tag = "diary",
    responses((status = 200, description = "Saved assessments", body = Vec<SavedAssessmentJson>),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn assessments_list(State(s): State<SharedState>) -> Result<Response, Problem> {
    let all = s.store.list_assessments().await?;
    let out: Vec<SavedAssessmentJson> = all.iter().map(Into::into).collect();
    Ok(json(StatusCode::OK, &out))
}

/// Assess (as `POST /api/v1/assess`) and save the result, so the diary's follow-up and the report use
/// it. Save when the interview is over (`should_stop`), or whenever the person asks to.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "diary",
    request_body(content = AssessRequest, content_type = "application/json"),
    responses((status = 201, description = "Saved", body = SavedAssessmentJson),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "An answer is not to the question the interview asks at that point (named in `field`)", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`); nothing was saved", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn assessments_save(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let (request, replayed) = replay(&s, &body)?;
    let saved = save_replayed(&s, &request, &replayed).await?;
    Ok(json(
        StatusCode::CREATED,
        &SavedAssessmentJson::from(&saved),
    ))
}

/// Save a replayed interview's result (the API and the web pages share this).
pub async fn save_replayed(
    s: &SharedState,
    request: &replay::Request,
    replayed: &replay::Replay,
) -> Result<dorsum_store::SavedAssessment, Problem> {
    let answered = replayed.answered(&s.dorsum.kb, request);
    let response = replayed.response(&s.dorsum, request, &answered);
    let assessment = match &replayed.step {
        dorsum_engine::interview::Step::Ask { assessment, .. }
        | dorsum_engine::interview::Step::Done { assessment, .. } => &**assessment,
    };
    let mut all = dorsum_app::pipeline::observations(&replayed.mentions);
    all.extend(answered.iter().copied());
    let new = dorsum_app::persist::new_assessment(
        &s.dorsum,
        &request.case,
        &all,
        assessment,
        &response.result,
        replayed.pain_answer(),
    )
    .map_err(|_| Problem::internal())?;
    Ok(s.store.save_assessment(&new).await?)
}

/// The diary, the last assessment and the follow-up advice.
#[utoipa::path(get, path = "/api/v1/diary", tag = "diary",
    responses((status = 200, description = "The diary", body = DiaryList),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn diary_list(State(s): State<SharedState>) -> Result<Response, Problem> {
    let kb = &s.dorsum.kb;
    let saved = s.store.latest_assessment().await?;
    let entries = s.store.list_diary_entries().await?;
    let f = follow_up_now(
        kb,
        saved.as_ref(),
        &points(&s.dorsum, saved.as_ref(), &entries),
    )?;
    Ok(json(
        StatusCode::OK,
        &DiaryList {
            last_assessment: saved.as_ref().map(|a| LastAssessmentJson {
                id: a.id.clone(),
                date: saved_on(a).to_string(),
                triage: a.triage.as_str(),
                region: a.region.as_str(),
                pain: a.pain.map(|p| p.get()),
            }),
            entries: entries.iter().map(Into::into).collect(),
            follow_up: follow_up_json(&f),
        },
    ))
}

/// A PEG entry to add (Krebs 2009): three 0-10 answers about the past week.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct NewPegRequest {
    /// The day (YYYY-MM-DD); today when left out.
    #[schema(format = Date)]
    date: Option<String>,
    #[schema(minimum = 0, maximum = 10)]
    pain: u8,
    #[schema(minimum = 0, maximum = 10)]
    enjoyment: u8,
    #[schema(minimum = 0, maximum = 10)]
    activity: u8,
}

/// A stored PEG entry and its score.
#[derive(Debug, Serialize, ToSchema)]
pub struct PegJson {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    #[schema(minimum = 0, maximum = 10)]
    pub pain: u8,
    #[schema(minimum = 0, maximum = 10)]
    pub enjoyment: u8,
    #[schema(minimum = 0, maximum = 10)]
    pub activity: u8,
    /// The mean of the three.
    #[schema(minimum = 0, maximum = 10)]
    pub score: f64,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&dorsum_store::PegEntry> for PegJson {
    fn from(p: &dorsum_store::PegEntry) -> Self {
        let peg = Peg {
            pain: p.pain.get(),
            enjoyment: p.enjoyment.get(),
            activity: p.activity.get(),
        };
        PegJson {
            id: p.id.clone(),
            date: p.date.to_string(),
            pain: peg.pain,
            enjoyment: peg.enjoyment,
            activity: peg.activity,
            score: peg.score(),
            created_at: p.created_at.to_string(),
        }
    }
}

/// One PEG question, verbatim.
#[derive(Debug, Serialize, ToSchema)]
pub struct PegItemJson {
    /// `pain`, `enjoyment` or `activity`: the field to send.
    pub id: &'static str,
    pub question: &'static str,
    /// What 0 means.
    pub low: &'static str,
    /// What 10 means.
    pub high: &'static str,
}

/// The PEG questions and the entries so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct PegList {
    pub items: Vec<PegItemJson>,
    pub entries: Vec<PegJson>,
    pub citation: &'static str,
}

/// The PEG questions and every PEG entry.
#[utoipa::path(get, path = "/api/v1/diary/peg", tag = "diary",
    responses((status = 200, description = "The PEG questions and entries", body = PegList),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn peg_list(State(s): State<SharedState>) -> Result<Response, Problem> {
    let entries = s.store.list_peg().await?;
    Ok(json(
        StatusCode::OK,
        &PegList {
            items: dorsum_care::PEG_ITEMS
                .iter()
                .map(|i| PegItemJson {
                    id: i.id,
                    question: i.question,
                    low: i.low,
                    high: i.high,
                })
                .collect(),
            entries: entries.iter().map(Into::into).collect(),
            citation: dorsum_care::peg::PEG_CITATION,
        },
    ))
}

/// Record the weekly PEG scale.
#[utoipa::path(post, path = "/api/v1/diary/peg", tag = "diary",
    request_body(content = NewPegRequest, content_type = "application/json"),
    responses((status = 201, description = "Saved", body = PegJson),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`); nothing was saved", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn peg_add(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let obj = object(&body, r#"{"pain": 5, "enjoyment": 4, "activity": 6}"#)?;
    let mut errors = unknown_fields(obj, &["date", "pain", "enjoyment", "activity"]);
    let date = take(parse_date(obj.get("date"), "date"), &mut errors);
    let pain = take(parse_score(obj.get("pain"), "pain"), &mut errors);
    let enjoyment = take(parse_score(obj.get("enjoyment"), "enjoyment"), &mut errors);
    let activity = take(parse_score(obj.get("activity"), "activity"), &mut errors);
    let (Some(date), Some(pain), Some(enjoyment), Some(activity), true) =
        (date, pain, enjoyment, activity, errors.is_empty())
    else {
        return Err(Problem::fields(errors));
    };
    // The care crate's own check (the same bounds), so the score is the core's.
    Peg::new(
        i64::from(pain.get()),
        i64::from(enjoyment.get()),
        i64::from(activity.get()),
    )
    .map_err(|e| Problem::field("pain", e.to_string()))?;
    let saved = s
        .store
        .add_peg(&NewPeg {
            date,
            pain,
            enjoyment,
            activity,
        })
        .await?;
    Ok(json(StatusCode::CREATED, &PegJson::from(&saved)))
}

/// Pain over time as a standalone SVG (no scripts, fonts or links).
#[utoipa::path(get, path = "/api/v1/diary/chart.svg", tag = "diary",
    responses((status = 200, description = "The chart", body = String, content_type = "image/svg+xml"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn chart(State(s): State<SharedState>) -> Result<Response, Problem> {
    let kb = &s.dorsum.kb;
    let saved = s.store.latest_assessment().await?;
    let entries = s.store.list_diary_entries().await?;
    let plan = match &saved {
        Some(a) => match plan_from_saved(kb, a, dorsum_care::plan::DEFAULT_WEEKS)? {
            PlanOutcome::Plan(p) => Some(p),
            PlanOutcome::NoPlan(_) => None,
        },
        None => None,
    };
    let svg = pain_chart(
        &points(&s.dorsum, saved.as_ref(), &entries),
        plan.as_ref(),
        saved.as_ref().map(baseline).as_ref(),
    );
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "image/svg+xml")],
        svg,
    )
        .into_response())
}

/// Everything stored (`dorsum export --json`): assessments, diary, PEG and PSFS entries.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ExportJson {
    /// Always `dorsum-export`.
    format: String,
    version: u32,
    user_id: String,
    #[schema(format = DateTime)]
    exported_at: String,
    assessments: Vec<Object>,
    diary: Vec<DiaryEntryJson>,
    peg: Vec<Object>,
    psfs: Vec<Object>,
}

/// Any JSON object.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct Object(std::collections::HashMap<String, Value>);

/// Export everything stored.
#[utoipa::path(get, path = "/api/v1/export", tag = "diary",
    responses((status = 200, description = "Everything stored for the user", body = ExportJson),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn export(State(s): State<SharedState>) -> Result<Response, Problem> {
    let export = s.store.export().await?;
    Ok(json(StatusCode::OK, &export))
}

/// One PSFS activity as sent.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PsfsActivityRequest {
    /// The activity in the person's words.
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// 0 = unable to do it, 10 = able to do it as well as before the problem.
    #[schema(minimum = 0, maximum = 10)]
    score: u8,
}

/// A Patient-Specific Functional Scale entry to add (Stratford 1995).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
pub struct NewPsfsRequest {
    /// The day (YYYY-MM-DD); today when left out.
    #[schema(format = Date)]
    date: Option<String>,
    /// One to five activities, each named once.
    #[schema(min_items = 1, max_items = 5)]
    activities: Vec<PsfsActivityRequest>,
}

/// A stored PSFS entry and its score (the mean of the activities; higher is better).
#[derive(Debug, Serialize, ToSchema)]
pub struct PsfsJson {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    pub activities: Vec<PsfsActivityJson>,
    #[schema(minimum = 0, maximum = 10)]
    pub score: f64,
}

/// One activity of a stored PSFS entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct PsfsActivityJson {
    pub name: String,
    #[schema(minimum = 0, maximum = 10)]
    pub score: u8,
}

impl From<&dorsum_store::PsfsEntry> for PsfsJson {
    fn from(p: &dorsum_store::PsfsEntry) -> Self {
        PsfsJson {
            id: p.id.clone(),
            date: p.date.to_string(),
            score: dorsum_care::Psfs::new(
                p.activities
                    .iter()
                    .map(|a| (a.name.as_str(), i64::from(a.score.get()))),
            )
            .map_or(0.0, |psfs| psfs.score()),
            activities: p
                .activities
                .iter()
                .map(|a| PsfsActivityJson {
                    name: a.name.clone(),
                    score: a.score.get(),
                })
                .collect(),
        }
    }
}

/// The PSFS prompts and every entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct PsfsList {
    pub activity_prompt: &'static str,
    pub score_prompt: &'static str,
    pub low: &'static str,
    pub high: &'static str,
    pub entries: Vec<PsfsJson>,
    pub citation: &'static str,
}

/// The PSFS prompts and every PSFS entry.
#[utoipa::path(get, path = "/api/v1/diary/psfs", tag = "diary",
    responses((status = 200, description = "The PSFS prompts and entries", body = PsfsList),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn psfs_list(State(s): State<SharedState>) -> Result<Response, Problem> {
    let entries = s.store.list_psfs().await?;
    Ok(json(
        StatusCode::OK,
        &PsfsList {
            activity_prompt: dorsum_care::psfs::PSFS_ACTIVITY_PROMPT,
            score_prompt: dorsum_care::psfs::PSFS_SCORE_PROMPT,
            low: dorsum_care::psfs::PSFS_LOW,
            high: dorsum_care::psfs::PSFS_HIGH,
            entries: entries.iter().map(Into::into).collect(),
            citation: dorsum_care::psfs::PSFS_CITATION,
        },
    ))
}

/// Record the Patient-Specific Functional Scale: up to five activities the pain makes hard, each 0–10.
#[utoipa::path(post, path = "/api/v1/diary/psfs", tag = "diary",
    request_body(content = NewPsfsRequest, content_type = "application/json"),
    responses((status = 201, description = "Saved", body = PsfsJson),
              (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A field is invalid (named in `field`); nothing was saved", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn psfs_add(
    State(s): State<SharedState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let obj = object(
        &body,
        r#"{"activities": [{"name": "walking the dog", "score": 4}]}"#,
    )?;
    let mut errors = unknown_fields(obj, &["date", "activities"]);
    let date = take(parse_date(obj.get("date"), "date"), &mut errors);
    let mut given = Vec::new();
    match obj.get("activities") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(Value::as_str);
                let score = item.get("score").and_then(Value::as_i64);
                let extra = item
                    .as_object()
                    .and_then(|o| o.keys().find(|k| *k != "name" && *k != "score"));
                match (name, score, extra) {
                    (_, _, Some(k)) => errors.push(InputError {
                        field: format!("activities[{i}].{k}"),
                        message: "unknown field: an activity has only name and score".into(),
                        mismatch: false,
                    }),
                    (Some(n), Some(sc), None) => given.push((n.to_string(), sc)),
                    (None, _, _) => errors.push(InputError {
                        field: format!("activities[{i}].name"),
                        message: "is required: the activity in your own words".into(),
                        mismatch: false,
                    }),
                    (_, None, _) => errors.push(InputError {
                        field: format!("activities[{i}].score"),
                        message: "is required: a whole number from 0 to 10".into(),
                        mismatch: false,
                    }),
                }
            }
        }
        _ => errors.push(InputError {
            field: "activities".into(),
            message: "is required: an array of 1 to 5 {\"name\", \"score\"}".into(),
            mismatch: false,
        }),
    }
    let (Some(date), true) = (date, errors.is_empty()) else {
        return Err(Problem::fields(errors));
    };
    let (_, new) = dorsum_app::care::new_psfs(date, &given)
        .map_err(|e| Problem::field("activities", e.to_string()))?;
    let saved = s.store.add_psfs(&new).await?;
    Ok(json(StatusCode::CREATED, &PsfsJson::from(&saved)))
}

/// Which report format to download.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReportQuery {
    /// `pdf` (the default) or `html`.
    #[param(pattern = "^(pdf|html)$")]
    format: Option<String>,
}

fn report_problem(e: dorsum_report::Error) -> Problem {
    match e {
        dorsum_report::Error::NoAssessment | dorsum_report::Error::NothingToExport => {
            Problem::status(
                StatusCode::CONFLICT,
                "nothing saved yet: do a check and save it (POST /api/v1/assessments, or Save on the result page) first",
            )
        }
        other => Problem::status(StatusCode::CONFLICT, other.to_string()),
    }
}

/// The report to hand to a clinician (the latest assessment, the diary, PEG and PSFS), as a PDF or a
/// self-contained HTML file, sent as a download.
#[utoipa::path(get, path = "/api/v1/report", tag = "diary", params(ReportQuery),
    responses((status = 200, description = "The report file: PDF, or HTML with `format=html`",
               content((Vec<u8> = "application/pdf"), (String = "text/html"))),
              (status = 409, description = "No saved assessment yet", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "`format` is not pdf or html", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(s): State<SharedState>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let mut format = dorsum_report::ReportFormat::Pdf;
    for (k, v) in form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes()) {
        if k == "format" {
            format = match v.as_ref() {
                "pdf" => dorsum_report::ReportFormat::Pdf,
                "html" => dorsum_report::ReportFormat::Html,
                _ => return Err(Problem::field("format", "must be pdf or html")),
            };
        }
    }
    let export = s.store.export().await?;
    let records = dorsum_report::Records::from_export(&export);
    let Some(latest) = records.latest() else {
        return Err(report_problem(dorsum_report::Error::NoAssessment));
    };
    let kb = &s.dorsum.kb;
    let plan = plan_from_saved(kb, latest, dorsum_care::plan::DEFAULT_WEEKS).ok();
    let clock = dorsum_app::care::clock();
    let built = dorsum_report::Report::build(&dorsum_report::ReportInput {
        kb,
        records,
        plan: plan.as_ref(),
        clock: &clock,
    })
    .map_err(report_problem)?;
    let bytes = built.render(format);
    let (mime, name) = match format {
        dorsum_report::ReportFormat::Pdf => ("application/pdf", "dorsum-report.pdf"),
        dorsum_report::ReportFormat::Html => ("text/html; charset=utf-8", "dorsum-report.html"),
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Everything stored, as a FHIR R4 collection Bundle (Patient, QuestionnaireResponse, Observations,
/// Conditions) for a clinic's system.
#[utoipa::path(get, path = "/api/v1/fhir/bundle", tag = "diary",
    responses((status = 200, description = "A FHIR R4 Bundle (application/fhir+json)", body = Object, content_type = "application/fhir+json"),
              (status = 409, description = "Nothing stored yet", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn fhir_bundle(State(s): State<SharedState>) -> Result<Response, Problem> {
    let export = s.store.export().await?;
    let clock = dorsum_app::care::clock();
    let bundle = dorsum_report::fhir::bundle(&dorsum_report::fhir::BundleInput {
        kb: &s.dorsum.kb,
        records: dorsum_report::Records::from_export(&export),
        clock: &clock,
        user: s.store.user().as_str(),
    })
    .map_err(report_problem)?;
    let body = serde_json::to_vec(&bundle).map_err(|_| Problem::internal())?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/fhir+json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"dorsum-fhir-bundle.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// Confirmation for deleting everything.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DeleteQuery {
    /// Must be `all`.
    #[param(pattern = "^all$")]
    confirm: String,
}

/// How many records were deleted.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedJson {
    pub assessments: u64,
    pub diary: u64,
    pub peg: u64,
    pub psfs: u64,
}

/// Delete everything stored, in one transaction. Needs `?confirm=all`.
#[utoipa::path(delete, path = "/api/v1/data", tag = "diary", params(DeleteQuery),
    responses((status = 200, description = "Deleted", body = DeletedJson),
              (status = 422, description = "`confirm=all` is missing", body = Problem, content_type = "application/problem+json"),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_data(
    State(s): State<SharedState>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let confirmed = query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .any(|kv| kv == "confirm=all");
    if !confirmed {
        return Err(Problem::field(
            "confirm",
            "deleting everything needs ?confirm=all",
        ));
    }
    let d = s.store.delete_all().await?;
    Ok(json(
        StatusCode::OK,
        &DeletedJson {
            assessments: d.assessments,
            diary: d.diary,
            peg: d.peg,
            psfs: d.psfs,
        },
    ))
}
