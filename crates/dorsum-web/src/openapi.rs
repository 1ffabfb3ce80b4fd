//! The OpenAPI 3.1 document, generated from the handlers and wire types by utoipa, with the knowledge
//! base's finding and exercise ids filled in as enums at start-up.

use crate::SharedState;
use crate::api::*;
use crate::problem::Problem;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dorsum_kb::Kb;
use utoipa::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dorsum API",
        description = "Dorsum's JSON API: an offline, explainable back-pain symptom checker. Dorsum gives information, not a diagnosis; in an emergency call your emergency number. Errors are RFC 9457 problem details naming the field at fault. Assessment endpoints are stateless: send the answers so far with each /assess call.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(health, parse, assess, triage, conditions, findings, exercises, care, diary_list, diary_add,
          diary_get, diary_update, diary_delete, assessments_list, assessments_save,
          peg_list, peg_add, psfs_list, psfs_add, chart, export, report, fhir_bundle, delete_data, document),
    tags(
        (name = "assessment", description = "Text to findings, assessment with the stateless interview, triage"),
        (name = "knowledge", description = "The knowledge base: conditions, findings, exercises; care routing"),
        (name = "diary", description = "The pain diary, PEG, chart, export and deletion (stored)"),
        (name = "meta", description = "Health and this document")
    )
)]
pub struct ApiDoc;

fn id_enum(description: &str, ids: impl Iterator<Item = String>) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
            .enum_values(Some(ids))
            .build(),
    ))
}

/// The document for this knowledge base.
pub fn openapi(kb: &Kb) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    if let Some(components) = doc.components.as_mut() {
        components.schemas.insert(
            "FindingId".into(),
            id_enum(
                "A finding id (GET /api/v1/kb/findings).",
                kb.findings.iter().map(|f| f.id.clone()),
            ),
        );
        components.schemas.insert(
            "ExerciseId".into(),
            id_enum(
                "An exercise id (GET /api/v1/kb/exercises).",
                kb.exercises.iter().map(|e| e.id.clone()),
            ),
        );
    }
    doc
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object),
              (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
pub async fn document(State(s): State<SharedState>) -> Response {
    let body = s
        .openapi_json
        .get_or_init(|| openapi(&s.dorsum.kb).to_json().unwrap_or_default())
        .clone();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
