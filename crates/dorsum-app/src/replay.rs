//! The stateless interview: a request carries age, sex, the opener text, explicit evidence and every answer
//! given so far; the interview is replayed from the start, each answer checked against the question the
//! interview asks at that point, and the result object comes back with the next question (or why it
//! stopped). The JSON API and the web pages use it, so neither keeps interview state on the server.
//!
//! Replaying is deterministic (the engine is pure), so the same request always gives the same answer.

use crate::pipeline::{Case, Dorsum, observations, parse_age, parse_sex, parse_text};
use crate::wire::{AssessmentJson, ExchangeJson, InterviewJson, schema};
use dorsum_engine::Observation;
use dorsum_engine::interview::{
    Answer, AnswerKind, Exchange, Interview, InterviewIndex, MAX_QUESTIONS, Question, Step,
};
use dorsum_intake::{Mention, TextIntake};
use dorsum_kb::{FindingIx, Kb};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Most explicit evidence items in one request.
pub const MAX_EVIDENCE: usize = 500;
/// Longest caller-given case id, in bytes.
pub const MAX_ID_BYTES: usize = 200;

/// A request field that is wrong. `field` is a path such as `answers[2].options`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub field: String,
    pub message: String,
    /// True when the value is well formed but does not fit the interview's state (the answer is not to the
    /// question asked now, or comes after the interview stopped): a conflict rather than a bad value.
    pub mismatch: bool,
}

impl InputError {
    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            field: field.into(),
            message: message.into(),
            mismatch: false,
        }
    }
}

/// An answer as given: the options of the question it answers and the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenAnswer {
    pub options: Vec<FindingIx>,
    pub value: GivenValue,
}

/// The answer part of a [`GivenAnswer`].
#[derive(Debug, Clone, PartialEq)]
pub enum GivenValue {
    Yes,
    No,
    DontKnow,
    /// None of the options applies.
    None,
    Chosen(Vec<FindingIx>),
    Number(u8),
}

/// A validated assess request.
#[derive(Debug, Clone)]
pub struct Request {
    /// Age, sex and the opener text (empty when none was given).
    pub case: Case,
    /// Findings the caller states directly, beside the text.
    pub evidence: Vec<Observation>,
    pub answers: Vec<GivenAnswer>,
    /// Findings read from the text that the person said were misread: their mentions are dropped before
    /// the interview starts (the web pages' correction step; the JSON API sends evidence instead).
    pub dismissed: Vec<FindingIx>,
}

/// The fields an assess request may have.
pub const REQUEST_FIELDS: &[&str] = &["id", "age", "sex", "text", "evidence", "answers"];

