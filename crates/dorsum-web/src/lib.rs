//! `dorsum serve`: Dorsum over HTTP (axum): the web pages people use ([`pages`]: start with a body map,
//! the interview, the result, the diary) and the JSON API for programs (a clinic's own front end, a test
//! harness). No outside requests at run time; binds to loopback unless told otherwise.
//!
//! - [`Server::bind`] validates the settings (knowledge base, care file, store, address), binds, and
//!   [`Server::run`] serves until the shutdown future resolves (SIGTERM or Ctrl-C from the binary),
//!   finishing the requests in flight.
//! - [`router`] is the whole application: the `/api/v1` routes ([`api`]), the OpenAPI document
//!   ([`openapi`]) and the hardening layers ([`middleware`]): body limit, request timeout, panics caught as
//!   500 problems, every error as `application/problem+json` ([`problem`]), security headers, a Host check
//!   against DNS rebinding when bound to loopback, and an access log with method, route, status and
//!   latency only.
//! - Assessment endpoints are stateless: the interview is replayed from the request
//!   ([`dorsum_app::replay`]). The diary endpoints use the store (`--db`, `DORSUM_DATABASE_URL`,
//!   `DORSUM_DB`, or the default SQLite file).

pub mod api;
pub mod care;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod problem;

use anyhow::{Context, Result, bail};
use axum::Router;
use dorsum_app::pipeline::Dorsum;
use dorsum_app::routing::CareRouting;
use dorsum_engine::interview::InterviewIndex;
use dorsum_store::{Store, StoreEnv, resolve_location};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Longest a request may take before it is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The default address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address and port; port 0 picks a free one.
    pub bind: SocketAddr,
    /// Allow a non-loopback address (there are no accounts yet: anyone who can reach it sees the data).
    pub allow_remote: bool,
    /// A knowledge-base directory instead of the built-in copy.
    pub kb_dir: Option<PathBuf>,
    /// `--db PATH|URL`; otherwise the environment decides (BRIEF §5).
    pub db: Option<String>,
    /// `--care FILE`; otherwise `DORSUM_CARE`; otherwise the default route.
    pub care: Option<PathBuf>,
    /// Per-request time limit.
    pub request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: DEFAULT_BIND.parse().expect("valid default address"),
            allow_remote: false,
            kb_dir: None,
            db: None,
            care: None,
            request_timeout: REQUEST_TIMEOUT,
        }
    }
}

/// Everything a handler needs, shared by all requests.
pub struct AppState {
    pub dorsum: Dorsum,
    pub index: InterviewIndex,
    pub store: Store,
    /// Where the store lives (path or password-free URL), for the health endpoint.
    pub store_location: String,
    /// Only loopback Host headers are accepted (DNS-rebinding guard) when true.
    pub loopback_only: bool,
    /// The OpenAPI document, made on first request.
    pub openapi_json: std::sync::OnceLock<String>,
}

/// The shared state handle.
pub type SharedState = Arc<AppState>;

/// Load the knowledge base, the care routing and the store from the settings.
pub async fn state(config: &Config) -> Result<AppState> {
    let care = CareRouting::from_flag_or_env(config.care.as_deref())
        .map_err(|e| anyhow::anyhow!("the care file is not valid:\n{e}"))?;
    let dorsum = Dorsum::open(config.kb_dir.as_deref())?.with_care(care);
    let index = InterviewIndex::new(&dorsum.kb);
    let location = resolve_location(config.db.as_deref(), &StoreEnv::from_process())?;
    let store = Store::open(&location)
        .await
        .with_context(|| format!("cannot open the data store {}", location.display()))?;
    Ok(AppState {
        dorsum,
        index,
        store,
        store_location: location.display(),
        loopback_only: !config.allow_remote,
        openapi_json: std::sync::OnceLock::new(),
    })
}

/// The application with all its layers.
pub fn router(state: SharedState, request_timeout: Duration) -> Router {
    middleware::harden(api::routes().merge(pages::routes()), state, request_timeout)
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    state: SharedState,
}

impl Server {
    /// Check the settings, load everything and bind. A non-loopback address needs `allow_remote`.
    pub async fn bind(config: Config) -> Result<Server> {
        if !config.bind.ip().is_loopback() && !config.allow_remote {
            bail!(
                "refusing to listen on {}: Dorsum has no accounts yet, so anyone who can reach that address could read the diary. Use a loopback address such as 127.0.0.1:8080, or add --allow-remote if you really mean it",
                config.bind
            );
        }
        let state = Arc::new(state(&config).await?);
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}: is another program using that port? Choose another with --bind 127.0.0.1:PORT",
                    config.bind
                )
            })?;
        Ok(Server {
            listener,
            router: router(state.clone(), config.request_timeout),
            state,
        })
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (for tests and the binary's messages).
    pub fn state(&self) -> &SharedState {
        &self.state
    }

    /// Serve until `shutdown` resolves, then finish the requests in flight and close the store.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("the server stopped with an error")?;
        use dorsum_store::Storage;
        self.state.store.close().await;
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Structured logs on stderr: `RUST_LOG` filters (default `info`). Never logs bodies or health data.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
