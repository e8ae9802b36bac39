//! The session extension (feature `session`): record changes on one database, apply them to
//! another. Written against `rusqlite::` paths like the parity cases, but dbcompat-only:
//! real rusqlite's `session` feature generates its bindings with libclang at build time, which
//! the test machines do not have. The expected values follow SQLite's documented session
//! semantics (and rusqlite's own session tests).
extern crate dbcompat as rusqlite;

#[path = "../compat-tests/server.rs"]
mod server;

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::hooks::Action;
use rusqlite::session::{Changegroup, ChangesetIter, ConflictAction, ConflictType, Session};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SCHEMA: &str = "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);";

fn db_with_schema() -> rusqlite::Result<Connection> {
    let db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    Ok(db)
}

fn one<T: rusqlite::types::FromSql>(db: &Connection, sql: &str) -> rusqlite::Result<T> {
    db.query_row(sql, [], |r| r.get(0))
}

#[test]
fn session_changeset_applied_to_second_db() -> TestResult {
    let src = db_with_schema()?;
    src.execute("INSERT INTO kv VALUES ('a', 1)", [])?;
    let mut session = Session::new(&src)?;
    assert!(session.is_empty());
    assert!(session.is_enabled());
    session.attach(None)?;
    src.execute_batch(
        "INSERT INTO kv VALUES ('b', 2), ('c', 3);
                       UPDATE kv SET v = 10 WHERE k = 'a';
                       DELETE FROM kv WHERE k = 'c';",
    )?;
    assert!(!session.is_empty());
    let changeset = session.changeset()?;

    // Read it back: one insert (b) and one update (a); the insert then delete of c
    // cancels out.
    let mut seen = Vec::new();
    let mut iter = changeset.iter()?;
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        assert_eq!(op.table_name(), "kv");
        assert_eq!(op.number_of_columns(), 2);
        assert!(!op.indirect());
        assert_eq!(item.pk()?, &[1, 0]);
        let key = match op.code() {
            Action::SQLITE_INSERT => item.new_value(0)?.as_str()?.to_owned(),
            Action::SQLITE_UPDATE => {
                assert_eq!(item.old_value(1)?, ValueRef::Integer(1));
                assert_eq!(item.new_value(1)?, ValueRef::Integer(10));
                // An UPDATE carries the key in its old values only.
                assert!(matches!(
                    item.new_value(0),
                    Err(rusqlite::Error::InvalidColumnIndex(0))
                ));
                item.old_value(0)?.as_str()?.to_owned()
            }
            other => panic!("unexpected {other:?}"),
        };
        seen.push((op.code(), key));
    }
    seen.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        seen,
        [
            (Action::SQLITE_UPDATE, "a".to_owned()),
            (Action::SQLITE_INSERT, "b".to_owned())
        ]
    );
    drop(iter);

    // Apply to a second database holding the original row.
    let dst = db_with_schema()?;
    dst.execute("INSERT INTO kv VALUES ('a', 1)", [])?;
    let conflicts = Arc::new(AtomicUsize::new(0));
    let seen = conflicts.clone();
    dst.apply(&changeset, None::<fn(&str) -> bool>, move |_, _| {
        seen.fetch_add(1, Ordering::Relaxed);
        ConflictAction::SQLITE_CHANGESET_OMIT
    })?;
    assert_eq!(conflicts.load(Ordering::Relaxed), 0);
    assert_eq!(
        one::<String>(
            &dst,
            "SELECT group_concat(k || v, ',') FROM (SELECT * FROM kv ORDER BY k)"
        )?,
        "a10,b2"
    );

    // Applying again conflicts on every change; the handler sees the current row.
    let conflict_types = Arc::new(std::sync::Mutex::new(Vec::new()));
    let types = conflict_types.clone();
    dst.apply(&changeset, None::<fn(&str) -> bool>, move |kind, item| {
        let current = item
            .conflict(1)
            .map(|v| v.as_i64().unwrap_or(-1))
            .unwrap_or(-2);
        types.lock().unwrap().push((kind, current));
        ConflictAction::SQLITE_CHANGESET_OMIT
    })?;
    let mut got = std::mem::take(&mut *conflict_types.lock().unwrap());
    got.sort_by_key(|(_, v)| *v);
    assert_eq!(
        got,
        [
            (ConflictType::SQLITE_CHANGESET_CONFLICT, 2),
            (ConflictType::SQLITE_CHANGESET_DATA, 10),
        ]
    );

    // The inverse undoes it.
    dst.apply(&changeset.invert()?, None::<fn(&str) -> bool>, |_, _| {
        ConflictAction::SQLITE_CHANGESET_ABORT
    })?;
    assert_eq!(
        one::<String>(&dst, "SELECT group_concat(k || v, ',') FROM kv")?,
        "a1"
    );
    Ok(())
}