fn finding_id(kb: &Kb, value: &Value, field: &str) -> Result<FindingIx, InputError> {
    match value {
        Value::String(id) => kb.finding_ix(id).ok_or_else(|| {
            InputError::invalid(
                field,
                format!("'{id}' is not a finding id; GET /api/v1/kb/findings lists them"),
            )
        }),
        other => Err(InputError::invalid(
            field,
            format!("must be a finding id (a string), not {}", kind(other)),
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_evidence(kb: &Kb, value: Option<&Value>) -> Result<Vec<Observation>, InputError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(InputError::invalid(
                "evidence",
                format!(
                    "must be an array of {{\"id\": \"...\", \"present\": true}}, not {}",
                    kind(other)
                ),
            ));
        }
    };
    if items.len() > MAX_EVIDENCE {
        return Err(InputError::invalid(
            "evidence",
            format!(
                "has {} items; at most {MAX_EVIDENCE} are accepted",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = |f: &str| format!("evidence[{i}]{f}");
            let Value::Object(obj) = item else {
                return Err(InputError::invalid(
                    at(""),
                    format!(
                        "must be an object {{\"id\": \"...\", \"present\": true}}, not {}",
                        kind(item)
                    ),
                ));
            };
            if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "id" | "present")) {
                return Err(InputError::invalid(
                    at(&format!(".{k}")),
                    "unknown field: an evidence item has only id and present",
                ));
            }
            let finding = match obj.get("id") {
                None => return Err(InputError::invalid(at(".id"), "is required: a finding id")),
                Some(v) => finding_id(kb, v, &at(".id"))?,
            };
            let present = match obj.get("present") {
                Some(Value::Bool(b)) => *b,
                None => {
                    return Err(InputError::invalid(
                        at(".present"),
                        "is required: true or false",
                    ));
                }
                Some(other) => {
                    return Err(InputError::invalid(
                        at(".present"),
                        format!("must be true or false, not {}", kind(other)),
                    ));
                }
            };
            Ok(Observation { finding, present })
        })
        .collect()
}

fn parse_answers(kb: &Kb, value: Option<&Value>) -> Result<Vec<GivenAnswer>, InputError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(InputError::invalid(
                "answers",
                format!(
                    "must be an array of {{\"options\": [...], \"answer\": ...}}, not {}",
                    kind(other)
                ),
            ));
        }
    };
    if items.len() > MAX_QUESTIONS {
        return Err(InputError::invalid(
            "answers",
            format!(
                "has {} answers; an interview asks at most {MAX_QUESTIONS} questions",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = |f: &str| format!("answers[{i}]{f}");
            let Value::Object(obj) = item else {
                return Err(InputError::invalid(
                    at(""),
                    format!(
                        "must be an object {{\"options\": [...], \"answer\": ...}}, not {}",
                        kind(item)
                    ),
                ));
            };
            if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "options" | "answer")) {
                return Err(InputError::invalid(
                    at(&format!(".{k}")),
                    "unknown field: an answer has only options and answer",
                ));
            }
            let options = match obj.get("options") {
                Some(Value::Array(ids)) if !ids.is_empty() => ids
                    .iter()
                    .enumerate()
                    .map(|(j, v)| finding_id(kb, v, &at(&format!(".options[{j}]"))))
                    .collect::<Result<Vec<_>, _>>()?,
                Some(Value::Array(_)) => {
                    return Err(InputError::invalid(
                        at(".options"),
                        "is empty: give the option ids of the question answered",
                    ));
                }
                None => {
                    return Err(InputError::invalid(
                        at(".options"),
                        "is required: the option ids of the question answered (next_question.options[].id)",
                    ));
                }
                Some(other) => {
                    return Err(InputError::invalid(
                        at(".options"),
                        format!("must be an array of finding ids, not {}", kind(other)),
                    ));
                }
            };
            let value = match obj.get("answer") {
                Some(Value::String(s)) => match s.as_str() {
                    "yes" => GivenValue::Yes,
                    "no" => GivenValue::No,
                    "dont_know" => GivenValue::DontKnow,
                    "none" => GivenValue::None,
                    other => {
                        return Err(InputError::invalid(
                            at(".answer"),
                            format!(
                                "'{other}' is not an answer: use yes, no, dont_know, none, an array of option ids or a number"
                            ),
                        ));
                    }
                },
                Some(Value::Array(ids)) => GivenValue::Chosen(
                    ids.iter()
                        .enumerate()
                        .map(|(j, v)| finding_id(kb, v, &at(&format!(".answer[{j}]"))))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Some(Value::Number(n)) => match crate::pipeline::whole_number(n).and_then(|n| u8::try_from(n).ok()) {
                    Some(n) => GivenValue::Number(n),
                    None => {
                        return Err(InputError::invalid(
                            at(".answer"),
                            format!("{n} is not a whole number the question accepts"),
                        ));
                    }
                },
                None | Some(Value::Null) => {
                    return Err(InputError::invalid(
                        at(".answer"),
                        "is required: yes, no, dont_know, none, an array of option ids or a number",
                    ));
                }
                Some(other) => {
                    return Err(InputError::invalid(
                        at(".answer"),
                        format!(
                            "must be yes, no, dont_know, none, an array of option ids or a number, not {}",
                            kind(other)
                        ),
                    ));
                }
            };
            Ok(GivenAnswer { options, value })
        })
        .collect()
}

