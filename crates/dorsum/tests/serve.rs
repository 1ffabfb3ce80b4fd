//! `dorsum serve` as a process: prints the bound address (port 0 → the real port), answers, and stops
//! cleanly on SIGTERM; refuses a non-loopback address without --allow-remote.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("dorsum-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DORSUM_DB", dir.join("serve.db"))
        .env_remove("DORSUM_DATABASE_URL")
        .env_remove("DORSUM_CARE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dorsum serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("dorsum: listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );
    let res = get(&addr, "/api/v1/health");
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.contains("\"status\":\"ok\""), "{res}");
    // An assessment whose words must never reach the log.
    let body = r#"{"age": 52, "sex": "female", "text": "zebracorn ache in my lower back"}"#;
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /api/v1/assess HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut res = String::new();
    s.read_to_string(&mut res).unwrap();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("dorsum: stopped"), "{stderr}");
    // The access log names method, route and status, never bodies.
    assert!(stderr.contains("route=/api/v1/health"), "{stderr}");
    assert!(stderr.contains("route=/api/v1/assess"), "{stderr}");
    assert!(
        !stderr.contains("zebracorn") && !stderr.contains("female"),
        "{stderr}"
    );
}

#[test]
fn serve_refuses_a_public_address_without_allow_remote() {
    let out = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(["serve", "--bind", "0.0.0.0:0"])
        .env_remove("DORSUM_CARE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}

#[test]
fn assess_names_the_service_from_a_care_file_and_rejects_a_bad_one() {
    let care = format!(
        "{}/../../docs/care.example.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args([
            "assess",
            "--no-save",
            "--format",
            "json",
            "--care",
            &care,
            "--age",
            "30",
            "--sex",
            "male",
            "--text",
            "Sore lower back for 2 days after gardening, no leg pain",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["triage"]["level"], "self_care");
    assert_eq!(v["triage"]["service"]["name"], "Mill Lane Pharmacy");
    // Default route without a file; the jsonl path carries it too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args(["assess", "--jsonl"])
        .env_remove("DORSUM_CARE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"id": "1", "age": 30, "sex": "male", "text": "Sore lower back for 2 days after gardening"}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["triage"]["service"]["source"], "default");
    // A bad file: file and line.
    let bad = std::env::temp_dir().join(format!("dorsum-badcare-{}.toml", std::process::id()));
    std::fs::write(
        &bad,
        "[[service]]\nname = \"X\"\nlevels = [\"soon\"]\nphone = \"1\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dorsum"))
        .args([
            "assess",
            "--no-save",
            "--age",
            "30",
            "--sex",
            "male",
            "--text",
            "back pain",
        ])
        .env("DORSUM_CARE", &bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", bad.display())),
        "{stderr}"
    );
}