#[test]
fn session_streams_filters_and_groups() -> TestResult {
    let src = Connection::open_in_memory()?;
    src.execute_batch(
        "CREATE TABLE kv(k TEXT PRIMARY KEY, v); CREATE TABLE other(id INTEGER PRIMARY KEY);",
    )?;
    let mut session = Session::new(&src)?;
    session.table_filter(Some(|table: &str| table == "kv"));
    session.attach(None)?;
    src.execute_batch("INSERT INTO kv VALUES ('x', 1); INSERT INTO other VALUES (7);")?;
    let mut stream = Vec::new();
    session.changeset_strm(&mut stream)?;
    let mut patch = Vec::new();
    session.patchset_strm(&mut patch)?;
    assert!(!patch.is_empty());
    // Only kv was recorded.
    let input: &mut dyn std::io::Read = &mut stream.as_slice();
    let mut iter = ChangesetIter::start_strm(&input)?;
    let mut tables = Vec::new();
    while let Some(item) = iter.next()? {
        tables.push(item.op()?.table_name().to_owned());
    }
    assert_eq!(tables, ["kv"]);
    drop(iter);

    // Changegroup of the stream and an in-memory changeset, applied by stream with a
    // filter that keeps everything.
    session.set_enabled(false);
    src.execute("INSERT INTO kv VALUES ('ignored', 0)", [])?;
    session.set_enabled(true);
    src.execute("INSERT INTO kv VALUES ('y', 2)", [])?;
    let both = session.changeset()?;
    let mut group = Changegroup::new()?;
    group.add_stream(&mut stream.as_slice())?;
    group.add(&both)?;
    let mut combined = Vec::new();
    group.output_strm(&mut combined)?;

    let dst = Connection::open_in_memory()?;
    dst.execute_batch("CREATE TABLE kv(k TEXT PRIMARY KEY, v);")?;
    dst.apply_strm(
        &mut combined.as_slice(),
        Some(|t: &str| t == "kv"),
        |_, _| ConflictAction::SQLITE_CHANGESET_ABORT,
    )?;
    assert_eq!(
        one::<String>(
            &dst,
            "SELECT group_concat(k, ',') FROM (SELECT k FROM kv ORDER BY k)"
        )?,
        "x,y"
    );

    // Inverting the stream gives deletes.
    let mut inverted = Vec::new();
    rusqlite::session::invert_strm(&mut stream.as_slice(), &mut inverted)?;
    dst.apply_strm(
        &mut inverted.as_slice(),
        None::<fn(&str) -> bool>,
        |_, _| ConflictAction::SQLITE_CHANGESET_ABORT,
    )?;
    assert_eq!(
        one::<String>(&dst, "SELECT group_concat(k, ',') FROM kv")?,
        "y"
    );

    // A conflict the handler aborts is an error and changes nothing.
    let err = dst
        .apply(&both, None::<fn(&str) -> bool>, |_, _| {
            ConflictAction::SQLITE_CHANGESET_ABORT
        })
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::OperationAborted)
    );
    assert_eq!(one::<i64>(&dst, "SELECT count(*) FROM kv")?, 1);
    Ok(())
}

#[test]
fn session_and_apply_on_remote_are_typed_errors() {
    let remote = Connection::open_remote(&server::shared().url, "").unwrap();
    let err = Session::new(&remote).err().expect("local-only error");
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ApiMisuse)
    );
    assert!(err.to_string().contains("needs a local database"), "{err}");
    let err = remote
        .apply_strm(&mut &[][..], None::<fn(&str) -> bool>, |_, _| {
            ConflictAction::SQLITE_CHANGESET_ABORT
        })
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ApiMisuse)
    );
}
