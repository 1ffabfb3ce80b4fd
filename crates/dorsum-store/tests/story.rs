//! One store story, run against SQLite always and against PostgreSQL when `DORSUM_TEST_DATABASE_URL`
//! is set: save assessments, keep a diary, PEG and PSFS, list, export, delete everything, reopen.

mod common;

use std::future::Future;

use common::*;
use dorsum_store::{
    Deleted, Error, Location, NewDiaryEntry, PgUrl, Region, Score, Storage, Store, UserId,
};

/// The story, for any backend. `open` opens the same database each time it is called.
async fn story<S, F, Fut>(open: F)
where
    S: Storage,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    let store = open().await;
    assert_eq!(store.user(), &UserId::local());
    assert!(store.latest_assessment().await.unwrap().is_none());
    assert!(store.list_diary_entries().await.unwrap().is_empty());

    // Assessments: stored verbatim (key order and spacing kept), latest is the last saved.
    let first_json = r#"{"schema": 1, "zeta": "last key first", "id": "case-1", "triage": {"level": "self_care"}}"#;
    let first = store
        .save_assessment(&assessment(Some(6), first_json))
        .await
        .unwrap();
    let second = store
        .save_assessment(&assessment(None, r#"{"schema":1,"id":"case-2"}"#))
        .await
        .unwrap();
    assert_eq!(
        store.latest_assessment().await.unwrap(),
        Some(second.clone())
    );
    let listed = store.list_assessments().await.unwrap();
    assert_eq!(listed, vec![first.clone(), second.clone()]);
    assert_eq!(listed[0].result_json, first_json);
    assert_eq!(listed[0].pain, Some(score(6)));
    assert_eq!(listed[1].pain, None);

    // Diary: listed by date, then in the order added.
    let d3 = store
        .add_diary_entry(&diary("2024-03-03", 3))
        .await
        .unwrap();
    let d1 = store
        .add_diary_entry(&NewDiaryEntry {
            region: None,
            sessions: 0,
            symptoms: Some("tingling in the left foot — new".into()),
            note: Some("slept badly\nsecond line".into()),
            ..diary("2024-03-01", 7)
        })
        .await
        .unwrap();
    let d2a = store
        .add_diary_entry(&diary("2024-03-02", 5))
        .await
        .unwrap();
    let d2b = store
        .add_diary_entry(&NewDiaryEntry {
            region: Some(Region::Neck),
            sessions: u32::MAX,
            ..diary("2024-03-02", 0)
        })
        .await
        .unwrap();
    let diary_list = store.list_diary_entries().await.unwrap();
    assert_eq!(
        diary_list,
        vec![d1.clone(), d2a.clone(), d2b.clone(), d3.clone()]
    );

    // Bad input: a typed error naming the field, nothing written.
    assert_eq!(Score::new(11).unwrap_err().field, "score");
    let future = NewDiaryEntry {
        date: "2999-01-01".parse().unwrap(),
        ..diary("2024-03-01", 1)
    };
    match store.add_diary_entry(&future).await {
        Err(Error::Invalid(inv)) => assert_eq!(inv.field, "date"),
        other => panic!("{other:?}"),
    }
    match store
        .add_psfs(&psfs(
            "2024-03-02",
            &[("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1), ("f", 1)],
        ))
        .await
    {
        Err(Error::Invalid(inv)) => assert_eq!(inv.field, "activities"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.list_diary_entries().await.unwrap().len(), 4);

    // PEG and PSFS.
    let p2 = store.add_peg(&peg("2024-03-08", 4, 3, 2)).await.unwrap();
    let p1 = store.add_peg(&peg("2024-03-01", 7, 6, 8)).await.unwrap();
    assert_eq!(
        store.list_peg().await.unwrap(),
        vec![p1.clone(), p2.clone()]
    );
    let s1 = store
        .add_psfs(&psfs(
            "2024-03-01",
            &[
                ("walking the dog", 4),
                ("lifting my toddler", 2),
                ("gardening", 6),
            ],
        ))
        .await
        .unwrap();
    let psfs_list = store.list_psfs().await.unwrap();
    assert_eq!(psfs_list, vec![s1.clone()]);
    assert_eq!(psfs_list[0].activities[1].name, "lifting my toddler");
    assert!(
        store
            .list_psfs()
            .await
            .unwrap()
            .iter()
            .all(|e| !e.activities.is_empty())
    );

    // Another user sees none of it, and theirs stays out of ours.
    let other = store.for_user(UserId::new("someone-else").unwrap());
    assert!(other.list_diary_entries().await.unwrap().is_empty());
    assert!(other.latest_assessment().await.unwrap().is_none());
    let theirs = other
        .add_diary_entry(&diary("2024-03-01", 2))
        .await
        .unwrap();
    assert_eq!(store.list_diary_entries().await.unwrap().len(), 4);

    // Edit and delete single entries: another user can touch neither; an edit keeps id and creation
    // time and re-sorts by the new date; a bad edit writes nothing.
    assert_eq!(
        other
            .update_diary_entry(&d3.id, &diary("2024-02-01", 9))
            .await
            .unwrap(),
        None
    );
    assert!(!other.delete_diary_entry(&d3.id).await.unwrap());
    let edited = store
        .update_diary_entry(
            &d3.id,
            &NewDiaryEntry {
                note: Some("edited".into()),
                ..diary("2024-02-28", 2)
            },
        )
        .await
        .unwrap()
        .expect("our entry exists");
    assert_eq!(
        (
            &edited.id,
            edited.created_at,
            edited.pain,
            edited.note.as_deref()
        ),
        (&d3.id, d3.created_at, score(2), Some("edited"))
    );
    assert_eq!(edited.date.to_string(), "2024-02-28");
    match store.update_diary_entry(&d3.id, &future).await {
        Err(Error::Invalid(inv)) => assert_eq!(inv.field, "date"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store
            .update_diary_entry("no-such-id", &diary("2024-02-01", 1))
            .await
            .unwrap(),
        None
    );
    assert!(store.delete_diary_entry(&d2b.id).await.unwrap());
    assert!(!store.delete_diary_entry(&d2b.id).await.unwrap());
    let diary_list = store.list_diary_entries().await.unwrap();
    assert_eq!(diary_list, vec![edited, d1.clone(), d2a.clone()]);

    // Export: everything, in list order; the result object embedded as JSON, not as a string.
    let export = store.export().await.unwrap();
    assert_eq!(export.assessments, vec![first.clone(), second.clone()]);
    assert_eq!(export.diary, diary_list);
    assert_eq!(export.peg, vec![p1.clone(), p2.clone()]);
    assert_eq!(export.psfs, vec![s1.clone()]);
    let json: serde_json::Value = serde_json::to_value(&export).unwrap();
    assert_eq!(json["format"], "dorsum-export");
    assert_eq!(json["user_id"], "local");
    assert_eq!(json["assessments"][0]["result"]["zeta"], "last key first");
    assert_eq!(json["assessments"][0]["triage"], "self_care");
    assert_eq!(json["assessments"][0]["evidence"]["age"], 40);
    assert_eq!(json["diary"][0]["date"], "2024-02-28");
    assert_eq!(json["diary"][1]["region"], serde_json::Value::Null);
    assert_eq!(json["peg"][0]["enjoyment"], 6);
    assert_eq!(json["psfs"][0]["activities"][2]["score"], 6);
    let text = serde_json::to_string(&export).unwrap();
    assert!(
        text.contains(first_json),
        "the result is exported byte for byte"
    );

    // Reopen: everything is still there, unchanged.
    store.close().await;
    let store = open().await;
    let mut again = store.export().await.unwrap();
    again.exported_at = export.exported_at;
    assert_eq!(again, export);

    // Delete everything, in one go; the other user keeps theirs.
    let deleted = store.delete_all().await.unwrap();
    assert_eq!(
        deleted,
        Deleted {
            assessments: 2,
            diary: 3,
            peg: 2,
            psfs: 1
        }
    );
    assert_eq!(deleted.total(), 8);
    let empty = store.export().await.unwrap();
    assert!(empty.assessments.is_empty() && empty.diary.is_empty());
    assert!(empty.peg.is_empty() && empty.psfs.is_empty());
    assert!(store.latest_assessment().await.unwrap().is_none());
    assert_eq!(store.delete_all().await.unwrap(), Deleted::default());

    // Reopen: still empty, and the other user's entry survived.
    store.close().await;
    let store = open().await;
    assert!(store.list_diary_entries().await.unwrap().is_empty());
    assert!(store.list_psfs().await.unwrap().is_empty());
    let other = store.for_user(UserId::new("someone-else").unwrap());
    assert_eq!(other.list_diary_entries().await.unwrap(), vec![theirs]);
    store.close().await;
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: open creates it.
    let path = dir.path().join("data").join("dorsum").join("dorsum.db");
    let location = Location::Sqlite(path.clone());
    story(|| async { Store::open(&location).await.unwrap() }).await;
    assert_eq!(integrity_check(&path).await, "ok");
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(admin) = pg_admin_url("story_on_postgres") else {
        return;
    };
    let db = PgTestDb::create(&admin).await;
    let location = Location::Postgres(db.url.clone());
    story(|| async { Store::open(&location).await.unwrap() }).await;
}

#[tokio::test]
async fn postgres_errors_say_what_to_check_and_hide_the_password() {
    // Nothing listens on port 1 of this machine.
    let url = PgUrl::parse("postgres://me:hunter2@127.0.0.1:1/dorsum").unwrap();
    let err = Store::open(&Location::Postgres(url)).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        message.contains("127.0.0.1:1") && message.contains("server is running"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");

    let bad_param =
        PgUrl::parse("postgres://me:hunter2@127.0.0.1:1/dorsum?sslmode=sometimes").unwrap();
    let err = Store::open(&Location::Postgres(bad_param))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        err.to_string().contains("sslmode") && !err.to_string().contains("hunter2"),
        "{err}"
    );

    let Some(admin) = pg_admin_url("postgres_errors_say_what_to_check") else {
        return;
    };
    let missing = PgUrl::parse(&with_database(&admin, "dorsum_no_such_database")).unwrap();
    let err = Store::open(&Location::Postgres(missing)).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(message.contains("createdb"), "{message}");
}
