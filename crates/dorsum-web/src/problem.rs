//! RFC 9457 problem details (`application/problem+json`) naming the field at fault, and the JSON body
//! extractor that turns every bad body (wrong content type, too large, not JSON) into one.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dorsum_app::replay::InputError;
use serde::Serialize;
use utoipa::ToSchema;

/// The problem media type.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A short summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong this time and how to fix it. Never quotes health data.
    pub detail: String,
    /// The request field at fault, as a path such as `age`, `evidence[0].id` or `answers[2].options`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Problem {
    /// A problem whose status says it all.
    pub fn status(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            errors: Vec::new(),
        }
    }

    /// 422: one or more fields are invalid.
    pub fn fields(errors: Vec<InputError>) -> Problem {
        if errors.iter().any(|e| e.mismatch) {
            let e = errors.into_iter().find(|e| e.mismatch).expect("checked");
            return Problem {
                kind: "urn:dorsum:problem:answer-mismatch",
                title: "Answer does not match the interview",
                status: StatusCode::CONFLICT.as_u16(),
                detail: format!("{}: {}", e.field, e.message),
                field: Some(e.field.clone()),
                errors: vec![FieldProblem {
                    field: e.field,
                    message: e.message,
                }],
            };
        }
        let detail = errors
            .iter()
            .map(|e| {
                if e.field.is_empty() {
                    e.message.clone()
                } else {
                    format!("{}: {}", e.field, e.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        Problem {
            kind: "urn:dorsum:problem:invalid-field",
            title: "Invalid request field",
            status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
            detail,
            field: errors
                .first()
                .map(|e| e.field.clone())
                .filter(|f| !f.is_empty()),
            errors: errors
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.field,
                    message: e.message,
                })
                .collect(),
        }
    }

    /// 422 for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem::fields(vec![InputError {
            field: field.into(),
            message: message.into(),
            mismatch: false,
        }])
    }

    /// 500 without details (the cause goes to the log, which never holds health data).
    pub fn internal() -> Problem {
        Problem::status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "something went wrong on the server; nothing you sent was saved unless the response said so. Try again, and if it persists, check the server log",
        )
    }
}

impl From<dorsum_store::Error> for Problem {
    fn from(e: dorsum_store::Error) -> Problem {
        match e {
            dorsum_store::Error::Invalid(i) => Problem::field(i.field, i.problem),
            dorsum_store::Error::Locked { .. } => {
                tracing::warn!(error = %e, "store busy");
                Problem::status(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the data store is busy; try again in a moment",
                )
            }
            other => {
                tracing::error!(error = %other, "store error");
                Problem::status(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the data store cannot be used right now; see the server log",
                )
            }
        }
    }
}

impl From<dorsum_app::Error> for Problem {
    fn from(e: dorsum_app::Error) -> Problem {
        match e {
            dorsum_app::Error::Store(s) => s.into(),
            other => {
                tracing::error!(error = %other, "application error");
                Problem::internal()
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_else(|_| b"{}".to_vec());
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        res
    }
}

/// A request body that must be JSON: `Content-Type: application/json` (415 otherwise), within the body
/// limit (413), and well-formed (400 with line and column). Validation of the fields is the handler's.
pub struct JsonBody(pub serde_json::Value);

fn is_json(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(Problem::status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON with the header Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            let status = rejection.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::status(
                    status,
                    format!(
                        "the body is larger than {} KiB; descriptions are limited to 10,000 bytes",
                        crate::BODY_LIMIT / 1024
                    ),
                )
            } else {
                Problem::status(status, "the request body could not be read")
            }
        })?;
        match serde_json::from_slice(&bytes) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) => {
                let mut p = Problem::status(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "the body is not valid JSON ({} at line {}, column {})",
                        match e.classify() {
                            serde_json::error::Category::Eof => "it ends too early",
                            serde_json::error::Category::Syntax => "syntax error",
                            _ => "unreadable value",
                        },
                        e.line(),
                        e.column()
                    ),
                );
                p.kind = "urn:dorsum:problem:bad-json";
                p.title = "Body is not JSON";
                Err(p)
            }
        }
    }
}
