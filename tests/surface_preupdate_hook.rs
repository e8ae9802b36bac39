//! The preupdate hook under the newer surfaces (`v0_40`, `v0_43`): it returns `Result<()>`,
//! takes `&mut self` from 0.41 on, and its accessors give the surface's `ValueRef` and `Error`.
//! Each case is written once and run under both surfaces. dbcompat-only, as
//! tests/preupdate_hook.rs: real rusqlite's `preupdate_hook` feature needs libclang at build
//! time. Expected values follow SQLite's documented preupdate semantics.
#![allow(unused_mut)] // `let mut db`: 0.41+ hooks take `&mut self`, 0.40's take `&self`.

/// The cases, compiled against the surface `$surface`.
macro_rules! preupdate_cases {
    ($surface:ident) => {
        mod $surface {
            use dbcompat::$surface as rusqlite;
            use rusqlite::hooks::{Action, PreUpdateCase};
            use rusqlite::types::ValueRef;
            use rusqlite::{Connection, Error, ErrorCode};
            use std::sync::{Arc, Mutex};

            /// What the hook saw: action, table, old and new rowid, old and new `v`.
            type Seen = Vec<(Action, String, i64, i64, Option<String>, Option<String>)>;

            fn text(v: rusqlite::Result<ValueRef<'_>>) -> Option<String> {
                Some(v.ok()?.as_str().ok()?.to_owned())
            }

            #[test]
            fn hook_sees_old_and_new_values() -> rusqlite::Result<()> {
                let mut db = Connection::open_in_memory()?;
                db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);")?;
                let seen: Arc<Mutex<Seen>> = Arc::default();
                let sink = seen.clone();
                db.preupdate_hook(Some(
                    move |action, db_name: &str, table: &str, case: &PreUpdateCase| {
                        assert_eq!(db_name, "main");
                        let row = match case {
                            PreUpdateCase::Insert(n) => {
                                assert_eq!(n.get_column_count(), 2);
                                assert_eq!(n.get_query_depth(), 0);
                                (
                                    -1,
                                    n.get_new_row_id(),
                                    None,
                                    text(n.get_new_column_value(1)),
                                )
                            }
                            PreUpdateCase::Delete(o) => (
                                o.get_old_row_id(),
                                -1,
                                text(o.get_old_column_value(1)),
                                None,
                            ),
                            PreUpdateCase::Update {
                                old_value_accessor: o,
                                new_value_accessor: n,
                            } => {
                                // Out of range is the engine's `SQLITE_RANGE`, not a panic.
                                let Err(Error::SqliteFailure(e, _)) = n.get_new_column_value(9)
                                else {
                                    panic!("column 9 of 2 is out of range");
                                };
                                assert_eq!(e.code, ErrorCode::ParameterOutOfRange);
                                let (old, new) =
                                    (o.get_old_column_value(1), n.get_new_column_value(1));
                                (o.get_old_row_id(), n.get_new_row_id(), text(old), text(new))
                            }
                            PreUpdateCase::Unknown => panic!("unknown case"),
                        };
                        sink.lock().unwrap().push((
                            action,
                            table.to_owned(),
                            row.0,
                            row.1,
                            row.2,
                            row.3,
                        ));
                    },
                ))?;
                db.execute("INSERT INTO t VALUES (1, 'a')", [])?;
                db.execute("UPDATE t SET v = 'b', id = 2 WHERE id = 1", [])?;
                db.execute("DELETE FROM t WHERE id = 2", [])?;
                db.preupdate_hook(None::<fn(Action, &str, &str, &PreUpdateCase)>)?;
                db.execute("INSERT INTO t VALUES (3, 'c')", [])?;

                let s = |v: &str| Some(v.to_owned());
                assert_eq!(
                    *seen.lock().unwrap(),
                    [
                        (Action::SQLITE_INSERT, "t".to_owned(), -1, 1, None, s("a")),
                        (Action::SQLITE_UPDATE, "t".to_owned(), 1, 2, s("a"), s("b")),
                        (Action::SQLITE_DELETE, "t".to_owned(), 2, -1, s("b"), None),
                    ]
                );
                assert_eq!(Action::from(PreUpdateCase::Unknown), Action::UNKNOWN);
                Ok(())
            }
        }
    };
}

preupdate_cases!(v0_40);
preupdate_cases!(v0_43);
