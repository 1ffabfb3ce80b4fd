//! The hardening layers around the routes.
//!
//! From the outside in: the access log (method, matched route, status, latency: never bodies, query
//! strings or health data); the guard (the Host check against DNS rebinding when bound to loopback, then
//! on the way out: any error response that is not already a problem becomes one, and every response gets
//! the security headers); panics caught (500); the request timeout (503); the body limit.

use crate::problem::{PROBLEM_JSON, Problem};
use crate::{BODY_LIMIT, SharedState};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

/// The Content-Security-Policy on every response: no inline scripts, nothing from elsewhere, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The headers every response carries.
const HEADERS: [(HeaderName, &str); 6] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CACHE_CONTROL, "no-store"),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
];

/// Wrap the routes in every layer.
pub fn harden(routes: Router<SharedState>, state: SharedState, timeout: Duration) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a request handler panicked");
            Problem::internal().into_response()
        }))
        .layer(from_fn_with_state(state.clone(), guard))
        .layer(from_fn(access_log))
        .with_state(state)
}

/// The Host check going in; coming out, errors become problems and every response gets the security
/// headers.
async fn guard(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let mut res = if state.loopback_only && !host_is_loopback(&req) {
        Problem::status(
            StatusCode::MISDIRECTED_REQUEST,
            "this server only answers requests addressed to localhost or 127.0.0.1 (start it with --allow-remote to serve other names)",
        )
        .into_response()
    } else {
        problem_for_errors(next.run(req).await)
    };
    let headers = res.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    res
}

/// Unknown addresses: a problem under `/api`, a page elsewhere.
async fn not_found(state: State<SharedState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api") {
        Problem::status(
            StatusCode::NOT_FOUND,
            "no such endpoint; GET /api/v1/openapi.json lists them",
        )
        .into_response()
    } else {
        crate::pages::not_found_page(state).await
    }
}

async fn method_not_allowed() -> Problem {
    Problem::status(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method; GET /api/v1/openapi.json lists the methods",
    )
}

/// Any error response that is not a problem yet (from a layer or an extractor) becomes one.
fn problem_for_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    // Problems pass as they are, and so do the pages' own error pages (HTML or plain text).
    let already_explained = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(PROBLEM_JSON.as_bytes())
            || v.starts_with(b"text/html")
            || v.starts_with(b"text/plain")
    });
    if already_explained {
        return res;
    }
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("the body is larger than {} KiB", BODY_LIMIT / 1024)
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            "the request took too long and was stopped; try again".to_string()
        }
        StatusCode::BAD_REQUEST => {
            "the request could not be read (check the query string and headers)".into()
        }
        _ => status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_string(),
    };
    let mut out = Problem::status(status, detail).into_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// True for `localhost`, `*.localhost`, `127.x.x.x` and `[::1]`, with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// True when the request names a loopback host. When bound to loopback, other names are refused: a web
/// page cannot then reach the diary by pointing its own domain name at 127.0.0.1 (DNS rebinding).
fn host_is_loopback(req: &Request) -> bool {
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .is_some_and(is_loopback_host)
}

/// One line per request: method, matched route (not the raw path), status and latency.
async fn access_log(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |p| p.as_str().to_string());
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let latency_us = start.elapsed().as_micros() as u64;
    if status >= 500 {
        tracing::warn!(%method, %route, status, latency_us, "request");
    } else {
        tracing::info!(%method, %route, status, latency_us, "request");
    }
    res
}