/// Validate an assess request body. Every field problem is returned, in field order.
pub fn parse_request(kb: &Kb, body: &Value) -> Result<Request, Vec<InputError>> {
    let Value::Object(obj) = body else {
        return Err(vec![InputError::invalid(
            "",
            format!(
                "the body must be a JSON object like {{\"age\": 40, \"sex\": \"female\", \"text\": \"...\"}}, not {}",
                kind(body)
            ),
        )]);
    };
    let mut errors = Vec::new();
    for k in obj.keys() {
        if !REQUEST_FIELDS.contains(&k.as_str()) {
            errors.push(InputError::invalid(
                k.clone(),
                format!(
                    "unknown field; the fields are {}",
                    REQUEST_FIELDS.join(", ")
                ),
            ));
        }
    }
    let from = |e: crate::pipeline::FieldError| InputError::invalid(e.field, e.message);
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_ID_BYTES => Some(s.clone()),
        Some(_) => {
            errors.push(InputError::invalid(
                "id",
                format!("must be a string of 1 to {MAX_ID_BYTES} bytes"),
            ));
            None
        }
    };
    let age = parse_age(obj.get("age"))
        .map_err(|e| errors.push(from(e)))
        .ok();
    let sex = parse_sex(obj.get("sex"))
        .map_err(|e| errors.push(from(e)))
        .ok();
    let text = match obj.get("text") {
        None | Some(Value::Null) => Some(String::new()),
        t => parse_text(t).map_err(|e| errors.push(from(e))).ok(),
    };
    let evidence = parse_evidence(kb, obj.get("evidence"))
        .map_err(|e| errors.push(e))
        .ok();
    let answers = parse_answers(kb, obj.get("answers"))
        .map_err(|e| errors.push(e))
        .ok();
    match (age, sex, text, evidence, answers) {
        (Some(age), Some(sex), Some(text), Some(evidence), Some(answers)) if errors.is_empty() => {
            let id = Value::String(
                id.unwrap_or_else(|| request_id(kb, age, sex, &text, &evidence, &answers)),
            );
            Ok(Request {
                case: Case { id, age, sex, text },
                evidence,
                answers,
                dismissed: Vec::new(),
            })
        }
        _ => Err(errors),
    }
}

/// A stable id for a request: a hash of everything in it.
fn request_id(
    kb: &Kb,
    age: u8,
    sex: dorsum_kb::Sex,
    text: &str,
    evidence: &[Observation],
    answers: &[GivenAnswer],
) -> String {
    if evidence.is_empty() && answers.is_empty() {
        return crate::pipeline::case_id(age, sex, text);
    }
    let mut all = String::from(text);
    for o in evidence {
        all.push_str(&format!("\u{0}e{}={}", kb.finding(o.finding).id, o.present));
    }
    for a in answers {
        all.push_str(&format!("\u{0}a{:?}={:?}", a.options, a.value));
    }
    crate::pipeline::case_id(age, sex, &all)
}

/// An interview replayed to its current step.
pub struct Replay {
    pub mentions: Vec<Mention>,
    pub interview: Interview,
    pub step: Step,
}

fn same_options(a: &[FindingIx], b: &[FindingIx]) -> bool {
    a.len() == b.len() && a.iter().all(|f| b.contains(f))
}

/// The engine's answer for a given one, or why it does not fit the question.
fn to_answer(q: &Question, given: &GivenValue) -> Result<Answer, String> {
    let answer = match (q.kind, given) {
        (_, GivenValue::DontKnow) => Answer::DontKnow,
        (AnswerKind::YesNo, GivenValue::Yes) => Answer::Yes,
        (AnswerKind::YesNo, GivenValue::No | GivenValue::None) => Answer::No,
        (AnswerKind::YesNo, _) => {
            return Err("this is a yes_no question: answer yes, no or dont_know".into());
        }
        (AnswerKind::OneOf | AnswerKind::AnyOf, GivenValue::None | GivenValue::No) => {
            Answer::Chosen(Vec::new())
        }
        (AnswerKind::OneOf | AnswerKind::AnyOf, GivenValue::Chosen(c)) => {
            let mut chosen = Vec::new();
            for f in c {
                if !chosen.contains(f) {
                    chosen.push(*f);
                }
            }
            Answer::Chosen(chosen)
        }
        (AnswerKind::OneOf | AnswerKind::AnyOf, _) => {
            return Err(format!(
                "this is a {} question: answer with an array of the option ids that apply, none, or dont_know",
                q.kind.as_str()
            ));
        }
        (AnswerKind::Number { .. }, GivenValue::Number(n)) => Answer::Number(*n),
        (AnswerKind::Number { min, max }, _) => {
            return Err(format!(
                "this is a number question: answer a whole number from {min} to {max}, or dont_know"
            ));
        }
    };
    answer.validate(q).map_err(|e| e.to_string())?;
    Ok(answer)
}

