//! The web pages people use: start (age, sex, body map, own words), "is this what you meant?", the
//! interview one question at a time, the result, and the diary. Plain HTML forms that work without
//! JavaScript (`static/app.js` only makes the body map clickable); no outside requests, no inline
//! scripts or styles (the CSP forbids them).
//!
//! A check in progress lives in the pages' hidden `state` field ([`state::WebCase`]) and is replayed on
//! each step, exactly as the stateless JSON API does; only "Save and start my diary" writes to the store.
//! Form posts from other sites are refused ([`same_origin`]).

pub mod bodymap;
pub mod state;
pub mod views;

use crate::SharedState;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use bodymap::View;
use dorsum_app::care::{
    advice_line, follow_up_now, plan_from_result, plan_from_saved, points, today,
};
use dorsum_app::replay::{self, InputError, Replay};
use dorsum_intake::TextIntake;
use dorsum_kb::TriageLevel;
use dorsum_store::{Date, NewDiaryEntry, NewPeg, Score, Storage};
use serde_json::{Value, json};
use state::{FormData, Stated, WebCase};
use views::*;

const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");

/// The page routes (every one outside `/api`).
pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/", get(start_page))
        .route("/start", post(start))
        .route("/confirm", post(confirm))
        .route("/check", post(check))
        .route("/save", post(save))
        .route("/diary", get(diary_page))
        .route("/diary/add", post(diary_add))
        .route("/diary/peg", post(peg_add))
        .route("/diary/psfs", post(psfs_add))
        .route("/diary/entry/{id}/delete", post(entry_delete))
        .route("/diary/delete-all", post(delete_all))
        .route("/diary/export", get(export))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route_layer(from_fn(same_origin))
}

/// Refuse state-changing requests sent by another site's page (cross-site form posts): the browser
/// says where a request comes from in `Sec-Fetch-Site` and `Origin`.
async fn same_origin(req: Request, next: Next) -> Response {
    if req.method() != axum::http::Method::GET && !from_this_site(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "This form was sent from another site, so it was not accepted.",
        )
            .into_response();
    }
    next.run(req).await
}

fn from_this_site(h: &HeaderMap) -> bool {
    // Browsers that send Fetch metadata say exactly where the request comes from. (With our
    // `Referrer-Policy: no-referrer` their `Origin` on a form post is "null", so it cannot be used.)
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .is_some_and(|rest| rest == host)
                || origin == "null"
        }
        _ => true,
    }
}

fn layout(s: &SharedState, nav: &'static str) -> Layout {
    let number = s.dorsum.care.emergency_number(&s.dorsum.kb);
    let dial = first_number(number);
    Layout {
        emergency_number: number.to_string(),
        emergency_tel: tel(&dial),
        emergency_dial: dial,
        nav,
    }
}

fn html(status: StatusCode, page: impl Template) -> Response {
    match page.render() {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(_) => {
            tracing::error!("a page template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Something went wrong showing this page. Nothing you entered was saved.",
            )
                .into_response()
        }
    }
}

fn error_page(s: &SharedState, status: StatusCode, title: &str, message: String) -> Response {
    html(
        status,
        ErrorPage {
            layout: layout(s, ""),
            title: title.into(),
            message,
        },
    )
}

/// The page for a form whose hidden state is not valid (tampered, or from an older version).
fn bad_state(s: &SharedState, errors: &[InputError]) -> Response {
    let detail = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    error_page(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "This check cannot go on",
        format!(
            "The answers carried by the page are not valid ({detail}). Please start a new check."
        ),
    )
}

/// Static files: long-cached is not needed (they are small); `no-store` comes from the hardening layer.
async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS).into_response()
}

async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
        .into_response()
}

fn start_view(s: &SharedState, errors: Vec<String>, case: &WebCase, age: String) -> StartPage {
    StartPage {
        layout: layout(s, "start"),
        errors,
        age,
        sex: case.sex.clone(),
        text: case.text.clone(),
        back: regions(View::Back, &case.regions),
        front: regions(View::Front, &case.regions),
    }
}

async fn start_page(State(s): State<SharedState>) -> Response {
    html(
        StatusCode::OK,
        start_view(&s, Vec::new(), &WebCase::default(), String::new()),
    )
}

