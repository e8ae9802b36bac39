//! The store against whichever backend this build selected. Every test here runs twice in CI:
//! `cargo test -p notes-store` (rusqlite) and
//! `cargo test -p notes-store --no-default-features --features backend-libsql` (dbcompat).

mod common;

use common::{note, seeded, ScratchDir, CLOCK};
use notes_store::db as rusqlite;
use notes_store::{NewNote, NoteId, NoteKind, Store, StoreError, Tags, UnknownKind};
use rusqlite::types::{FromSql, FromSqlError, Type, ValueRef};
use rusqlite::{ffi, params, Connection, ErrorCode, MAIN_DB};

#[test]
fn migration_sets_user_version_and_is_idempotent() {
    let dir = ScratchDir::new("migrate");
    let path = dir.file("notes.db");
    {
        let mut store = Store::open_with_clock(&path, CLOCK).unwrap();
        assert_eq!(store.found_version(), 0);
        assert_eq!(store.schema_version().unwrap(), 2);
        assert_eq!(store.migrate().unwrap(), (2, 2));
        // Migration 2 added `score`.
        let mut columns = Vec::new();
        store
            .connection()
            .pragma(None, "table_info", "notes", |row| {
                columns.push(row.get::<_, String>("name")?);
                Ok(())
            })
            .unwrap();
        assert_eq!(columns.last().map(String::as_str), Some("score"));
        store.insert(&note("a", NoteKind::Fact, "A", "a")).unwrap();
    }
    let store = Store::open_with_clock(&path, CLOCK).unwrap();
    assert_eq!(store.found_version(), 2);
    assert_eq!(store.count().unwrap(), 1);

    store
        .connection()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    drop(store);
    match Store::open(&path) {
        Err(StoreError::SchemaTooNew {
            found: 99,
            supported: 2,
        }) => {}
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn insert_and_get_round_trip_every_field() {
    let store = Store::open_in_memory(CLOCK).unwrap();
    let new = note("hello", NoteKind::Journal, "Hello", "First entry.")
        .tags(["a", "b c", " "])
        .pinned(true)
        .score(1.25);
    let id = store.insert(&new).unwrap();
    assert_eq!(id, NoteId(1));
    let got = store.get(id).unwrap().expect("note exists");
    assert_eq!(got.id, id);
    assert_eq!(got.slug, "hello");
    assert_eq!(got.kind, NoteKind::Journal);
    assert_eq!(got.title, "Hello");
    assert_eq!(got.body, "First entry.");
    assert_eq!(got.tags, Tags::new(["a", "b c"]));
    assert_eq!((got.created_at, got.updated_at), (1000, 1000));
    assert!(got.pinned);
    assert_eq!(got.score, 1.25);
    assert_eq!(store.get_by_slug("hello").unwrap(), Some(got));

    // Storage classes: kind and tags are TEXT, pinned an INTEGER 0/1, score a REAL.
    let types: (String, String, String, i64, String) = store
        .connection()
        .query_row(
            "SELECT typeof(kind), typeof(tags), typeof(pinned), pinned, typeof(score) FROM notes",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        types,
        (
            "text".into(),
            "text".into(),
            "integer".into(),
            1,
            "real".into()
        )
    );
}

#[test]
fn missing_notes_are_none_not_errors() {
    let store = seeded();
    assert_eq!(store.get(NoteId(12345)).unwrap(), None);
    assert_eq!(store.get_by_slug("nope").unwrap(), None);
    assert_eq!(store.bump_score(NoteId(12345), 1.0).unwrap(), None);
    assert!(!store.set_pinned(NoteId(12345), true).unwrap());
    assert!(!store.delete(NoteId(12345)).unwrap());
    // The hot path goes through the statement cache; hammer it and leave nothing running.
    for round in 0..3 {
        for id in 1..=36 {
            let n = store.get(NoteId(id)).unwrap().expect("seeded");
            assert_eq!(n.id, NoteId(id), "round {round}");
        }
    }
    assert!(!store.connection().is_busy());
}

#[test]
fn duplicate_slug_is_a_unique_constraint_violation() {
    let store = seeded();
    match store.insert(&note("rust-basics", NoteKind::Fact, "x", "y")) {
        Err(StoreError::DuplicateSlug(slug)) => assert_eq!(slug, "rust-basics"),
        other => panic!("expected DuplicateSlug, got {other:?}"),
    }
    let err = store
        .connection()
        .execute(
            "INSERT INTO notes (slug, kind, title, body, created_at, updated_at)
             VALUES (?1, 'fact', 't', 'b', 0, 0)",
            ["rust-basics"],
        )
        .unwrap_err();
    match &err {
        rusqlite::Error::SqliteFailure(
            ffi::Error {
                code: ErrorCode::ConstraintViolation,
                extended_code,
            },
            Some(message),
        ) => {
            assert_eq!(*extended_code, ffi::SQLITE_CONSTRAINT_UNIQUE);
            assert_eq!(message, "UNIQUE constraint failed: notes.slug");
        }
        other => panic!("expected a UNIQUE violation, got {other:?}"),
    }
    assert_eq!(
        err.sqlite_error_code(),
        Some(ErrorCode::ConstraintViolation)
    );
    assert_eq!(err.to_string(), "UNIQUE constraint failed: notes.slug");
    assert_eq!(store.count().unwrap(), 36);
}

#[test]
fn upsert_updates_in_place_and_returns_the_id() {
    let store = Store::open_in_memory(CLOCK).unwrap();
    let (id, inserted) = store
        .upsert(&note("k", NoteKind::Todo, "Old", "old body").tags(["x"]))
        .unwrap();
    assert_eq!((id, inserted), (NoteId(1), true));
    store
        .insert(&note("other", NoteKind::Fact, "O", "o"))
        .unwrap();

    let (again, inserted) = store
        .upsert(&note("k", NoteKind::Link, "New", "new body").score(2.5))
        .unwrap();
    assert_eq!((again, inserted), (id, false));
    let n = store.get(id).unwrap().unwrap();
    assert_eq!(
        (n.kind, n.title.as_str(), n.body.as_str()),
        (NoteKind::Link, "New", "new body")
    );
    assert_eq!(n.tags, Tags::default());
    assert_eq!(n.score, 2.5);
    assert_eq!(n.created_at, 1000);
    assert_eq!(n.updated_at, 1020);
    assert_eq!(store.count().unwrap(), 2);

    let (third, inserted) = store.upsert(&note("k2", NoteKind::Fact, "T", "t")).unwrap();
    assert_eq!((third, inserted), (NoteId(3), true));
}

#[test]
fn search_ranks_with_bm25_and_marks_matches() {
    let store = seeded();
    let hits = store.search("sqlite", 10).unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h.id.0).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| (4..=6).contains(id)), "{ids:?}");
    assert!(hits.windows(2).all(|w| w[0].rank <= w[1].rank));
    assert!(hits.iter().all(|h| h.rank < 0.0));
    for hit in &hits {
        assert!(hit.title.contains("<SQLite>"), "{}", hit.title);
        assert!(hit.snippet.contains("[SQLite]"), "{}", hit.snippet);
    }

    // A title match (weight 10) outranks body-only matches.
    let hits = store.search("garden", 10).unwrap();
    assert!(hits[0].title.contains("<Garden>"));
    let last = hits.last().unwrap();
    assert_eq!(last.title, "Cooking reading list");
    assert!(last.snippet.contains("[garden]"));

    // Prefix queries, phrases, column filters and the limit.
    assert_eq!(store.search("borrow*", 10).unwrap().len(), 3);
    assert_eq!(store.search("\"cold brew\"", 10).unwrap().len(), 2);
    assert_eq!(store.search("tags:todo", 100).unwrap().len(), 12);
    assert_eq!(store.search("tags:todo", 4).unwrap().len(), 4);
    assert!(store.search("zebra", 10).unwrap().is_empty());

    // A malformed FTS5 query is an SQLite error, not a panic.
    match store.search("\"unbalanced", 10) {
        Err(StoreError::Db(rusqlite::Error::SqliteFailure(e, Some(msg)))) => {
            assert_eq!(e.code, ErrorCode::Unknown);
            assert!(msg.contains("unterminated string"), "{msg}");
        }
        other => panic!("expected an FTS5 syntax error, got {other:?}"),
    }
}