/// Replay the interview: the opener (text mentions and evidence), then each answer, checked against the
/// question asked at that point.
pub fn replay(
    dorsum: &Dorsum,
    index: &InterviewIndex,
    request: &Request,
) -> Result<Replay, InputError> {
    let kb = &dorsum.kb;
    let mut mentions = if request.case.text.is_empty() {
        Vec::new()
    } else {
        dorsum.intake.read(&request.case.text)
    };
    mentions.retain(|m| !request.dismissed.contains(&m.finding));
    let mut opener = observations(&mentions);
    opener.extend(request.evidence.iter().copied());
    let mut interview = Interview::new(request.case.age, request.case.sex, opener);
    for (i, given) in request.answers.iter().enumerate() {
        let question = match interview.next(kb, index) {
            Step::Done { reason, .. } => {
                return Err(InputError {
                    field: format!("answers[{i}]"),
                    message: format!(
                        "the interview stopped ({}) before this answer: send only the first {i} answer(s)",
                        reason.as_str()
                    ),
                    mismatch: true,
                });
            }
            Step::Ask { question, .. } => *question,
        };
        if !same_options(&question.options, &given.options) {
            return Err(InputError {
                field: format!("answers[{i}].options"),
                message: format!(
                    "this answer does not match the question the interview asks now ({:?}, options {}): resend the answers in the order the questions came",
                    question.text(kb),
                    ids(kb, &question.options).join(", ")
                ),
                mismatch: true,
            });
        }
        let answer = to_answer(&question, &given.value)
            .map_err(|m| InputError::invalid(format!("answers[{i}].answer"), m))?;
        interview
            .answer(question, answer)
            .map_err(|e| InputError::invalid(format!("answers[{i}].answer"), e.to_string()))?;
    }
    let step = interview.next(kb, index);
    Ok(Replay {
        mentions,
        interview,
        step,
    })
}

fn ids(kb: &Kb, options: &[FindingIx]) -> Vec<String> {
    options.iter().map(|&f| kb.finding(f).id.clone()).collect()
}

/// The questions asked and the answers given, as the result object lists them.
pub fn exchanges_json(kb: &Kb, exchanges: &[Exchange]) -> Vec<ExchangeJson> {
    exchanges
        .iter()
        .map(|e| ExchangeJson {
            question: e.question.text(kb).to_string(),
            kind: e.question.kind.as_str(),
            options: ids(kb, &e.question.options),
            answer: crate::session::answer_text(kb, &e.answer),
            warning_level: e.question.why.could_raise_to.map(|l| l.as_str()),
        })
        .collect()
}

/// One choice of a question.
#[derive(Debug, Serialize, ToSchema)]
pub struct OptionJson<'a> {
    /// The finding id to send back in `answers[].options` and `answers[].answer`.
    pub id: &'a str,
    /// Its name in plain words.
    pub name: &'a str,
}

/// "Why am I asked this?"
#[derive(Debug, Serialize, ToSchema)]
pub struct WhyJson<'a> {
    pub text: String,
    /// The most urgent level a "yes" could raise the triage to, when that is above the current one.
    #[schema(value_type = Option<schema::TriageLevel>)]
    pub could_raise_to: Option<&'static str>,
    /// The conditions the answer separates best (ids).
    pub separates: Vec<&'a str>,
}

/// The question to ask next.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextQuestionJson<'a> {
    /// 1-based: how many questions will have been asked, this one included.
    #[schema(minimum = 1, maximum = 20)]
    pub number: usize,
    pub text: &'a str,
    pub help: Option<&'a str>,
    #[schema(value_type = schema::AnswerKind)]
    pub kind: &'static str,
    /// The choices (one for yes_no; for number questions the ranges the number falls into), in order.
    /// Send their ids back as `answers[].options`.
    pub options: Vec<OptionJson<'a>>,
    /// For number questions: the smallest accepted answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u8>,
    /// For number questions: the largest accepted answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u8>,
    /// The answers this question accepts.
    pub accepts: Vec<&'static str>,
    pub why: WhyJson<'a>,
}

/// The result of `POST /api/v1/assess`: the result object (BRIEF §5) with the interview so far, whether to
/// stop, and the next question or why it stopped.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessResponse<'a> {
    #[serde(flatten)]
    pub result: AssessmentJson<'a>,
    /// True when the interview is over: act on the result. False: ask `next_question`.
    pub should_stop: bool,
    /// Present when `should_stop` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<schema::StopReason>)]
    pub stop_reason: Option<&'static str>,
    /// Present when `should_stop` is false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_question: Option<NextQuestionJson<'a>>,
}

impl Replay {
    /// The pain score answered in the interview (its number question), if any.
    pub fn pain_answer(&self) -> Option<u8> {
        self.interview
            .exchanges()
            .iter()
            .find_map(|e| match e.answer {
                Answer::Number(n) => Some(n),
                _ => None,
            })
    }

    /// Everything learned outside the text: the request's evidence, then each answer's findings.
    pub fn answered(&self, kb: &Kb, request: &Request) -> Vec<Observation> {
        let mut out = request.evidence.clone();
        for e in self.interview.exchanges() {
            out.extend(e.answer.observations(kb, &e.question));
        }
        out
    }

