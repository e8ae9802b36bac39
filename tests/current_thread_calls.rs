//! Remote calls made from inside a current-thread tokio runtime (`#[tokio::main(flavor =
//! "current_thread")]`, `#[tokio::test]`), where the calling thread can neither drive the
//! connection's runtime nor step out of its own: they run on one helper thread per connection,
//! started once and reused, never a thread per call; for remote connections and embedded
//! replicas alike. Alone in its process, so the threads counted are this test's.

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::Connection;
use std::sync::mpsc;
use std::time::Duration;

/// The ids of this process's live threads named `dbcompat-call`.
fn helper_threads() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim() == "dbcompat-call")
        })
        .map(|task| task.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// Opens a connection with `open` inside a current-thread runtime on a new thread and makes
/// 60 calls through it (writes, cached reads, a query read across other calls). Returns the
/// `dbcompat-call` threads that started after the open: right after the first call and at
/// the end.
fn new_helpers_during_calls(
    open: impl FnOnce() -> Connection + Send + 'static,
) -> (Vec<String>, Vec<String>) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let helpers = rt.block_on(async move {
            let before = helper_threads();
            let new = || -> Vec<String> {
                let mut now = helper_threads();
                now.retain(|id| !before.contains(id));
                now
            };
            let db = open();
            db.execute_batch(
                "DROP TABLE IF EXISTS ct; CREATE TABLE ct(id INTEGER PRIMARY KEY, v TEXT)",
            )
            .unwrap();
            let first = new();
            for i in 0..30 {
                db.execute("INSERT INTO ct(v) VALUES (?1)", [format!("v{i}")])
                    .unwrap();
                let v: String = db
                    .prepare_cached("SELECT v FROM ct WHERE id = ?1")
                    .unwrap()
                    .query_row([i + 1], |r| r.get(0))
                    .unwrap();
                assert_eq!(v, format!("v{i}"));
            }
            // A query read across other calls (rows streamed while the connection is used).
            let mut stmt = db.prepare("SELECT v FROM ct ORDER BY id").unwrap();
            let mut rows = stmt.query([]).unwrap();
            let row = rows.next().unwrap().unwrap();
            assert_eq!(row.get::<_, String>(0).unwrap(), "v0");
            let count: i64 = db
                .query_row("SELECT count(*) FROM ct", [], |r| r.get(0))
                .unwrap();
            assert_eq!(count, 30);
            (first, new())
        });
        let _ = tx.send(helpers);
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the calls finished without a panic or a deadlock")
}

// One test function, so the two connections' helper threads are counted one after the other.
#[test]
fn calls_from_a_current_thread_runtime_reuse_one_helper_thread() {
    let url = server::shared().url.clone();
    let (first, last) =
        new_helpers_during_calls(move || Connection::open_remote(&url, "").unwrap());
    assert_eq!(
        first.len(),
        1,
        "remote: one helper thread after the first call"
    );
    assert_eq!(
        last, first,
        "remote: the same helper thread for every later call"
    );

    // An embedded replica: its local reads go through libsql, and everything else through
    // its session on the primary, whose network stack (with its helper thread) may be the one
    // the remote connection above left idle. At most one helper per side, reused.
    #[cfg(feature = "replica")]
    {
        let url = server::shared().url.clone();
        let dir = std::env::temp_dir().join(format!("dbcompat-ct-replica-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("replica.db");
        let (first, last) =
            new_helpers_during_calls(move || Connection::open_replica(&path, &url, "").unwrap());
        assert!(
            last.len() <= 2,
            "replica: one helper thread per side at most, not one per call: {last:?}"
        );
        assert!(
            first.iter().all(|id| last.contains(id)),
            "replica: the helper threads of the first call serve the later ones"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