#[test]
fn fts_index_follows_updates_and_deletes() {
    let store = seeded();
    assert_eq!(store.search("metronome", 10).unwrap().len(), 1);
    let (id, _) = store
        .upsert(&note(
            "music-todo",
            NoteKind::Todo,
            "Music checklist",
            "Tune the harpsichord.",
        ))
        .unwrap();
    assert!(store.search("metronome", 10).unwrap().is_empty());
    let hits = store.search("harpsichord", 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id]);

    assert!(store.delete(id).unwrap());
    assert!(store.search("harpsichord", 10).unwrap().is_empty());
    // Renaming a slug fires the UPDATE trigger; the index stays consistent.
    let mut store = store;
    store.rename_slugs(&[("rust-log", "rust-diary")]).unwrap();
    assert_eq!(store.search("lifetimes", 10).unwrap().len(), 1);
    store.optimize().unwrap();
    store.check_index().unwrap();
    // The external-content index holds exactly the rows of `notes`.
    let indexed: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM notes_fts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexed, store.count().unwrap());
}

#[test]
fn bulk_import_is_all_or_nothing() {
    let store = Store::open_in_memory(CLOCK).unwrap();
    let summary = store.import(&notes_store::demo::seed_notes()).unwrap();
    assert_eq!(summary.inserted, 36);
    assert_eq!(summary.ids, (1..=36).map(NoteId).collect::<Vec<_>>());
    assert!(store.connection().is_autocommit());

    let batch = vec![
        note("new-1", NoteKind::Fact, "n1", "b"),
        note("new-2", NoteKind::Fact, "n2", "b"),
        note("new-1", NoteKind::Fact, "dup", "b"),
    ];
    match store.import(&batch) {
        Err(StoreError::DuplicateSlug(slug)) => assert_eq!(slug, "new-1"),
        other => panic!("expected DuplicateSlug, got {other:?}"),
    }
    assert_eq!(store.count().unwrap(), 36);
    assert_eq!(store.get_by_slug("new-2").unwrap(), None);
    assert!(store.search("n2", 10).unwrap().is_empty());
    assert!(
        store.connection().is_autocommit(),
        "ROLLBACK ended the transaction"
    );

    let summary = store.import(&batch[..2]).unwrap();
    assert_eq!(summary.ids, vec![NoteId(37), NoteId(38)]);
}

