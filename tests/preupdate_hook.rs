//! The preupdate hook (feature `preupdate_hook`). dbcompat-only: real rusqlite's
//! `preupdate_hook` feature generates its bindings with libclang at build time, which the test
//! machines lack. Expected values follow SQLite's documented preupdate semantics.
extern crate dbcompat as rusqlite;

use rusqlite::hooks::{Action, PreUpdateCase};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::sync::{Arc, Mutex};

type Seen = Vec<(Action, String, i64, i64, Vec<Value>, Vec<Value>, i32)>;

#[test]
fn preupdate_hook_sees_old_and_new_values() {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);")
        .unwrap();
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let sink = seen.clone();
    db.preupdate_hook(Some(
        move |action: Action, db_name: &str, table: &str, case: &PreUpdateCase| {
            assert_eq!(db_name, "main");
            let (mut old, mut new) = (Vec::new(), Vec::new());
            let (mut old_id, mut new_id, mut depth) = (-1, -1, -1);
            match case {
                PreUpdateCase::Insert(n) => {
                    new_id = n.get_new_row_id();
                    depth = n.get_query_depth();
                    for i in 0..n.get_column_count() {
                        new.push(Value::from(n.get_new_column_value(i).unwrap()));
                    }
                }
                PreUpdateCase::Delete(o) => {
                    old_id = o.get_old_row_id();
                    depth = o.get_query_depth();
                    for i in 0..o.get_column_count() {
                        old.push(Value::from(o.get_old_column_value(i).unwrap()));
                    }
                }
                PreUpdateCase::Update {
                    old_value_accessor: o,
                    new_value_accessor: n,
                } => {
                    old_id = o.get_old_row_id();
                    new_id = n.get_new_row_id();
                    for i in 0..o.get_column_count() {
                        old.push(Value::from(o.get_old_column_value(i).unwrap()));
                        new.push(Value::from(n.get_new_column_value(i).unwrap()));
                    }
                    // Out of range is an error, not a panic.
                    assert!(n.get_new_column_value(99).is_err());
                }
                PreUpdateCase::Unknown => panic!("unknown case"),
            }
            sink.lock()
                .unwrap()
                .push((action, table.to_owned(), old_id, new_id, old, new, depth));
        },
    ));
    db.execute("INSERT INTO t VALUES (1, 'a')", []).unwrap();
    db.execute("UPDATE t SET v = 'b' WHERE id = 1", []).unwrap();
    db.execute("DELETE FROM t WHERE id = 1", []).unwrap();
    let got = std::mem::take(&mut *seen.lock().unwrap());
    let text = |s: &str| Value::Text(s.to_owned());
    assert_eq!(
        got,
        [
            (
                Action::SQLITE_INSERT,
                "t".into(),
                -1,
                1,
                vec![],
                vec![Value::Integer(1), text("a")],
                0
            ),
            (
                Action::SQLITE_UPDATE,
                "t".into(),
                1,
                1,
                vec![Value::Integer(1), text("a")],
                vec![Value::Integer(1), text("b")],
                -1
            ),
            (
                Action::SQLITE_DELETE,
                "t".into(),
                1,
                -1,
                vec![Value::Integer(1), text("b")],
                vec![],
                0
            ),
        ]
    );
    // Removing the hook stops the calls.
    db.preupdate_hook(None::<fn(Action, &str, &str, &PreUpdateCase)>);
    db.execute("INSERT INTO t VALUES (2, 'c')", []).unwrap();
    assert!(seen.lock().unwrap().is_empty());
    assert_eq!(Action::from(PreUpdateCase::Unknown), Action::UNKNOWN);
}
