//! Two more companions at their latest versions, both built on `rusqlite ^0.40`, running on
//! dbcompat through the 0.40 facade: the async pool deadpool-sqlite 0.14 and tokio-rusqlite 0.8.
//! Each runs concurrent writers from tokio tasks on a local libSQL file and on the remote test
//! server (the URL handed over as the database "path"), and checks no row is lost.

#[path = "../../compat-tests/server.rs"]
mod server;

use std::path::PathBuf;

const TASKS: i64 = 6;
const ROWS_PER_TASK: i64 = 20;

fn temp_db(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dbcompat-facade040-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("db.sqlite")
}

/// The server URL, with the test token exported the way a user would (`LIBSQL_AUTH_TOKEN`).
fn server_url() -> String {
    let srv = server::shared();
    if let Ok(token) = std::env::var("DBCOMPAT_TEST_TOKEN") {
        if std::env::var_os("LIBSQL_AUTH_TOKEN").is_none() {
            std::env::set_var("LIBSQL_AUTH_TOKEN", token);
        }
    }
    srv.url.clone()
}

/// deadpool-sqlite: `TASKS` tasks each take a pooled connection and insert through
/// `interact`, which runs the closure on a blocking thread with a `&mut rusqlite::Connection`.
async fn deadpool_workload(path: &str, table: &str) {
    use deadpool_sqlite::{Config, Runtime};
    let pool = Config::new(path).create_pool(Runtime::Tokio1).unwrap();
    let conn = pool.get().await.unwrap();
    let create = format!(
        "DROP TABLE IF EXISTS {table}; CREATE TABLE {table}(task INTEGER NOT NULL, n INTEGER NOT NULL)"
    );
    conn.interact(move |c| c.execute_batch(&create))
        .await
        .unwrap()
        .unwrap();
    drop(conn);

    let mut handles = Vec::new();
    for task in 0..TASKS {
        let pool = pool.clone();
        let sql = format!("INSERT INTO {table}(task, n) VALUES (?1, ?2)");
        handles.push(tokio::spawn(async move {
            let conn = pool.get().await.unwrap();
            conn.interact(move |c| -> rusqlite::Result<()> {
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                let tx = c.transaction()?;
                for n in 0..ROWS_PER_TASK {
                    tx.execute(&sql, rusqlite::params![task, n])?;
                }
                tx.commit()
            })
            .await
            .unwrap()
            .unwrap();
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }

    let conn = pool.get().await.unwrap();
    let count_sql = format!("SELECT count(*), count(DISTINCT task) FROM {table}");
    let (rows, tasks): (i64, i64) = conn
        .interact(move |c| c.query_one(&count_sql, [], |r| Ok((r.get(0)?, r.get(1)?))))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((rows, tasks), (TASKS * ROWS_PER_TASK, TASKS));
    // rusqlite 0.40's rule reaches through the pool: a second statement is refused.
    let err = conn
        .interact(|c| c.execute("SELECT 1; SELECT 2", []))
        .await
        .unwrap()
        .unwrap_err();
    // (`matches!`: like rusqlite's, `Error`'s `PartialEq` never equates `MultipleStatement`.)
    assert!(matches!(err, rusqlite::Error::MultipleStatement), "{err:?}");
}

/// tokio-rusqlite: one background connection thread shared by `TASKS` tasks through `call`.
async fn tokio_rusqlite_workload(path: &str, table: &str) {
    let conn = tokio_rusqlite::Connection::open(path).await.unwrap();
    let create = format!(
        "DROP TABLE IF EXISTS {table}; CREATE TABLE {table}(task INTEGER NOT NULL, n INTEGER NOT NULL)"
    );
    conn.call(move |c| c.execute_batch(&create)).await.unwrap();

    let mut handles = Vec::new();
    for task in 0..TASKS {
        let conn = conn.clone();
        let sql = format!("INSERT INTO {table}(task, n) VALUES (?1, ?2)");
        handles.push(tokio::spawn(async move {
            conn.call(move |c| -> rusqlite::Result<()> {
                let tx = c.transaction()?;
                {
                    let mut stmt = tx.prepare_cached(&sql)?;
                    for n in 0..ROWS_PER_TASK {
                        stmt.execute((task, n))?;
                    }
                }
                tx.commit()
            })
            .await
            .unwrap();
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }

    let sum_sql = format!("SELECT count(*), sum(n) FROM {table}");
    let (rows, sum): (i64, i64) = conn
        .call(move |c| c.query_row(&sum_sql, [], |r| Ok((r.get(0)?, r.get(1)?))))
        .await
        .unwrap();
    let per_task: i64 = (0..ROWS_PER_TASK).sum();
    assert_eq!((rows, sum), (TASKS * ROWS_PER_TASK, TASKS * per_task));
    // An application error travels back as tokio-rusqlite's `Error::Error(rusqlite::Error)`.
    let err = conn
        .call(|c| c.query_row("SELECT 1 WHERE 0", [], |r| r.get::<_, i64>(0)))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        tokio_rusqlite::Error::Error(rusqlite::Error::QueryReturnedNoRows)
    ));
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadpool_sqlite_local_file() {
    let db = temp_db("deadpool");
    deadpool_workload(db.to_str().unwrap(), "dp_local").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadpool_sqlite_remote_server() {
    let url = server_url();
    deadpool_workload(&url, &format!("dp_remote_{}", std::process::id())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_rusqlite_local_file() {
    let db = temp_db("tokio-rusqlite");
    tokio_rusqlite_workload(db.to_str().unwrap(), "tr_local").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_rusqlite_remote_server() {
    let url = server_url();
    tokio_rusqlite_workload(&url, &format!("tr_remote_{}", std::process::id())).await;
}