#[test]
fn transaction_rolls_back_when_a_step_fails() {
    let mut store = seeded();
    let before = store.get_by_slug("garden-log").unwrap().unwrap();

    // Second rename collides with an existing slug: the first is undone.
    match store.rename_slugs(&[("garden-log", "garden-diary"), ("music-todo", "rust-todo")]) {
        Err(StoreError::DuplicateSlug(slug)) => assert_eq!(slug, "rust-todo"),
        other => panic!("expected DuplicateSlug, got {other:?}"),
    }
    assert_eq!(
        store.get_by_slug("garden-log").unwrap(),
        Some(before.clone())
    );
    assert_eq!(store.get_by_slug("garden-diary").unwrap(), None);
    assert!(store.connection().is_autocommit());

    // A missing source slug also rolls back.
    match store.rename_slugs(&[("garden-log", "garden-diary"), ("nope", "x")]) {
        Err(StoreError::NoSuchNote(slug)) => assert_eq!(slug, "nope"),
        other => panic!("expected NoSuchNote, got {other:?}"),
    }
    assert!(store.get_by_slug("garden-log").unwrap().is_some());

    assert_eq!(
        store
            .rename_slugs(&[("garden-log", "garden-diary")])
            .unwrap(),
        1
    );
    let after = store.get_by_slug("garden-diary").unwrap().unwrap();
    assert_eq!(after.id, before.id);
    assert!(after.updated_at > before.updated_at);
}

