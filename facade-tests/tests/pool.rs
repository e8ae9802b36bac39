//! r2d2 with r2d2_sqlite 0.27 (built against `rusqlite ^0.34`) pooling dbcompat connections
//! through the `rusqlite` facade: several threads holding pooled connections at once, on a local
//! libSQL file, a shared-cache in-memory database, and the remote test server (r2d2_sqlite's
//! file manager handed an `http://` URL, which `Connection::open_with_flags` sends to the server).

#[path = "../../compat-tests/server.rs"]
mod server;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{params, OpenFlags};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

const POOL_SIZE: u32 = 4;
const THREADS: usize = 8;
const ROWS_PER_THREAD: i64 = 25;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-facade-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the pool workload against `manager` with table `table`; returns how many connections
/// the manager opened.
fn exercise(manager: SqliteConnectionManager, table: &str) -> usize {
    let opened = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&opened);
    let manager = manager.with_init(move |c| {
        counter.fetch_add(1, Ordering::SeqCst);
        c.busy_timeout(Duration::from_secs(10))?;
        Ok(())
    });
    let pool = r2d2::Pool::builder()
        .max_size(POOL_SIZE)
        .connection_timeout(Duration::from_secs(30))
        .build(manager)
        .expect("build pool");

    {
        let conn = pool.get().unwrap();
        conn.execute_batch(&format!(
            "DROP TABLE IF EXISTS {table};
             CREATE TABLE {table}(id INTEGER PRIMARY KEY, worker INTEGER NOT NULL, n INTEGER NOT NULL, note TEXT);"
        ))
        .unwrap();
    }

    // POOL_SIZE threads must hold a connection at the same time to pass the barrier: proof that
    // the pool really hands out distinct, concurrently usable connections.
    let barrier = Arc::new(Barrier::new(POOL_SIZE as usize));
    let handles: Vec<_> = (0..THREADS)
        .map(|worker| {
            let pool = pool.clone();
            let barrier = Arc::clone(&barrier);
            let table = table.to_owned();
            std::thread::spawn(move || {
                let mut conn = pool.get().expect("pooled connection");
                if worker < POOL_SIZE as usize {
                    // Each holder reads before the barrier, so all POOL_SIZE are live at once.
                    let n: i64 = conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
                    assert_eq!(n, 1);
                    barrier.wait();
                }
                let tx = conn.transaction().unwrap();
                for n in 0..ROWS_PER_THREAD {
                    tx.execute(
                        &format!("INSERT INTO {table}(worker, n, note) VALUES (?1, ?2, ?3)"),
                        params![worker as i64, n, format!("w{worker}-n{n} ünïcode")],
                    )
                    .unwrap();
                }
                tx.commit().unwrap();
                let mine: i64 = conn
                    .query_row(
                        &format!("SELECT count(*) FROM {table} WHERE worker = ?1"),
                        [worker as i64],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(mine, ROWS_PER_THREAD);
            })
        })
        .collect();
    for h in handles {
        h.join().expect("worker thread");
    }

    let conn = pool.get().unwrap();
    let (count, workers, sum): (i64, i64, i64) = conn
        .query_row(
            &format!("SELECT count(*), count(DISTINCT worker), sum(n) FROM {table}"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(count, THREADS as i64 * ROWS_PER_THREAD);
    assert_eq!(workers, THREADS as i64);
    assert_eq!(
        sum,
        THREADS as i64 * (ROWS_PER_THREAD * (ROWS_PER_THREAD - 1) / 2)
    );
    let state = pool.state();
    assert!(state.connections > 1, "{state:?}");
    conn.execute_batch(&format!("DROP TABLE {table}")).unwrap();
    drop(conn);
    let n = opened.load(Ordering::SeqCst);
    assert!(n >= POOL_SIZE as usize, "opened {n} connections");
    n
}

#[test]
fn pool_local_file() {
    let dir = temp_dir("pool-local");
    let path = dir.join("pool.db");
    // WAL, as a pooled application would use: readers and one writer at a time.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        let mode: String = c
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_ascii_lowercase(), "wal");
    }
    exercise(SqliteConnectionManager::file(&path), "pool_local");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pool_local_file_with_flags() {
    let dir = temp_dir("pool-flags");
    let path = dir.join("pool.db");
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    exercise(
        SqliteConnectionManager::file(&path).with_flags(flags),
        "pool_flags",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// r2d2_sqlite's in-memory manager: a `file:<uuid>?mode=memory&cache=shared` URI, so every
/// pooled connection sees the same database.
#[test]
fn pool_shared_cache_memory() {
    let pool = r2d2::Pool::builder()
        .max_size(3)
        .build(SqliteConnectionManager::memory())
        .unwrap();
    let a = pool.get().unwrap();
    let b = pool.get().unwrap();
    a.execute_batch("CREATE TABLE shared_t(x); INSERT INTO shared_t VALUES (42);")
        .unwrap();
    let x: i64 = b
        .query_row("SELECT x FROM shared_t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(x, 42);
}

/// The same workload on the remote test server: r2d2_sqlite knows nothing of URLs, it calls
/// `Connection::open_with_flags(path, flags)` with the `http://` URL as its path.
#[test]
fn pool_remote_server() {
    let srv = server::shared();
    if let Ok(token) = std::env::var("DBCOMPAT_TEST_TOKEN") {
        if std::env::var_os("LIBSQL_AUTH_TOKEN").is_none() {
            // The only test in this process that opens a URL through the environment.
            std::env::set_var("LIBSQL_AUTH_TOKEN", token);
        }
    }
    let table = format!("pool_remote_{}", std::process::id());
    exercise(SqliteConnectionManager::file(&srv.url), &table);

    // And the connections really are remote: `path()` is the URL.
    let pool = r2d2::Pool::builder()
        .max_size(2)
        .build(SqliteConnectionManager::file(&srv.url))
        .unwrap();
    let conn = pool.get().unwrap();
    assert_eq!(conn.path(), Some(srv.url.as_str()));
    assert!(unsafe { conn.handle() }.is_null());
}