/// The start form: validate, then show what was understood (or go straight to the questions).
async fn start(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let kb = &s.dorsum.kb;
    let age_text = form.get("age").unwrap_or("").trim().to_string();
    let mut errors = Vec::new();
    let age = match age_text.parse::<u8>() {
        Ok(a) if a <= 120 => a,
        _ => {
            errors.push("Age: enter your age in years, a whole number from 0 to 120.".to_string());
            0
        }
    };
    let sex = form.get("sex").unwrap_or("").to_string();
    if sex != "female" && sex != "male" {
        errors.push(
            "Sex: choose female or male (it changes how likely some causes are).".to_string(),
        );
    }
    let regions: Vec<String> = form
        .all("region")
        .into_iter()
        .filter(|r| bodymap::region(r).is_some())
        .collect();
    let text = form.get("text").unwrap_or("").to_string();
    if text.len() > dorsum_app::pipeline::MAX_TEXT_BYTES {
        errors.push(format!(
            "Your description is too long: at most {} characters.",
            dorsum_app::pipeline::MAX_TEXT_BYTES
        ));
    }
    let case = WebCase {
        age,
        sex,
        text,
        regions,
        ..WebCase::default()
    };
    if !errors.is_empty() {
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            start_view(&s, errors, &case, age_text),
        );
    }
    if case.text.trim().is_empty() {
        return step(&s, case, None);
    }
    let mentions = s.dorsum.intake.read(&case.text);
    if mentions.is_empty() {
        return step(&s, case, None);
    }
    let mut understood: Vec<UnderstoodView> = Vec::new();
    for m in &mentions {
        let f = kb.finding(m.finding);
        if understood.iter().any(|u| u.finding == f.id) {
            continue;
        }
        understood.push(UnderstoodView {
            finding: f.id.clone(),
            name: f.name.clone(),
            quote: case.text.get(m.span.0..m.span.1).unwrap_or("").to_string(),
            reading: assertion_words(m.assertion.as_str()),
        });
    }
    let region_labels = case
        .regions
        .iter()
        .filter_map(|r| bodymap::region(r).map(|r| r.label))
        .collect();
    html(
        StatusCode::OK,
        ConfirmPage {
            layout: layout(&s, "start"),
            state: case.encode(),
            understood,
            regions: region_labels,
        },
    )
}

/// Corrections to what was understood, then the first question.
async fn confirm(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let mut case = match WebCase::decode(form.get("state").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return bad_state(&s, &[field_error("state", e)]),
    };
    if form.get("edit").is_some() {
        let age = case.age.to_string();
        return html(StatusCode::OK, start_view(&s, Vec::new(), &case, age));
    }
    for (key, value) in &form.0 {
        let Some(id) = key.strip_prefix("fix.") else {
            continue;
        };
        if s.dorsum.kb.finding_ix(id).is_none() {
            return bad_state(&s, &[field_error(key, "is not a finding".into())]);
        }
        let present = match value.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            "unsure" => None,
            _ => continue,
        };
        case.dismissed.push(id.to_string());
        if let Some(present) = present {
            case.stated.push(Stated {
                id: id.to_string(),
                present,
            });
        }
    }
    step(&s, case, None)
}

fn field_error(field: &str, message: String) -> InputError {
    InputError {
        field: field.into(),
        message,
        mismatch: false,
    }
}

/// Replay the case and show the next question or the result. `previous` is an answer being changed.
fn step(s: &SharedState, case: WebCase, previous: Option<&Value>) -> Response {
    let kb = &s.dorsum.kb;
    let request = match case.request(kb) {
        Ok(r) => r,
        Err(errors) => return bad_state(s, &errors),
    };
    let replayed = match replay::replay(&s.dorsum, &s.index, &request) {
        Ok(r) => r,
        Err(e) => return bad_state(s, &[e]),
    };
    render_step(s, &case, &request, &replayed, previous)
}