#[test]
fn note_kind_conversions() {
    // Direct FromSql / ToSql.
    assert_eq!(
        NoteKind::column_result(ValueRef::Text(b"todo")).unwrap(),
        NoteKind::Todo
    );
    match NoteKind::column_result(ValueRef::Text(b"bogus")) {
        Err(FromSqlError::Other(e)) => {
            assert_eq!(
                e.downcast_ref::<UnknownKind>(),
                Some(&UnknownKind("bogus".into()))
            )
        }
        other => panic!("expected FromSqlError::Other, got {other:?}"),
    }
    assert!(matches!(
        NoteKind::column_result(ValueRef::Integer(1)),
        Err(FromSqlError::InvalidType)
    ));

    // Through a query: every kind round-trips as its TEXT.
    let conn = Connection::open_in_memory().unwrap();
    for kind in NoteKind::ALL {
        let (text, back): (String, NoteKind) = conn
            .query_row("SELECT ?1, ?1", params![kind], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((text.as_str(), back), (kind.as_str(), kind));
    }

    // A stored row with an unknown kind fails with the column index and SQL type.
    let store = seeded();
    store
        .connection()
        .execute(
            "INSERT INTO notes (slug, kind, title, body, created_at, updated_at)
             VALUES ('odd', 'bogus', 'Odd', 'b', 0, 0)",
            [],
        )
        .unwrap();
    let id = NoteId(store.connection().last_insert_rowid());
    match store.get(id) {
        Err(StoreError::Db(rusqlite::Error::FromSqlConversionFailure(2, Type::Text, e))) => {
            assert_eq!(e.to_string(), "unknown note kind \"bogus\"");
        }
        other => panic!("expected FromSqlConversionFailure, got {other:?}"),
    }
    // count_by_kind maps every row, so it fails too.
    assert!(store.count_by_kind().is_err());
    // A kind column holding a BLOB (TEXT affinity would turn a number into text) is
    // InvalidColumnType.
    store
        .connection()
        .execute("UPDATE notes SET kind = x'07' WHERE id = ?1", [id])
        .unwrap();
    match store.get(id) {
        Err(StoreError::Db(rusqlite::Error::InvalidColumnType(2, name, Type::Blob))) => {
            assert_eq!(name, "kind")
        }
        other => panic!("expected InvalidColumnType, got {other:?}"),
    }
}

#[test]
fn newtypes_round_trip() {
    let conn = Connection::open_in_memory().unwrap();
    let tags = Tags::new(["alpha", "with,comma", "", "  gamma "]);
    assert_eq!(tags.as_slice(), ["alpha", "with-comma", "gamma"]);
    let (id, tag_text, back): (NoteId, String, Tags) = conn
        .query_row("SELECT ?1, ?2, ?2", params![NoteId(42), tags], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(id, NoteId(42));
    assert_eq!(tag_text, "alpha,with-comma,gamma");
    assert_eq!(back, tags);
    assert!(back.contains("gamma"));

    let empty: Tags = conn.query_row("SELECT ''", [], |r| r.get(0)).unwrap();
    assert_eq!(empty, Tags::default());
    // NoteId reads integers only.
    let err = conn
        .query_row("SELECT 'x'", [], |r| r.get::<_, NoteId>(0))
        .unwrap_err();
    assert!(
        matches!(err, rusqlite::Error::InvalidColumnType(0, _, Type::Text)),
        "{err:?}"
    );
}

#[test]
fn pinned_and_listings_are_ordered() {
    let store = seeded();
    assert_eq!(
        store.count_by_kind().unwrap(),
        vec![
            (NoteKind::Fact, 12),
            (NoteKind::Todo, 12),
            (NoteKind::Journal, 6),
            (NoteKind::Link, 6)
        ]
    );
    assert!(store.set_pinned(NoteId(2), true).unwrap());
    assert_eq!(store.bump_score(NoteId(2), 10.0).unwrap(), Some(10.5));
    let pinned = store.pinned().unwrap();
    assert_eq!(pinned[0].id, NoteId(2));
    assert!(pinned.iter().all(|n| n.pinned));
    assert!(pinned.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(pinned.len(), 7);

    let links = store.list_by_kind(NoteKind::Link).unwrap();
    assert_eq!(links.len(), 6);
    assert!(links.iter().all(|n| n.kind == NoteKind::Link));
    assert!(links.windows(2).all(|w| w[0].updated_at >= w[1].updated_at));
    // Touching a link moves it to the front.
    store.set_pinned(NoteId(6), true).unwrap();
    assert_eq!(store.list_by_kind(NoteKind::Link).unwrap()[0].id, NoteId(6));
}

#[test]
fn read_only_reopen_rejects_writes() {
    let dir = ScratchDir::new("readonly");
    let path = dir.file("notes.db");
    let writer = Store::open_with_clock(&path, CLOCK).unwrap();
    writer.import(&notes_store::demo::seed_notes()).unwrap();

    let ro = Store::open_read_only(&path).unwrap();
    assert!(ro.connection().is_readonly(MAIN_DB).unwrap());
    assert!(!writer.connection().is_readonly(MAIN_DB).unwrap());
    assert_eq!(ro.count().unwrap(), 36);
    assert_eq!(ro.search("sqlite", 10).unwrap().len(), 3);
    assert_eq!(ro.get(NoteId(1)).unwrap().unwrap().slug, "rust-basics");

    match ro.insert(&NewNote::new("x", NoteKind::Fact, "x", "x")) {
        Err(StoreError::Db(rusqlite::Error::SqliteFailure(
            ffi::Error {
                code: ErrorCode::ReadOnly,
                extended_code,
            },
            _,
        ))) => assert_eq!(extended_code, ffi::SQLITE_READONLY),
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    let err = ro
        .connection()
        .execute_batch("DELETE FROM notes")
        .unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ReadOnly));

    // The writer is unaffected and the reader sees its commits.
    writer
        .insert(&NewNote::new("later", NoteKind::Todo, "Later", "after"))
        .unwrap();
    assert_eq!(ro.count().unwrap(), 37);
}

#[test]
fn read_only_uri_escapes_awkward_paths() {
    let dir = ScratchDir::new("uri");
    let nested = dir.path().join("50% off #1 ?really");
    std::fs::create_dir_all(&nested).unwrap();
    let path = nested.join("my notes.db");
    {
        let store = Store::open_with_clock(&path, CLOCK).unwrap();
        store.insert(&note("a", NoteKind::Fact, "A", "a")).unwrap();
    }
    let ro = Store::open_read_only(&path).unwrap();
    assert_eq!(ro.count().unwrap(), 1);
    // Opening a file that does not exist read-only fails instead of creating it.
    let missing = dir.file("missing.db");
    match Store::open_read_only(&missing) {
        Err(StoreError::Db(e)) => assert_eq!(e.sqlite_error_code(), Some(ErrorCode::CannotOpen)),
        other => panic!("expected CannotOpen, got {other:?}"),
    }
    assert!(!missing.exists());
}
