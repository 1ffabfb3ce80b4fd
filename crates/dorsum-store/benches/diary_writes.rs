//! Diary writes per second, SQLite and PostgreSQL: every write is one acknowledged (committed, and for
//! SQLite fsynced: WAL with synchronous=FULL) `add_diary_entry`.
//!
//! `cargo bench -p dorsum-store --bench diary_writes [-- --writes N --runs R]`; the PostgreSQL part
//! runs when `DORSUM_TEST_DATABASE_URL` is set (in a fresh database, dropped afterwards).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use dorsum_store::{Location, NewDiaryEntry, Region, Score, Storage, Store};

fn entry(i: usize) -> NewDiaryEntry {
    NewDiaryEntry {
        date: common::day("2024-01-01")
            .checked_add(jiff::Span::new().days((i % 300) as i64))
            .unwrap(),
        pain: Score::new((i % 11) as i64).unwrap(),
        region: Some(Region::Lower),
        sessions: (i % 3) as u32,
        symptoms: i
            .is_multiple_of(5)
            .then(|| "stiff in the morning, eases after a walk".to_string()),
        note: Some("did the cat-cow and the pelvic tilts; sat less at work today".to_string()),
    }
}

struct Run {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// `writes` entries from `writers` concurrent tasks, each write awaited before the task's next.
async fn run(store: &Store, writes: usize, writers: usize) -> Run {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        let n = writes / writers;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(n);
            for i in 0..n {
                let t = Instant::now();
                store.add_diary_entry(&entry(w * n + i)).await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let rank = |q: f64| {
        latencies[((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    Run {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: rank(0.50),
        p99: rank(0.99),
    }
}

async fn bench(name: &str, store: &Store, writes: usize, runs: usize) {
    // Warm up: connections open, statements prepared.
    for i in 0..50 {
        store.add_diary_entry(&entry(i)).await.unwrap();
    }
    let mut expected = 50;
    for writers in [1, 4] {
        let mut results = Vec::new();
        for _ in 0..runs {
            results.push(run(store, writes, writers).await);
            expected += writes / writers * writers;
        }
        results.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
        let median = &results[results.len() / 2];
        let all: Vec<String> = results
            .iter()
            .map(|r| format!("{:.0}", r.per_second))
            .collect();
        println!(
            "| {name} | {writers} | {writes} | {:.0} | {} | {:.2} | {:.2} |",
            median.per_second,
            all.join(", "),
            median.p50.as_secs_f64() * 1e3,
            median.p99.as_secs_f64() * 1e3,
        );
    }
    let stored = store.list_diary_entries().await.unwrap().len();
    assert_eq!(stored, expected, "every acknowledged write is stored");
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse().expect("a number"))
            .unwrap_or(default)
    };
    let writes = flag("--writes", 2000);
    let runs = flag("--runs", 3);

    let rt = common::runtime();
    rt.block_on(async {
        println!("diary writes: {writes} per run, median of {runs} runs; latency of one write in ms");
        println!();
        println!("| backend | writers | writes | writes/s (median) | writes/s (all runs) | p50 ms | p99 ms |");
        println!("|---|---|---|---|---|---|---|");

        let dir = tempfile::tempdir().unwrap();
        let location = Location::Sqlite(dir.path().join("bench.db"));
        let store = Store::open(&location).await.unwrap();
        bench("SQLite (WAL, synchronous=FULL)", &store, writes, runs).await;
        store.close().await;

        match std::env::var(common::PG_ENV) {
            Ok(admin) if !admin.is_empty() => {
                let db = common::PgTestDb::create(&admin).await;
                let store = Store::open(&Location::Postgres(db.url.clone())).await.unwrap();
                bench("PostgreSQL 127.0.0.1", &store, writes, runs).await;
                store.close().await;
            }
            _ => println!("\nPostgreSQL skipped: set {}", common::PG_ENV),
        }
    });
}
