//! SQLite durability and failure modes: SIGKILL mid-stream loses no acknowledged entry; a read-only
//! file or folder, a locked database and a file that is not a database give clear errors and write
//! nothing.
//!
//! The crash and read-only tests re-run this test binary as a child process (selected by an
//! environment variable); without that variable the child "tests" do nothing.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use dorsum_store::{Error, SqliteStore, Storage};
use sqlx::Connection;

const CRASH_CHILD: &str = "DORSUM_STORE_TEST_CRASH_CHILD_DB";
const READONLY_CHILD: &str = "DORSUM_STORE_TEST_READONLY_CHILD_DIR";

/// Runs the named test of this binary (or of `exe`) alone in a child process, output not captured.
fn child(exe: &Path, test: &str, env: (&str, &Path)) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(env.0, env.1)
        .env_remove("RUST_LOG");
    cmd
}

// ---- crash: SIGKILL mid-stream ----------------------------------------------------------------

/// The child: two tasks add diary entries one by one and print `ACK <id>` after each commit, until
/// killed (or, as a safety net if the parent is gone, after 60 s).
#[test]
fn crash_child_writer() {
    let Some(path) = std::env::var_os(CRASH_CHILD) else {
        return;
    };
    let path = PathBuf::from(path);
    runtime().block_on(async {
        let store = SqliteStore::open(&path).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let writer = |store: SqliteStore, pain: i64| async move {
            while Instant::now() < deadline {
                let mut entry = diary("2024-05-01", pain);
                entry.note = Some("x".repeat(300));
                let saved = store.add_diary_entry(&entry).await.unwrap();
                // println! takes the stdout lock and flushes at the newline: one whole line per ack.
                println!("ACK {}", saved.id);
            }
        };
        let a = tokio::spawn(writer(store.clone(), 3));
        let b = tokio::spawn(writer(store.clone(), 4));
        a.await.unwrap();
        b.await.unwrap();
    });
}

/// Kills the writer with SIGKILL after `acks` acknowledgements; returns every id it acknowledged.
fn write_and_kill(path: &Path, acks: usize) -> Vec<String> {
    let exe = std::env::current_exe().unwrap();
    let mut proc = child(&exe, "crash_child_writer", (CRASH_CHILD, path))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(proc.stdout.take().unwrap());
    let mut acked = Vec::new();
    let mut line = String::new();
    let mut killed = false;
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        // Only whole lines count: a line cut by the kill has no newline.
        if let (Some(i), true) = (line.find("ACK "), line.ends_with('\n')) {
            acked.push(line[i + 4..].trim().to_string());
        }
        if acked.len() >= acks && !killed {
            proc.kill().unwrap(); // SIGKILL
            killed = true;
            // Keep reading: acks already in the pipe were acknowledged too.
        }
    }
    let status = proc.wait().unwrap();
    assert!(
        killed,
        "the writer stopped by itself after {} acks: {status}",
        acked.len()
    );
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
    acked
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dorsum.db");
    let mut all_acked: HashSet<String> = HashSet::new();
    // Three rounds on the same file: each child starts on the previous child's crash.
    for acks in [200, 50, 120] {
        let acked = write_and_kill(&path, acks);
        assert!(acked.len() >= acks);
        all_acked.extend(acked);
        runtime().block_on(async {
            assert_eq!(integrity_check(&path).await, "ok");
            let store = SqliteStore::open(&path).await.unwrap();
            let stored: HashSet<String> = store
                .list_diary_entries()
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect();
            let missing: Vec<&String> = all_acked.difference(&stored).collect();
            assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
            // At most the two writes in flight at the kill were committed without an ack.
            assert!(
                stored.len() <= all_acked.len() + 2 * 3,
                "{} > {}",
                stored.len(),
                all_acked.len()
            );
            store.close().await;
            assert_eq!(integrity_check(&path).await, "ok");
        });
    }
    println!(
        "crash test: {} acknowledged entries, all present",
        all_acked.len()
    );
}

// ---- read-only file and folder ------------------------------------------------------------------

