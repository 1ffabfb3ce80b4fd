//! `spawn_app()`: the real server on an ephemeral loopback port with a scratch SQLite store.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// Stop gracefully and wait for the server to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("server task");
        }
    }
}

pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The server with the default care routing.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// The server with the sample care file.
pub async fn spawn_app_with_care(care: PathBuf) -> TestApp {
    spawn_with(move |c| c.care = Some(care)).await
}

pub async fn spawn_with(configure: impl FnOnce(&mut dorsum_web::Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = dorsum_web::Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        db: Some(dir.path().join("api.db").to_string_lossy().into_owned()),
        // An explicit default (not DORSUM_CARE from the environment) unless the test sets one.
        care: None,
        ..dorsum_web::Config::default()
    };
    configure(&mut config);
    if config.care.is_none() {
        // Make the default explicit so an inherited DORSUM_CARE cannot change the test.
        let empty = dir.path().join("empty-care.toml");
        std::fs::write(&empty, "").unwrap();
        config.care = Some(empty);
    }
    let server = dorsum_web::Server::bind(config)
        .await
        .expect("server starts");
    let addr = server.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        server
            .run(async {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
    });
    TestApp {
        addr,
        client: reqwest::Client::new(),
        stop: Some(tx),
        done: Some(done),
        _dir: dir,
    }
}