fn render_step(
    s: &SharedState,
    case: &WebCase,
    request: &replay::Request,
    replayed: &Replay,
    previous: Option<&Value>,
) -> Response {
    let kb = &s.dorsum.kb;
    let answered = replayed.answered(kb, request);
    let response = replayed.response(&s.dorsum, request, &answered);
    match &response.next_question {
        Some(q) => {
            let mut page = QuestionPage::new(
                layout(s, "start"),
                kb,
                case.encode(),
                q,
                previous,
                !case.answers.is_empty(),
            );
            page.urgent = urgent_now(&response);
            html(StatusCode::OK, page)
        }
        None => {
            let plan = serde_json::to_value(&response.result).ok().and_then(|v| {
                plan_from_result(kb, &v, dorsum_care::plan::DEFAULT_WEEKS, today()).ok()
            });
            let plan = match plan {
                Some(p) => PlanView::of(kb, &p),
                None => PlanView {
                    heading: "No exercise plan for now".into(),
                    no_plan: Some(response.result.triage.action.clone()),
                    phases: Vec::new(),
                    habits: Vec::new(),
                    advice: Vec::new(),
                    medication: Vec::new(),
                },
            };
            html(
                StatusCode::OK,
                ResultPage::new(layout(s, "start"), kb, case.encode(), &response, plan),
            )
        }
    }
}

/// One interview step: record the answer (or go back one) and show what comes next.
async fn check(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let kb = &s.dorsum.kb;
    let mut case = match WebCase::decode(form.get("state").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return bad_state(&s, &[field_error("state", e)]),
    };
    if form.get("back").is_some() {
        let previous = case.answers.pop();
        return step(&s, case, previous.as_ref());
    }
    let request = match case.request(kb) {
        Ok(r) => r,
        Err(errors) => return bad_state(&s, &errors),
    };
    let replayed = match replay::replay(&s.dorsum, &s.index, &request) {
        Ok(r) => r,
        Err(e) => return bad_state(&s, &[e]),
    };
    let dorsum_engine::interview::Step::Ask { question, .. } = &replayed.step else {
        // The interview already stopped (a resent form): show the result again.
        return render_step(&s, &case, &request, &replayed, None);
    };
    let options: Vec<&str> = question
        .options
        .iter()
        .map(|&f| kb.finding(f).id.as_str())
        .collect();
    let answer = match form.get("answer").unwrap_or("") {
        a @ ("yes" | "no" | "dont_know" | "none") => json!(a),
        "chosen" => {
            let chosen = form.all("choice");
            if chosen.is_empty() {
                json!("none")
            } else {
                json!(chosen)
            }
        }
        "number" => match form.get("number").unwrap_or("").trim().parse::<u8>() {
            Ok(n) => json!(n),
            Err(_) => {
                return answer_problem(
                    &s,
                    &case,
                    &request,
                    &replayed,
                    "Enter a whole number, or choose \"I don't know\".",
                );
            }
        },
        _ => {
            return answer_problem(&s, &case, &request, &replayed, "Choose one of the answers.");
        }
    };
    case.answers
        .push(json!({"options": options, "answer": answer}));
    let next_request = match case.request(kb) {
        Ok(r) => r,
        Err(errors) => return bad_state(&s, &errors),
    };
    match replay::replay(&s.dorsum, &s.index, &next_request) {
        Ok(r) => render_step(&s, &case, &next_request, &r, None),
        Err(e) if !e.mismatch => {
            case.answers.pop();
            answer_problem(&s, &case, &request, &replayed, &e.message)
        }
        Err(e) => bad_state(&s, &[e]),
    }
}