/// The checks, run as a user who cannot write `dir/file-ro/dorsum.db` (mode 0444) nor `dir/dir-ro`
/// (mode 0555). `dir/file-ro/dorsum.db` holds exactly one diary entry.
fn read_only_checks(dir: &Path) {
    let file = dir.join("file-ro").join("dorsum.db");
    runtime().block_on(async {
        // A read-only file: reading works, writing says which file and what to check.
        let store = match SqliteStore::open(&file).await {
            Ok(store) => store,
            Err(e) => panic!("a read-only database should still open for reading: {e}"),
        };
        assert_eq!(store.list_diary_entries().await.unwrap().len(), 1);
        let err = store
            .add_diary_entry(&diary("2024-05-02", 5))
            .await
            .unwrap_err();
        match &err {
            Error::ReadOnly { path } => assert_eq!(path, &file),
            other => panic!("expected ReadOnly, got {other:?}"),
        }
        let message = err.to_string();
        println!("read-only file: {message}");
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(message.contains("permissions"), "{message}");
        let err = store
            .add_psfs(&psfs("2024-05-02", &[("walking", 3), ("stairs", 2)]))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::ReadOnly { .. }), "{err:?}");
        assert!(matches!(
            store.delete_all().await,
            Err(Error::ReadOnly { .. })
        ));
        assert_eq!(store.list_diary_entries().await.unwrap().len(), 1);
        assert!(store.list_psfs().await.unwrap().is_empty());
        store.close().await;

        // A read-only folder: the new file cannot be created; the folder is named.
        let ro_dir = dir.join("dir-ro");
        let err = SqliteStore::open(&ro_dir.join("dorsum.db"))
            .await
            .unwrap_err();
        match &err {
            Error::ReadOnly { path } => assert_eq!(path, &ro_dir),
            other => panic!("expected ReadOnly, got {other:?}"),
        }
        println!("read-only folder: {err}");
        assert!(err.to_string().contains("permissions"), "{err}");
        assert!(!ro_dir.join("dorsum.db").exists());

        // A folder to create inside a read-only one: the read-only one is named.
        let err = SqliteStore::open(&ro_dir.join("sub").join("dorsum.db"))
            .await
            .unwrap_err();
        match &err {
            Error::ReadOnly { path } => assert_eq!(path, &ro_dir),
            other => panic!("expected ReadOnly, got {other:?}"),
        }
    });
}

#[test]
fn read_only_child() {
    if let Some(dir) = std::env::var_os(READONLY_CHILD) {
        read_only_checks(Path::new(&dir));
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn read_only_database_gives_a_clear_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    chmod(dir, 0o755);
    let file_dir = dir.join("file-ro");
    let file = file_dir.join("dorsum.db");
    runtime().block_on(async {
        let store = SqliteStore::open(&file).await.unwrap();
        store
            .add_diary_entry(&diary("2024-05-01", 4))
            .await
            .unwrap();
        store.close().await;
    });
    chmod(&file, 0o444);
    chmod(&file_dir, 0o777); // the folder stays writable: only the file is read-only
    std::fs::create_dir(dir.join("dir-ro")).unwrap();
    chmod(&dir.join("dir-ro"), 0o555);

    // Root (and CAP_DAC_OVERRIDE) writes through file modes, so run the checks as `nobody` then,
    // from a copy of this binary that `nobody` can execute.
    let privileged = std::fs::OpenOptions::new().write(true).open(&file).is_ok();
    if privileged {
        use std::os::unix::process::CommandExt;
        let exe = dir.join("store-tests");
        std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
        chmod(&exe, 0o755);
        let out = child(&exe, "read_only_child", (READONLY_CHILD, dir))
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        print!("{stdout}");
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "read-only checks as uid 65534 failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::remove_file(&exe).unwrap();
    } else {
        read_only_checks(dir);
    }

    // Nothing was written: the owner still finds exactly the one entry, and a sound file.
    chmod(&file, 0o644);
    chmod(&dir.join("dir-ro"), 0o755);
    runtime().block_on(async {
        assert_eq!(integrity_check(&file).await, "ok");
        let store = SqliteStore::open(&file).await.unwrap();
        assert_eq!(store.list_diary_entries().await.unwrap().len(), 1);
        assert!(store.list_psfs().await.unwrap().is_empty());
        store.close().await;
    });
}

// ---- locked, damaged ----------------------------------------------------------------------------

#[tokio::test]
async fn a_locked_database_says_another_dorsum_is_using_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dorsum.db");
    let store = SqliteStore::open_with_busy_timeout(&path, Duration::from_millis(200))
        .await
        .unwrap();
    store
        .add_diary_entry(&diary("2024-05-01", 4))
        .await
        .unwrap();

    // Another process's write transaction, held open.
    let mut other =
        sqlx::sqlite::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    let err = store
        .add_diary_entry(&diary("2024-05-02", 5))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    let message = err.to_string();
    println!("locked: {message}");
    assert!(
        message.contains("another dorsum is using it") && message.contains("try again"),
        "{message}"
    );
    let err = store
        .add_psfs(&psfs("2024-05-02", &[("walking", 3)]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(matches!(
        store.delete_all().await,
        Err(Error::Locked { .. })
    ));

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    // The lock is gone: the retry works, and the failed writes left nothing behind.
    store
        .add_diary_entry(&diary("2024-05-02", 5))
        .await
        .unwrap();
    assert_eq!(store.list_diary_entries().await.unwrap().len(), 2);
    assert!(store.list_psfs().await.unwrap().is_empty());
    store.close().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "my back hurts\n".repeat(400)).unwrap();
    let err = SqliteStore::open(&path).await.unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    let message = err.to_string();
    println!("not a database: {message}");
    assert!(
        message.contains(&path.display().to_string()) && message.contains("--db"),
        "{message}"
    );
    assert!(!message.contains("my back hurts"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my back hurts\n".repeat(400)
    );
}

#[tokio::test]
async fn a_database_from_a_newer_dorsum_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dorsum.db");
    SqliteStore::open(&path).await.unwrap().close().await;
    // Pretend a newer dorsum applied migration 9999.
    let mut conn = sqlx::sqlite::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    let err = SqliteStore::open(&path).await.unwrap_err();
    assert!(matches!(err, Error::Migration { .. }), "{err:?}");
    assert!(err.to_string().contains("newer dorsum"), "{err}");
}
