//! Closing or dropping a 0.43 connection with a transaction open rolls the transaction back
//! without calling the hooks, as rusqlite 0.34 does. Real rusqlite 0.43 leaves its hooks
//! installed, and SQLite then calls the rollback hook after freeing its closure (a
//! use-after-free; the 0.43 differential removes the hooks before closing for that reason), so
//! this cannot be a parity case.
use dbcompat::v0_43::Connection;
use std::sync::{Arc, Mutex};

fn temp_path(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("close.db");
    let _ = std::fs::remove_file(&path);
    path
}

/// Opens `path` with the three hooks logging into `log` and a transaction left open.
fn with_open_transaction(path: &std::path::Path, log: &Arc<Mutex<Vec<String>>>) -> Connection {
    let mut db = Connection::open(path).unwrap();
    db.execute_batch("CREATE TABLE IF NOT EXISTS t(x)").unwrap();
    let (c, r, u) = (log.clone(), log.clone(), log.clone());
    db.commit_hook(Some(move || {
        c.lock().unwrap().push("commit".to_string());
        false
    }))
    .unwrap();
    db.rollback_hook(Some(move || r.lock().unwrap().push("rollback".to_string())))
        .unwrap();
    db.update_hook(Some(move |_, _: &str, t: &str, _| {
        u.lock().unwrap().push(format!("update {t}"))
    }))
    .unwrap();
    db.execute_batch("BEGIN; INSERT INTO t VALUES (1)").unwrap();
    assert!(!db.is_autocommit());
    db
}

#[test]
fn close_and_drop_with_an_open_transaction_call_no_hook() {
    for close in [true, false] {
        let path = temp_path(if close { "close-hooks" } else { "drop-hooks" });
        let log = Arc::new(Mutex::new(Vec::new()));
        let db = with_open_transaction(&path, &log);
        if close {
            db.close().map_err(|(_, e)| e).unwrap();
        } else {
            drop(db);
        }
        // The insert's update hook ran; neither the rollback nor a commit hook ran on close.
        assert_eq!(*log.lock().unwrap(), ["update t"], "close={close}");
        let db = Connection::open(&path).unwrap();
        let rows: i64 = db
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            rows, 0,
            "the open transaction was rolled back (close={close})"
        );
    }
}