/// The same question again, saying what was wrong with the answer.
fn answer_problem(
    s: &SharedState,
    case: &WebCase,
    request: &replay::Request,
    replayed: &Replay,
    message: &str,
) -> Response {
    let kb = &s.dorsum.kb;
    let answered = replayed.answered(kb, request);
    let response = replayed.response(&s.dorsum, request, &answered);
    let Some(q) = &response.next_question else {
        return render_step(s, case, request, replayed, None);
    };
    let mut page = QuestionPage::new(
        layout(s, "start"),
        kb,
        case.encode(),
        q,
        None,
        !case.answers.is_empty(),
    );
    page.error = Some(message.to_string());
    page.urgent = urgent_now(&response);
    html(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// Save the finished check and open the diary.
async fn save(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let case = match WebCase::decode(form.get("state").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return bad_state(&s, &[field_error("state", e)]),
    };
    let request = match case.request(&s.dorsum.kb) {
        Ok(r) => r,
        Err(errors) => return bad_state(&s, &errors),
    };
    let replayed = match replay::replay(&s.dorsum, &s.index, &request) {
        Ok(r) => r,
        Err(e) => return bad_state(&s, &[e]),
    };
    match crate::api::save_replayed(&s, &request, &replayed).await {
        Ok(_) => Redirect::to("/diary?saved=1").into_response(),
        Err(p) => store_failed(&s, &p.detail),
    }
}

fn store_failed(s: &SharedState, detail: &str) -> Response {
    error_page(
        s,
        StatusCode::SERVICE_UNAVAILABLE,
        "Could not save",
        format!("Nothing was saved: {detail}. Go back and try again."),
    )
}

/// The diary: follow-up advice, the plan, the chart and entries, the forms.
async fn diary_page(
    State(s): State<SharedState>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> Response {
    let notice = match q.as_deref() {
        Some("saved=1") => Some("Your check is saved. Your plan and diary are below: start by naming the activities your pain makes hard (below), so you can see them improve.".to_string()),
        Some("psfs=1") => Some("Activities saved.".to_string()),
        Some("added=1") => Some("Diary entry saved.".to_string()),
        Some("peg=1") => Some("Weekly check saved.".to_string()),
        Some("deleted=1") => Some("Entry deleted.".to_string()),
        Some("deleted=all") => Some("Everything was deleted from this device.".to_string()),
        _ => None,
    };
    diary_view(&s, notice, None, Vec::new(), StatusCode::OK).await
}

async fn diary_view(
    s: &SharedState,
    notice: Option<String>,
    warning: Option<WarningView>,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let kb = &s.dorsum.kb;
    let loaded = async {
        let saved = s.store.latest_assessment().await?;
        let entries = s.store.list_diary_entries().await?;
        let pegs = s.store.list_peg().await?;
        let psfs = s.store.list_psfs().await?;
        Ok::<_, dorsum_store::Error>((saved, entries, pegs, psfs))
    }
    .await;
    let (saved, entries, pegs, psfs) = match loaded {
        Ok(x) => x,
        Err(e) => return store_failed(s, &e.to_string()),
    };
    let follow_up = match follow_up_now(
        kb,
        saved.as_ref(),
        &points(&s.dorsum, saved.as_ref(), &entries),
    ) {
        Ok(f) => advice_line(&f),
        Err(_) => "Do a new check to get follow-up advice.".to_string(),
    };
    let plan = saved
        .as_ref()
        .and_then(|a| plan_from_saved(kb, a, dorsum_care::plan::DEFAULT_WEEKS).ok())
        .map(|p| PlanView::of(kb, &p));
    let last = saved.as_ref().map(|a| {
        format!(
            "Last check: {} ({}), {} back.",
            dorsum_app::care::saved_on(a).strftime("%-d %B %Y"),
            level_heading(a.triage).to_lowercase(),
            a.region.as_str()
        )
    });
    let chart_alt = if entries.is_empty() {
        "Pain chart: no entries yet.".to_string()
    } else {
        format!(
            "Pain chart: {} entries from {} to {}, latest pain {} out of 10.",
            entries.len(),
            entries
                .first()
                .map(|e| e.date.to_string())
                .unwrap_or_default(),
            entries
                .last()
                .map(|e| e.date.to_string())
                .unwrap_or_default(),
            entries.last().map(|e| e.pain.get()).unwrap_or(0)
        )
    };
    html(
        status,
        DiaryPage {
            layout: layout(s, "diary"),
            notice,
            warning,
            errors,
            today: today().to_string(),
            follow_up,
            last,
            plan,
            entries: entries
                .iter()
                .rev()
                .map(|e| EntryView {
                    id: e.id.clone(),
                    date: e.date.to_string(),
                    pain: e.pain.get(),
                    sessions: e.sessions,
                    symptoms: e.symptoms.clone().unwrap_or_default(),
                    note: e.note.clone().unwrap_or_default(),
                })
                .collect(),
            chart_alt,
            peg_items: &dorsum_care::PEG_ITEMS,
            psfs_prompt: dorsum_care::psfs::PSFS_ACTIVITY_PROMPT,
            psfs_score_prompt: dorsum_care::psfs::PSFS_SCORE_PROMPT,
            psfs_low: dorsum_care::psfs::PSFS_LOW,
            psfs_high: dorsum_care::psfs::PSFS_HIGH,
            psfs: psfs
                .iter()
                .rev()
                .map(|p| {
                    let j = crate::api::PsfsJson::from(p);
                    (
                        j.date,
                        format!("{:.1}", j.score),
                        j.activities
                            .iter()
                            .map(|a| format!("{} {}/10", a.name, a.score))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                })
                .collect(),
            pegs: pegs
                .iter()
                .rev()
                .map(|p| {
                    let j = crate::api::PegJson::from(p);
                    (j.date, format!("{:.1}", j.score))
                })
                .collect(),
        },
    )
}

fn score_field(form: &FormData, key: &str, label: &str, errors: &mut Vec<String>) -> Option<Score> {
    match form
        .get(key)
        .unwrap_or("")
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|n| Score::new(n).ok())
    {
        Some(s) => Some(s),
        None => {
            errors.push(format!("{label}: choose a number from 0 to 10."));
            None
        }
    }
}

fn date_field(form: &FormData, errors: &mut Vec<String>) -> Option<Date> {
    let raw = form.get("date").unwrap_or("").trim();
    if raw.is_empty() {
        return Some(today());
    }
    match raw.parse::<Date>() {
        Ok(d) if d <= today() => Some(d),
        Ok(_) => {
            errors.push("Date: it cannot be in the future.".into());
            None
        }
        Err(_) => {
            errors.push("Date: use the form year-month-day, for example 2026-03-01.".into());
            None
        }
    }
}

fn text_field(form: &FormData, key: &str) -> Option<String> {
    form.get(key)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

/// Add a diary entry; new symptoms are checked for warning signs at once.
async fn diary_add(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let kb = &s.dorsum.kb;
    let mut errors = Vec::new();
    let date = date_field(&form, &mut errors);
    let pain = score_field(&form, "pain", "Pain", &mut errors);
    let sessions = match form.get("sessions").unwrap_or("").trim() {
        "" => Some(0),
        t => match t.parse::<u32>() {
            Ok(n) if n <= 100 => Some(n),
            _ => {
                errors.push("Exercise sessions: a whole number from 0 to 100.".into());
                None
            }
        },
    };
    let symptoms = text_field(&form, "symptoms");
    let note = text_field(&form, "note");
    for (label, t) in [("New symptoms", &symptoms), ("Note", &note)] {
        if t.as_ref()
            .is_some_and(|t| t.len() > dorsum_store::MAX_TEXT_BYTES)
        {
            errors.push(format!(
                "{label}: at most {} characters.",
                dorsum_store::MAX_TEXT_BYTES
            ));
        }
    }
    let (Some(date), Some(pain), Some(sessions), true) = (date, pain, sessions, errors.is_empty())
    else {
        return diary_view(&s, None, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let saved = match s.store.latest_assessment().await {
        Ok(a) => a,
        Err(e) => return store_failed(&s, &e.to_string()),
    };
    let new = NewDiaryEntry {
        date,
        pain,
        region: saved.as_ref().map(|a| a.region),
        sessions,
        symptoms: symptoms.clone(),
        note,
    };
    if let Err(e) = s.store.add_diary_entry(&new).await {
        return store_failed(&s, &e.to_string());
    }
    let warning = symptoms.as_deref().and_then(|text| {
        let w = crate::api::warning_for(&s, saved.as_ref(), text)?;
        let level = w.level.and_then(|l| l.parse::<TriageLevel>().ok());
        Some(WarningView {
            heading: level.map_or("Check this now", level_heading).to_string(),
            action: w.action,
            reasons: w.reasons,
            emergency: level.is_some_and(|l| l >= TriageLevel::Emergency),
            tel: tel(&first_number(s.dorsum.care.emergency_number(kb))),
        })
    });
    match warning {
        Some(w) => {
            diary_view(
                &s,
                Some("Diary entry saved.".into()),
                Some(w),
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        None => Redirect::to("/diary?added=1").into_response(),
    }
}

/// Add the weekly PEG check.
async fn peg_add(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let mut errors = Vec::new();
    let pain = score_field(&form, "peg_pain", "Average pain", &mut errors);
    let enjoyment = score_field(&form, "peg_enjoyment", "Enjoyment of life", &mut errors);
    let activity = score_field(&form, "peg_activity", "General activity", &mut errors);
    let (Some(pain), Some(enjoyment), Some(activity)) = (pain, enjoyment, activity) else {
        return diary_view(&s, None, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewPeg {
        date: today(),
        pain,
        enjoyment,
        activity,
    };
    match s.store.add_peg(&new).await {
        Ok(_) => Redirect::to("/diary?peg=1").into_response(),
        Err(e) => store_failed(&s, &e.to_string()),
    }
}

/// Add a PSFS entry: up to five activities (rows left empty are skipped).
async fn psfs_add(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    let names = form.all("activity");
    let scores = form.all("activity_score");
    let mut given = Vec::new();
    let mut errors = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = name.trim();
        let score = scores.get(i).map(|s| s.trim()).unwrap_or("");
        if name.is_empty() && score.is_empty() {
            continue;
        }
        match score.parse::<i64>() {
            Ok(n) if !name.is_empty() => given.push((name.to_string(), n)),
            _ if name.is_empty() => errors.push(format!("Activity {}: name the activity.", i + 1)),
            _ => errors.push(format!(
                "Activity {}: rate it from 0 (unable) to 10 (as well as before).",
                i + 1
            )),
        }
    }
    if errors.is_empty() && given.is_empty() {
        errors.push("Name at least one activity your pain makes hard, and rate it.".into());
    }
    if !errors.is_empty() {
        return diary_view(&s, None, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match dorsum_app::care::new_psfs(today(), &given) {
        Ok((_, new)) => match s.store.add_psfs(&new).await {
            Ok(_) => Redirect::to("/diary?psfs=1").into_response(),
            Err(e) => store_failed(&s, &e.to_string()),
        },
        Err(problem) => {
            diary_view(
                &s,
                None,
                None,
                vec![format!("Activities: {problem}.")],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn entry_delete(State(s): State<SharedState>, Path(id): Path<String>) -> Response {
    match s.store.delete_diary_entry(&id).await {
        Ok(true) => Redirect::to("/diary?deleted=1").into_response(),
        Ok(false) => error_page(
            &s,
            StatusCode::NOT_FOUND,
            "No such entry",
            "That diary entry does not exist (it may already be deleted).".into(),
        ),
        Err(e) => store_failed(&s, &e.to_string()),
    }
}

async fn delete_all(State(s): State<SharedState>, body: Bytes) -> Response {
    let form = FormData::parse(&body);
    if form.get("confirm") != Some("yes") {
        return diary_view(
            &s,
            None,
            None,
            vec![
                "To delete everything, tick the box that says you understand it cannot be undone."
                    .into(),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match s.store.delete_all().await {
        Ok(_) => Redirect::to("/diary?deleted=all").into_response(),
        Err(e) => store_failed(&s, &e.to_string()),
    }
}

/// Everything stored, as a JSON file to download.
async fn export(State(s): State<SharedState>) -> Response {
    match s.store.export().await {
        Ok(export) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"dorsum-export.json\"",
                ),
            ],
            serde_json::to_string_pretty(&export).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => store_failed(&s, &e.to_string()),
    }
}

/// The page for an unknown address outside `/api`.
pub async fn not_found_page(State(s): State<SharedState>) -> Response {
    error_page(
        &s,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Start a new check or open your diary.".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_form_posts_are_refused() {
        assert!(from_this_site(&headers(&[])));
        assert!(from_this_site(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
        ])));
        assert!(!from_this_site(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!from_this_site(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(from_this_site(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "null"),
        ])));
        assert!(!from_this_site(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:8080"),
        ])));
    }

    #[test]
    fn tel_links_keep_only_digits_and_a_leading_plus() {
        assert_eq!(tel("999"), "tel:999");
        assert_eq!(tel("+44 20 7946 0000"), "tel:+442079460000");
        assert_eq!(tel("javascript:alert(1)"), "tel:1");
        assert_eq!(
            first_number("999 in the UK, 911 in the US and Canada, 112 in the EU"),
            "999"
        );
        assert_eq!(
            first_number("+44 (0)20 7946-0000, ask for A&E"),
            "+44 (0)20 7946-0000"
        );
        assert_eq!(first_number("none"), "");
    }
}
