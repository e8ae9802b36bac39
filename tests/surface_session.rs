//! The session extension under the newer surfaces (`v0_40`, `v0_43`): `Name`d databases and
//! tables, the surface's `Error` and `ValueRef`, and the conflict handler's `ChangesetItem` by
//! value (0.40) or by reference (0.43). Each case is written once and run under both surfaces.
//! dbcompat-only, as tests/session.rs: real rusqlite's `session` feature needs libclang at
//! build time. The expectations follow SQLite's documented session semantics. On a remote
//! connection the session, serialize and preupdate APIs are the typed local-only error.
#![allow(unused_mut)] // `let mut remote`: 0.43's `serialize`/hooks take `&mut self`, 0.40's `&self`.

#[cfg(feature = "remote")]
#[path = "../compat-tests/server.rs"]
mod server;

/// The cases, compiled against the surface `$surface`.
macro_rules! session_cases {
    ($surface:ident) => {
        mod $surface {
            use dbcompat::$surface as rusqlite;
            use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
            use rusqlite::hooks::Action;
            use rusqlite::session::{
                Changegroup, Changeset, ChangesetIter, ConflictAction, ConflictType, Session,
            };
            use rusqlite::types::ValueRef;
            use rusqlite::{Connection, Error, ErrorCode, MAIN_DB};
            use std::sync::{Arc, Mutex};

            type TestResult = Result<(), Box<dyn std::error::Error>>;

            fn db() -> rusqlite::Result<Connection> {
                let db = Connection::open_in_memory()?;
                db.execute_batch("CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);")?;
                Ok(db)
            }

            fn sum(db: &Connection) -> rusqlite::Result<i64> {
                db.query_row("SELECT coalesce(sum(v), 0) FROM kv", [], |r| r.get(0))
            }

            /// Records inserts and an update on `main`, reads them back and applies them.
            fn recorded(src: &Connection) -> rusqlite::Result<Changeset> {
                let mut session = Session::new_with_name(src, MAIN_DB)?;
                session.attach(Some("kv"))?;
                src.execute_batch(
                    "INSERT INTO kv VALUES ('a', 1), ('b', 2); UPDATE kv SET v = 5 WHERE k = 'a';",
                )?;
                assert!(!session.is_empty());
                session.changeset()
            }

            #[test]
            fn changeset_reads_back_and_applies() -> TestResult {
                let src = db()?;
                let changeset = recorded(&src)?;
                let mut keys = Vec::new();
                let mut iter = changeset.iter()?;
                while let Some(item) = iter.next()? {
                    let op = item.op()?;
                    assert_eq!((op.table_name(), op.code()), ("kv", Action::SQLITE_INSERT));
                    assert_eq!(item.pk()?, &[1, 0]);
                    let ValueRef::Text(key) = item.new_value(0)? else {
                        panic!("a text key");
                    };
                    keys.push(String::from_utf8(key.to_vec())?);
                }
                keys.sort();
                assert_eq!(keys, ["a", "b"]);

                let dst = db()?;
                dst.apply(&changeset, None::<fn(&str) -> bool>, |_, _| {
                    ConflictAction::SQLITE_CHANGESET_ABORT
                })?;
                assert_eq!(sum(&dst)?, 7);
                Ok(())
            }

            #[test]
            fn conflict_handler_sees_the_current_row() -> TestResult {
                let changeset = recorded(&db()?)?;
                let dst = db()?;
                dst.execute("INSERT INTO kv VALUES ('a', 40)", [])?;
                let seen = Arc::new(Mutex::new(Vec::new()));
                let record = seen.clone();
                dst.apply(
                    &changeset,
                    Some(|table: &str| table == "kv"),
                    move |kind, item| {
                        let current = item.conflict(1).and_then(|v| Ok(v.as_i64()?));
                        record.lock().unwrap().push((kind, current.ok()));
                        ConflictAction::SQLITE_CHANGESET_REPLACE
                    },
                )?;
                assert_eq!(
                    *seen.lock().unwrap(),
                    [(ConflictType::SQLITE_CHANGESET_CONFLICT, Some(40))]
                );
                assert_eq!(sum(&dst)?, 7);

                // An aborting handler fails the apply with the engine's `ABORT` code.
                let err = dst
                    .apply(&changeset, None::<fn(&str) -> bool>, |_, _| {
                        ConflictAction::SQLITE_CHANGESET_ABORT
                    })
                    .unwrap_err();
                assert_eq!(err.sqlite_error_code(), Some(ErrorCode::OperationAborted));
                Ok(())
            }

            #[test]
            fn streams_groups_inversion_and_diff() -> TestResult {
                let src = db()?;
                let changeset = recorded(&src)?;
                let mut session = Session::new(&src)?;
                session.attach(None::<&str>)?;
                src.execute("DELETE FROM kv WHERE k = 'b'", [])?;
                let mut stream = Vec::new();
                session.changeset_strm(&mut stream)?;

                let mut input: &[u8] = &stream;
                let input: &mut dyn std::io::Read = &mut input;
                let mut iter = ChangesetIter::start_strm(&input)?;
                let item = iter.next()?.expect("one change");
                assert_eq!(item.op()?.code(), Action::SQLITE_DELETE);
                assert_eq!(item.old_value(1)?, ValueRef::Integer(2));
                assert!(iter.next()?.is_none());

                let mut group = Changegroup::new()?;
                group.add(&changeset)?;
                group.add_stream(&mut &stream[..])?;
                let dst = db()?;
                dst.apply(&group.output()?, None::<fn(&str) -> bool>, |_, _| {
                    ConflictAction::SQLITE_CHANGESET_ABORT
                })?;
                assert_eq!(sum(&dst)?, 5);
                dst.apply(&changeset.invert()?, None::<fn(&str) -> bool>, |_, _| {
                    ConflictAction::SQLITE_CHANGESET_OMIT
                })?;
                assert_eq!(sum(&dst)?, 0);

                // `diff` against an attached copy records what turns it into `main`.
                src.execute_batch(
                    "ATTACH ':memory:' AS aux; CREATE TABLE aux.kv(k TEXT PRIMARY KEY, v INTEGER);",
                )?;
                let mut session = Session::new(&src)?;
                session.attach(Some("kv"))?;
                session.diff::<&str, _>("aux", "kv")?;
                assert!(!session.is_empty());
                let err = session.diff::<&str, _>("nope", "kv").unwrap_err();
                assert_eq!(err.sqlite_error_code(), Some(ErrorCode::Unknown), "{err:?}");
                src.execute_batch(
                    "ATTACH ':memory:' AS other; CREATE TABLE other.kv(k TEXT PRIMARY KEY);",
                )?;
                let Err(Error::SqliteFailure(_, Some(msg))) =
                    session.diff::<&str, _>("other", "kv")
                else {
                    panic!("a diff against a table of another shape fails with a message");
                };
                assert_eq!(msg, "table schemas do not match");
                Ok(())
            }

            /// On a remote connection the session, serialize and preupdate APIs are the core's
            /// typed local-only error (`ApiMisuse`), never a panic.
            #[cfg(feature = "remote")]
            #[test]
            fn remote_connections_get_the_local_only_error() -> TestResult {
                let mut remote = Connection::open_remote(&crate::server::shared().url, "")?;
                let local_only = |err: Error| {
                    assert_eq!(
                        err.sqlite_error_code(),
                        Some(ErrorCode::ApiMisuse),
                        "{err:?}"
                    );
                    assert!(err.to_string().contains("needs a local database"), "{err}");
                };
                local_only(Session::new(&remote).err().expect("no remote session"));
                local_only(
                    remote
                        .apply_strm(&mut &[][..], None::<fn(&str) -> bool>, |_, _| {
                            ConflictAction::SQLITE_CHANGESET_ABORT
                        })
                        .unwrap_err(),
                );
                #[cfg(feature = "serialize")]
                local_only(
                    remote
                        .serialize(MAIN_DB)
                        .err()
                        .expect("no remote serialize"),
                );
                #[cfg(feature = "preupdate_hook")]
                local_only(
                    remote
                        .preupdate_hook(Some(
                            |_: Action, _: &str, _: &str, _: &rusqlite::hooks::PreUpdateCase| {},
                        ))
                        .unwrap_err(),
                );
                // Removing a hook that cannot be installed is a no-op, as for the other hooks.
                #[cfg(feature = "preupdate_hook")]
                remote.preupdate_hook(
                    None::<fn(Action, &str, &str, &rusqlite::hooks::PreUpdateCase)>,
                )?;
                Ok(())
            }
        }
    };
}

session_cases!(v0_40);
session_cases!(v0_43);
