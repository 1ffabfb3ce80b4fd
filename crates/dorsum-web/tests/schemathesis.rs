//! Schemathesis against the live server's OpenAPI document: no 5xx and no response that breaks its schema
//! (`scripts/schemathesis.sh`, which installs schemathesis from PyPI into a venv under target/).
//!
//! Skipped with a visible message when python3 (with venv) is missing, except under `CI=true`, where
//! a missing python3 is a failure.

mod common;

use std::process::Command;

fn python_with_venv() -> bool {
    Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_errors_or_schema_violations() {
    if !python_with_venv() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with venv is required for the schemathesis test under CI (apt-get install python3-venv)"
        );
        eprintln!(
            "SKIPPED schemathesis_finds_no_server_errors_or_schema_violations: python3 with venv is not installed"
        );
        return;
    }
    let app = common::spawn_app().await;
    let url = app.url("/api/v1/openapi.json");
    let script = common::repo("scripts/schemathesis.sh");
    let venv = common::repo("target/schemathesis-venv");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg(script)
            .arg(url)
            .env("SCHEMATHESIS_VENV", venv)
            .env(
                "SCHEMATHESIS_MAX_EXAMPLES",
                std::env::var("SCHEMATHESIS_MAX_EXAMPLES").unwrap_or_else(|_| "25".into()),
            )
            .output()
            .expect("run scripts/schemathesis.sh")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: String = stdout
        .lines()
        .rev()
        .take(60)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{tail}\n{stderr}"
    );
    eprintln!("{tail}");
    app.stop().await;
}