    /// The response: result object, interview, and the next question or stop reason.
    pub fn response<'a>(
        &'a self,
        dorsum: &'a Dorsum,
        request: &'a Request,
        answered: &[Observation],
    ) -> AssessResponse<'a> {
        let kb = &dorsum.kb;
        let (assessment, stop, question) = match &self.step {
            Step::Ask {
                question,
                assessment,
            } => (&**assessment, None, Some(&**question)),
            Step::Done { assessment, reason } => (&**assessment, Some(*reason), None),
        };
        let mut result = dorsum.result_json(&request.case, &self.mentions, answered, assessment);
        result.interview = Some(InterviewJson {
            questions: exchanges_json(kb, self.interview.exchanges()),
            stopped: stop.map(|r| r.as_str()),
        });
        AssessResponse {
            result,
            should_stop: stop.is_some(),
            stop_reason: stop.map(|r| r.as_str()),
            next_question: question
                .map(|q| next_question_json(kb, q, self.interview.exchanges().len() + 1)),
        }
    }
}

/// A question as the API shows it.
pub fn next_question_json<'a>(kb: &'a Kb, q: &Question, number: usize) -> NextQuestionJson<'a> {
    let (min, max) = match q.kind {
        AnswerKind::Number { min, max } => (Some(min), Some(max)),
        _ => (None, None),
    };
    let accepts: Vec<&'static str> = match q.kind {
        AnswerKind::YesNo => vec!["yes", "no", "dont_know"],
        AnswerKind::OneOf => vec!["[one option id]", "none", "dont_know"],
        AnswerKind::AnyOf => vec!["[option ids]", "none", "dont_know"],
        AnswerKind::Number { .. } => vec!["number", "dont_know"],
    };
    NextQuestionJson {
        number,
        text: q.text(kb),
        help: q.help(kb),
        kind: q.kind.as_str(),
        options: q
            .options
            .iter()
            .map(|&f| {
                let f = kb.finding(f);
                OptionJson {
                    id: &f.id,
                    name: &f.name,
                }
            })
            .collect(),
        min,
        max,
        accepts,
        why: WhyJson {
            text: q.why_text(kb),
            could_raise_to: q.why.could_raise_to.map(|l| l.as_str()),
            separates: q
                .why
                .separates
                .iter()
                .map(|&c| kb.condition(c).id.as_str())
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dorsum() -> (Dorsum, InterviewIndex) {
        let d = Dorsum::open(None).unwrap();
        let i = InterviewIndex::new(&d.kb);
        (d, i)
    }

    #[test]
    fn parse_errors_name_each_field() {
        let (d, _) = dorsum();
        let errs = parse_request(
            &d.kb,
            &json!({"age": 130, "sex": "x", "text": "", "evidence": [{"id": "nope", "present": true}], "extra": 1}),
        )
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["extra", "age", "sex", "text", "evidence[0].id"]);
    }

    #[test]
    fn replay_follows_the_questions_and_rejects_a_wrong_one() {
        let (d, index) = dorsum();
        let body = json!({"age": 30, "sex": "male", "text": "lower back ache after lifting"});
        let req = parse_request(&d.kb, &body).unwrap();
        let first = replay(&d, &index, &req).unwrap();
        let Step::Ask { question, .. } = &first.step else {
            panic!("asks a question first")
        };
        let options: Vec<String> = ids(&d.kb, &question.options);
        let answer = match question.kind {
            AnswerKind::YesNo => json!("no"),
            AnswerKind::Number { min, .. } => json!(min),
            _ => json!("none"),
        };
        let mut body2 = body.clone();
        body2["answers"] = json!([{"options": options, "answer": answer}]);
        let req2 = parse_request(&d.kb, &body2).unwrap();
        let second = replay(&d, &index, &req2).unwrap();
        assert_eq!(second.interview.exchanges().len(), 1);
        // Same request, same result (deterministic).
        let again = replay(&d, &index, &req2).unwrap();
        assert_eq!(again.step, second.step);
        // Options of another question: a mismatch naming the answer.
        let other =
            d.kb.findings
                .iter()
                .find(|f| !options.contains(&f.id))
                .unwrap()
                .id
                .clone();
        body2["answers"] = json!([{"options": [other], "answer": "no"}]);
        let req3 = parse_request(&d.kb, &body2).unwrap();
        let err = replay(&d, &index, &req3).err().unwrap();
        assert!(err.mismatch);
        assert_eq!(err.field, "answers[0].options");
    }
}
