//! Every calling context × every backend: a plain thread, `spawn_blocking`, a multi-thread
//! worker, a current-thread runtime and `#[tokio::test]`, against a local file and the remote
//! test server. Each case runs under a timeout, so a deadlock fails the test instead of
//! hanging it, and a panic anywhere fails it too.

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::{params, Connection, OptionalExtension};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug)]
enum Backend {
    Local,
    Remote,
}

fn open(backend: Backend) -> Connection {
    static N: AtomicUsize = AtomicUsize::new(0);
    match backend {
        Backend::Local => {
            let dir = std::env::temp_dir().join(format!("dbcompat-matrix-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let n = N.fetch_add(1, Ordering::Relaxed);
            Connection::open(dir.join(format!("m{n}.db"))).unwrap()
        }
        Backend::Remote => Connection::open_remote(&server::shared().url, "").unwrap(),
    }
}

/// A real workload: DDL, inserts in a transaction, a cached query, a dropped transaction.
fn workload(backend: Backend, tag: &str) {
    let mut db = open(backend);
    let table = format!("matrix_{tag}");
    db.execute_batch(&format!(
        "DROP TABLE IF EXISTS {table}; CREATE TABLE {table}(id INTEGER PRIMARY KEY, v TEXT)"
    ))
    .unwrap();
    {
        let tx = db.transaction().unwrap();
        for i in 0..20 {
            tx.execute(
                &format!("INSERT INTO {table}(v) VALUES (?1)"),
                params![format!("v{i}")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    {
        // Dropped without commit: must roll back, without panicking, in every context.
        let tx = db.transaction().unwrap();
        tx.execute(&format!("INSERT INTO {table}(v) VALUES ('gone')"), [])
            .unwrap();
    }
    let count: i64 = db
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 20);
    let mut stmt = db
        .prepare_cached(&format!("SELECT v FROM {table} WHERE id = ?1"))
        .unwrap();
    let v: Option<String> = stmt.query_row([5], |r| r.get(0)).optional().unwrap();
    assert_eq!(v.as_deref(), Some("v4"));
    drop(stmt);
    db.execute_batch(&format!("DROP TABLE {table}")).unwrap();
}

/// Runs `f` on its own thread and fails if it panics or takes longer than `LIMIT`.
fn within_limit(name: &str, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result.is_ok());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(true) => {}
        Ok(false) => panic!("{name}: panicked"),
        Err(_) => panic!("{name}: did not finish within {LIMIT:?} (deadlock?)"),
    }
}

fn plain_thread(backend: Backend) {
    within_limit("plain thread", move || {
        workload(backend, &format!("plain_{backend:?}"))
    });
}

fn spawn_blocking(backend: Backend) {
    within_limit("spawn_blocking", move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            tokio::task::spawn_blocking(move || {
                workload(backend, &format!("blocking_{backend:?}"))
            })
            .await
            .unwrap();
        });
    });
}

fn multi_thread_worker(backend: Backend) {
    within_limit("multi-thread worker", move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            // Directly on a worker thread, not in spawn_blocking.
            tokio::spawn(async move { workload(backend, &format!("worker_{backend:?}")) })
                .await
                .unwrap();
        });
    });
}

fn current_thread_runtime(backend: Backend) {
    within_limit("current-thread runtime", move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move { workload(backend, &format!("current_{backend:?}")) });
    });
}

#[test]
fn local_from_plain_thread() {
    plain_thread(Backend::Local);
}

#[test]
fn local_from_spawn_blocking() {
    spawn_blocking(Backend::Local);
}

#[test]
fn local_from_multi_thread_worker() {
    multi_thread_worker(Backend::Local);
}

#[test]
fn local_from_current_thread_runtime() {
    current_thread_runtime(Backend::Local);
}

/// Fails the whole test process if the current thread is stuck past `LIMIT`; used where the
/// context under test is the test's own thread (`#[tokio::test]`), which nothing can preempt.
fn watchdog(name: &'static str) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if rx.recv_timeout(LIMIT) == Err(mpsc::RecvTimeoutError::Timeout) {
            eprintln!("{name}: did not finish within {LIMIT:?} (deadlock?)");
            std::process::exit(101);
        }
    });
    tx
}

#[tokio::test]
async fn local_from_tokio_test() {
    let done = watchdog("local_from_tokio_test");
    workload(Backend::Local, "tokio_test_local");
    done.send(()).unwrap();
}

#[test]
fn remote_from_plain_thread() {
    plain_thread(Backend::Remote);
}

#[test]
fn remote_from_spawn_blocking() {
    spawn_blocking(Backend::Remote);
}

#[test]
fn remote_from_multi_thread_worker() {
    multi_thread_worker(Backend::Remote);
}

#[test]
fn remote_from_current_thread_runtime() {
    current_thread_runtime(Backend::Remote);
}

#[tokio::test]
async fn remote_from_tokio_test() {
    // `#[tokio::test]` is a current-thread runtime; the call blocks this test's only thread,
    // which dbcompat must survive without deadlocking. The server is started first, outside.
    let _ = server::shared();
    let done = watchdog("remote_from_tokio_test");
    workload(Backend::Remote, "tokio_test_remote");
    done.send(()).unwrap();
}

#[test]
fn remote_inside_block_on_of_callers_runtime() {
    within_limit("inside block_on", || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let handle = rt.handle().clone();
        handle.block_on(async { workload(Backend::Remote, "handle_block_on") });
    });
}
