//! Bench target (c): the same workloads written directly against libsql 0.10's async API, the
//! way a careful async user would drive it: one current-thread tokio runtime per thread, each
//! criterion sample run inside one `block_on` (no per-call bridge), statements prepared once
//! and reused with `reset()` before each use (libsql keeps old bindings otherwise) and after a
//! partial read (else the read transaction stays open), rows streamed with
//! `Rows::next`, values read with `get_value` (`Row::get` panics on a type mismatch).
//!
//! `DBCOMPAT_BENCH_LOCAL_ONLY=1` skips workload 7 (no test server needed);
//! `DBCOMPAT_BENCH_PROFILE=<workload>:<n>` runs one workload n times (for callgrind).

#[path = "common.rs"]
mod common;
#[path = "libsql_values.rs"]
mod libsql_values;
#[path = "../compat-tests/server.rs"]
mod server;

use common::{Hit, Item, Lcg, Record, Wide};
use criterion::{black_box, Criterion, SamplingMode};
use libsql::{Builder, Connection, Error, Result, Row, Statement};
use libsql_values::{blob, int, real, text};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const LABEL: &str = "c_raw_libsql";

fn item_from_row(row: &Row) -> Result<Item> {
    Ok(Item {
        id: int(row.get_value(0)?)?,
        name: text(row.get_value(1)?)?,
        value: real(row.get_value(2)?)?,
    })
}

fn hit_from_row(row: &Row) -> Result<Hit> {
    Ok(Hit {
        id: int(row.get_value(0)?)?,
        topic: text(row.get_value(1)?)?,
        content: text(row.get_value(2)?)?,
        importance: real(row.get_value(3)?)?,
        rank: real(row.get_value(4)?)?,
    })
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn open_file(path: &Path) -> Result<(libsql::Database, Connection)> {
    let db = Builder::new_local(path).build().await?;
    let conn = db.connect()?;
    // rusqlite (and dbcompat) open with a 5 s busy timeout; libsql's default is 0.
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(common::PRAGMAS).await?;
    Ok((db, conn))
}

async fn create_items(conn: &Connection, n: i64) -> Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS items; {}; {};",
        common::CREATE_ITEMS,
        common::fill_items_sql("items", n)
    ))
    .await?;
    Ok(())
}

async fn point_lookup(stmt: &Statement, id: i64) -> Result<Item> {
    stmt.reset();
    let mut rows = stmt.query([id]).await?;
    let row = rows.next().await?.ok_or(Error::QueryReturnedNoRows)?;
    let item = item_from_row(&row);
    // Not read to the end: reset now, or the statement keeps its read transaction open (and a
    // later write on this connection fails with SQLITE_BUSY_SNAPSHOT in WAL mode).
    stmt.reset();
    item
}

async fn insert_in_transaction(
    conn: &Connection,
    stmt: &Statement,
    rows: &[(i64, String, f64)],
) -> Result<()> {
    let tx = conn.transaction().await?;
    for (id, name, value) in rows {
        stmt.reset();
        stmt.execute(libsql::params![*id, name.as_str(), *value])
            .await?;
    }
    tx.commit().await
}

async fn scan(stmt: &Statement, n: i64) -> Result<Vec<Item>> {
    stmt.reset();
    let mut rows = stmt.query([n]).await?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await? {
        out.push(item_from_row(&row)?);
    }
    Ok(out)
}

async fn create_memories(conn: &Connection) -> Result<()> {
    conn.execute_batch(common::CREATE_MEMORIES).await?;
    let tx = conn.transaction().await?;
    let stmt = tx.prepare(common::INSERT_MEMORY_SQL).await?;
    for i in 0..common::DOCS {
        let (topic, content, importance, created_at) = common::memory_doc(i);
        stmt.reset();
        stmt.execute(libsql::params![
            i as i64 + 1,
            topic,
            content,
            importance,
            created_at
        ])
        .await?;
    }
    drop(stmt);
    tx.commit().await?;
    conn.execute(common::REBUILD_FTS, ()).await?;
    Ok(())
}

async fn fts_search(stmt: &Statement, query: &str) -> Result<Vec<Hit>> {
    stmt.reset();
    let mut rows = stmt.query([query]).await?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await? {
        out.push(hit_from_row(&row)?);
    }
    Ok(out)
}

async fn open_close(path: &Path) -> Result<()> {
    let db = Builder::new_local(path).build().await?;
    let conn = db.connect()?;
    drop(conn);
    drop(db);
    Ok(())
}

/// One thread of workload 6: its runtime, connection and two prepared statements.
struct MixedWorker {
    rt: Runtime,
    _conn: Connection,
    lookup: Statement,
    update: Statement,
}

impl MixedWorker {
    fn run(&self, seed: u64, ops: usize) -> Result<()> {
        self.rt.block_on(async {
            let mut rng = Lcg::new(seed);
            for k in 0..ops {
                let id = rng.id(common::MIXED_ROWS);
                if k % 5 == 0 {
                    self.update.reset();
                    self.update.execute([id]).await?;
                } else {
                    black_box(point_lookup(&self.lookup, id).await?);
                }
            }
            Ok(())
        })
    }
}

fn bench_local(c: &mut Criterion) {
    let dir = common::scratch_dir(LABEL);
    let rt = runtime();

    // 1. Point lookup, 3. scan.
    {
        let (_db, conn) = rt
            .block_on(open_file(&dir.join("items.db")))
            .expect("open items.db");
        rt.block_on(create_items(&conn, common::ITEMS))
            .expect("fill items");
        let lookup = &rt
            .block_on(conn.prepare(common::LOOKUP_SQL))
            .expect("prepare");
        assert_eq!(
            rt.block_on(point_lookup(lookup, 42)).expect("lookup").id,
            42
        );
        let mut rng = Lcg::new(1);
        let mut g = c.benchmark_group("w1_point_lookup");
        g.sample_size(50);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                timed_runs(&rt, iters, || {
                    let id = rng.id(common::ITEMS);
                    async move { point_lookup(lookup, id).await.expect("lookup") }
                })
            })
        });
        g.finish();

        let scan_stmt = rt
            .block_on(conn.prepare(common::SCAN_SQL))
            .expect("prepare");
        let rows = rt
            .block_on(scan(&scan_stmt, common::SCAN_ROWS))
            .expect("scan");
        assert_eq!(rows.len(), common::SCAN_ROWS as usize);
        let mut g = c.benchmark_group("w3_scan_10k");
        g.sample_size(20);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                timed_runs(&rt, iters, || async {
                    scan(&scan_stmt, common::SCAN_ROWS).await.expect("scan")
                })
            })
        });
        g.finish();
    }

    // 2. Insert 10k rows in one transaction.
    {
        let (_db, conn) = rt
            .block_on(open_file(&dir.join("inserts.db")))
            .expect("open");
        rt.block_on(conn.execute(common::CREATE_INSERTS, ()))
            .expect("create");
        let stmt = rt
            .block_on(conn.prepare(common::INSERT_SQL))
            .expect("prepare");
        let rows = common::insert_rows();
        let mut g = c.benchmark_group("w2_insert_10k_tx");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        conn.execute(common::CLEAR_INSERTS, ())
                            .await
                            .expect("clear");
                        let start = Instant::now();
                        insert_in_transaction(&conn, &stmt, &rows)
                            .await
                            .expect("insert");
                        total += start.elapsed();
                    }
                    total
                })
            })
        });
        g.finish();
    }

    // 4. FTS5 + bm25.
    {
        let (_db, conn) = rt
            .block_on(open_file(&dir.join("memories.db")))
            .expect("open");
        rt.block_on(create_memories(&conn)).expect("fill memories");
        let stmt = rt.block_on(conn.prepare(common::FTS_SQL)).expect("prepare");
        let queries = common::fts_queries();
        for q in &queries {
            let hits = rt.block_on(fts_search(&stmt, q)).expect("fts");
            assert!(!hits.is_empty(), "FTS query {q:?} matched nothing");
        }
        let mut i = 0usize;
        let mut g = c.benchmark_group("w4_fts_bm25_top20");
        g.sample_size(30);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let q = &queries[i % queries.len()];
                        i += 1;
                        black_box(fts_search(&stmt, q).await.expect("fts"));
                    }
                    start.elapsed()
                })
            })
        });
        g.finish();
    }

    // 5. Open and close.
    {
        let path = dir.join("openclose.db");
        rt.block_on(async {
            let db = Builder::new_local(&path).build().await?;
            db.connect()?
                .execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)", ())
                .await?;
            Ok::<_, Error>(())
        })
        .expect("create openclose.db");
        let mut g = c.benchmark_group("w5_open_close");
        g.sample_size(50);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        open_close(&path).await.expect("open/close");
                    }
                    start.elapsed()
                })
            })
        });
        g.finish();
    }

    // 6. Mixed, 4 threads, one connection (and runtime) each.
    {
        let path = dir.join("mixed.db");
        let db = rt
            .block_on(async {
                let (db, conn) = open_file(&path).await?;
                create_items(&conn, common::MIXED_ROWS).await?;
                Ok::<_, Error>(db)
            })
            .expect("fill mixed");
        let mut workers: Vec<MixedWorker> = (0..common::MIXED_THREADS)
            .map(|_| {
                let wrt = runtime();
                let (conn, lookup, update) = wrt
                    .block_on(async {
                        let conn = db.connect()?;
                        conn.busy_timeout(Duration::from_secs(5))?;
                        // synchronous=NORMAL is per connection.
                        conn.execute_batch(common::PRAGMAS).await?;
                        let lookup = conn.prepare(common::LOOKUP_SQL).await?;
                        let update = conn.prepare(common::UPDATE_SQL).await?;
                        Ok::<_, Error>((conn, lookup, update))
                    })
                    .expect("mixed connection");
                MixedWorker {
                    rt: wrt,
                    _conn: conn,
                    lookup,
                    update,
                }
            })
            .collect();
        let mut round = 0u64;
        let mut g = c.benchmark_group("w6_mixed_4_threads");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    round += 1;
                    let start = Instant::now();
                    let handles: Vec<_> = std::mem::take(&mut workers)
                        .into_iter()
                        .enumerate()
                        .map(|(t, w)| {
                            std::thread::spawn(move || {
                                w.run(round * 16 + t as u64, common::MIXED_OPS_PER_THREAD)
                                    .expect("mixed workload");
                                w
                            })
                        })
                        .collect();
                    workers = handles
                        .into_iter()
                        .map(|h| h.join().expect("mixed worker"))
                        .collect();
                    total += start.elapsed();
                }
                total
            })
        });
        g.finish();
    }

    let _ = std::fs::remove_dir_all(&dir);
}

/// `iters` runs of `op`, awaited one after another inside one `block_on` and timed there:
/// criterion's `iter_custom` for async work.
fn timed_runs<F, Fut>(rt: &Runtime, iters: u64, mut op: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future,
{
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(op().await);
        }
        start.elapsed()
    })
}

/// A remote connection with workload 7's `items` table filled, and its lookup prepared.
async fn open_remote_items(
    url: &str,
    token: &str,
) -> Result<(libsql::Database, Connection, Statement)> {
    let db = Builder::new_remote(url.to_owned(), token.to_owned())
        .build()
        .await?;
    let conn = db.connect()?;
    create_items(&conn, common::ITEMS).await?;
    let lookup = conn.prepare(common::LOOKUP_SQL).await?;
    Ok((db, conn, lookup))
}

/// Workload 7's point lookup outside criterion (`remote_lookup` in the profile and one-shot
/// modes, as in b): setup, one warm-up lookup, then `n` lookups, each driven by its own
/// `block_on`, as a synchronous caller drives it (criterion's samples run in one).
fn remote_lookups(n: u64, oneshot: bool) -> Result<()> {
    let srv = server::shared();
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let rt = runtime();
    let (_db, _conn, lookup) = rt.block_on(open_remote_items(&srv.url, &token))?;
    rt.block_on(point_lookup(&lookup, 42))?;
    let mut rng = Lcg::new(7);
    let mut one = || {
        rt.block_on(point_lookup(&lookup, rng.id(common::ITEMS)))
            .map(black_box)
    };
    if oneshot {
        common::measure_oneshot(LABEL, "remote_lookup", n, || {
            one().expect("remote lookup");
        });
    } else {
        for _ in 0..n {
            one()?;
        }
    }
    Ok(())
}

/// Workload 7 with libsql's Hrana client on the same current-thread runtime.
fn bench_remote(c: &mut Criterion, url: &str, token: &str, request_log: Option<&Path>) {
    let rt = runtime();
    let (_db, conn, lookup) = rt
        .block_on(open_remote_items(url, token))
        .expect("open remote");
    assert_eq!(
        rt.block_on(point_lookup(&lookup, 42)).expect("lookup").id,
        42
    );
    let batch = common::remote_batch_sql();
    rt.block_on(conn.execute_batch(&batch))
        .expect("remote batch");

    if let Some(log) = request_log {
        let (n, paths) = common::count_requests(log, || {
            rt.block_on(point_lookup(&lookup, 4242)).expect("lookup");
        });
        common::note(
            &format!("requests.{LABEL}.point_lookup"),
            &format!("{n} ({paths})"),
        );
        let (n, paths) = common::count_requests(log, || {
            rt.block_on(conn.execute_batch(&batch)).expect("batch");
        });
        common::note(
            &format!("requests.{LABEL}.execute_batch"),
            &format!("{n} ({paths})"),
        );
    }

    let lookup = &lookup;
    let mut rng = Lcg::new(7);
    let mut g = c.benchmark_group("w7_remote_point_lookup");
    g.sample_size(20);
    g.bench_function(LABEL, |b| {
        b.iter_custom(|iters| {
            timed_runs(&rt, iters, || {
                let id = rng.id(common::ITEMS);
                async move { point_lookup(lookup, id).await.expect("lookup") }
            })
        })
    });
    g.finish();

    let mut g = c.benchmark_group("w7_remote_execute_batch_100");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function(LABEL, |b| {
        b.iter_custom(|iters| {
            timed_runs(&rt, iters, || async {
                conn.execute_batch(&batch).await.expect("batch")
            })
        })
    });
    g.finish();

    let mut g = c.benchmark_group("w7_remote_first_row_of_10k");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function(LABEL, |b| {
        b.iter_custom(|iters| {
            timed_runs(&rt, iters, || async {
                let mut rows = conn
                    .query(common::SCAN_SQL, [common::FIRST_ROW_OF])
                    .await
                    .expect("query");
                let row = rows.next().await.expect("row").expect("a first row");
                item_from_row(&row).expect("item")
            })
        })
    });
    g.finish();
}

/// The callgrind mode (see `common::profile_mode`): setup, then `n` runs of one workload.
fn profile(workload: &str, n: u64) -> Result<()> {
    let dir = common::scratch_dir(&format!("{LABEL}-profile"));
    let rt = runtime();
    let mut rng = Lcg::new(1);
    rt.block_on(async {
        match workload {
            "lookup" | "scan" => {
                let (_db, conn) = open_file(&dir.join("items.db")).await?;
                create_items(&conn, common::ITEMS).await?;
                let lookup = conn.prepare(common::LOOKUP_SQL).await?;
                let scan_stmt = conn.prepare(common::SCAN_SQL).await?;
                point_lookup(&lookup, 1).await?;
                scan(&scan_stmt, 10).await?;
                for _ in 0..n {
                    if workload == "lookup" {
                        black_box(point_lookup(&lookup, rng.id(common::ITEMS)).await?);
                    } else {
                        black_box(scan(&scan_stmt, common::SCAN_ROWS).await?);
                    }
                }
            }
            "insert" => {
                let (_db, conn) = open_file(&dir.join("inserts.db")).await?;
                conn.execute(common::CREATE_INSERTS, ()).await?;
                let stmt = conn.prepare(common::INSERT_SQL).await?;
                let rows = common::insert_rows();
                for _ in 0..n {
                    conn.execute(common::CLEAR_INSERTS, ()).await?;
                    insert_in_transaction(&conn, &stmt, &rows).await?;
                }
            }
            "fts" => {
                let (_db, conn) = open_file(&dir.join("memories.db")).await?;
                create_memories(&conn).await?;
                let stmt = conn.prepare(common::FTS_SQL).await?;
                let queries = common::fts_queries();
                fts_search(&stmt, &queries[0]).await?;
                for i in 0..n as usize {
                    let q = &queries[i % queries.len()];
                    black_box(fts_search(&stmt, q).await?);
                }
            }
            "open_close" => {
                let path = dir.join("openclose.db");
                let db = Builder::new_local(&path).build().await?;
                db.connect()?
                    .execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)", ())
                    .await?;
                for _ in 0..n {
                    open_close(&path).await?;
                }
            }
            other => panic!("unknown profile workload {other:?}"),
        }
        Ok::<_, Error>(())
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Issue 11's workloads (`common::SHAPES`) that libsql's API can express: all but blob I/O
/// (libsql has no incremental blob API) and the 4 reader threads. Each statement is prepared
/// once and reset before use, as in the workloads above.
struct Shapes {
    _db: libsql::Database,
    conn: Connection,
    records: Statement,
    wide: Statement,
    put_blob: Statement,
    get_blob: Statement,
    put_text: Statement,
    get_text: Statement,
    put_small: Statement,
    bind16: Statement,
    data: Vec<u8>,
    text: String,
    script: String,
}

impl Shapes {
    async fn new(path: &Path) -> Result<Shapes> {
        let (db, conn) = open_file(path).await?;
        for sql in [
            common::CREATE_RECORDS,
            common::CREATE_WIDE,
            common::CREATE_BIG,
            common::CREATE_SMALL,
            common::CREATE_SCRIPT,
        ] {
            conn.execute(sql, ()).await?;
        }
        let tx = conn.transaction().await?;
        let insert = tx.prepare(common::INSERT_RECORD_SQL).await?;
        for i in 1..=common::RECORD_ROWS {
            let (id, name, score, payload) = common::record_row(i);
            insert.reset();
            insert
                .execute(libsql::params![id, name, score, payload])
                .await?;
        }
        drop(insert);
        tx.commit().await?;
        conn.execute(&common::fill_wide_sql(common::WIDE_ROWS), ())
            .await?;
        Ok(Shapes {
            records: conn.prepare(common::RECORDS_SQL).await?,
            wide: conn.prepare(common::WIDE_SQL).await?,
            put_blob: conn.prepare(common::PUT_BLOB_SQL).await?,
            get_blob: conn.prepare(common::GET_BLOB_SQL).await?,
            put_text: conn.prepare(common::PUT_TEXT_SQL).await?,
            get_text: conn.prepare(common::GET_TEXT_SQL).await?,
            put_small: conn.prepare(common::PUT_SMALL_SQL).await?,
            bind16: conn.prepare(common::BIND16_SQL).await?,
            data: common::big_blob(),
            text: common::long_text(),
            script: common::batch_script(),
            _db: db,
            conn,
        })
    }

    /// One operation of workload `name`; false where libsql cannot express it.
    async fn run(&self, name: &str, k: i64) -> Result<bool> {
        match name {
            "records" => {
                self.records.reset();
                let mut rows = self.records.query([common::RECORD_ROWS]).await?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().await? {
                    out.push(Record {
                        id: int(row.get_value(0)?)?,
                        name: text(row.get_value(1)?)?,
                        score: real(row.get_value(2)?)?,
                        payload: blob(row.get_value(3)?)?,
                    });
                }
                black_box(out);
            }
            "wide" => {
                self.wide.reset();
                let mut rows = self.wide.query(()).await?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().await? {
                    let mut w = Wide::default();
                    for c in 0..5 {
                        w.ints[c] = int(row.get_value(c as i32)?)?;
                        w.reals[c] = real(row.get_value(5 + c as i32)?)?;
                        w.texts[c] = text(row.get_value(10 + c as i32)?)?;
                        w.blobs[c] = blob(row.get_value(15 + c as i32)?)?;
                    }
                    out.push(w);
                }
                black_box(out);
            }
            "blob_values" => {
                let back = put_get(&self.put_blob, &self.get_blob, 1, self.data.clone()).await?;
                assert_eq!(blob(back)?.len(), self.data.len());
            }
            "long_text" => {
                let back = put_get(&self.put_text, &self.get_text, 3, self.text.as_str()).await?;
                assert_eq!(text(back)?.len(), self.text.len());
            }
            "autocommit" => {
                for id in 1..=common::SMALL_TXS {
                    self.put_small.reset();
                    self.put_small
                        .execute(libsql::params![id, "a small value"])
                        .await?;
                }
            }
            "prepare500" => {
                black_box(self.conn.prepare(common::PREPARE_500_SQL).await?);
            }
            "bind16" => {
                let t = common::BIND16_TEXT;
                self.bind16.reset();
                let mut rows = self
                    .bind16
                    .query(libsql::params![
                        k, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, k as f64, t[0], t[1], t[2], t[3]
                    ])
                    .await?;
                let row = rows.next().await?.ok_or(Error::QueryReturnedNoRows)?;
                assert_eq!(int(row.get_value(0)?)?, k + 35);
                self.bind16.reset();
            }
            "script" => {
                self.conn.execute_batch(self.script.as_str()).await?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Workloads 10 and 12: writes `value` into row `id` with `put`, reads it back with `get`.
async fn put_get(
    put: &Statement,
    get: &Statement,
    id: i64,
    value: impl Into<libsql::Value>,
) -> Result<libsql::Value> {
    put.reset();
    put.execute(libsql::params![id, value.into()]).await?;
    get.reset();
    let mut rows = get.query([id]).await?;
    let row = rows.next().await?.ok_or(Error::QueryReturnedNoRows)?;
    row.get_value(0)
}

fn bench_shapes(c: &mut Criterion) {
    let dir = common::scratch_dir(&format!("{LABEL}-shapes"));
    let rt = runtime();
    let shapes = rt
        .block_on(Shapes::new(&dir.join("shapes.db")))
        .expect("shapes setup");
    let mut k = 0i64;
    for (group, name, _) in common::SHAPES {
        if !common::selected(group) || !rt.block_on(shapes.run(name, 0)).expect(name) {
            continue;
        }
        let mut g = c.benchmark_group(group);
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                timed_runs(&rt, iters, || {
                    k += 1;
                    let (shapes, k) = (&shapes, k);
                    async move { shapes.run(name, k).await.expect(name) }
                })
            })
        });
        g.finish();
    }
    drop(shapes);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    if let Some((n, oneshot)) = common::profile_mode()
        .map(|(w, n)| (w, n, false))
        .or_else(|| common::oneshot_mode().map(|(w, n)| (w, n, true)))
        .filter(|(w, _, _)| w == "remote_lookup")
        .map(|(_, n, oneshot)| (n, oneshot))
    {
        remote_lookups(n, oneshot).expect("remote lookups");
        return;
    }
    if let Some((workload, n)) = common::profile_mode() {
        profile(&workload, n).expect("profile run");
        return;
    }
    let mut c = common::criterion();
    bench_local(&mut c);
    bench_shapes(&mut c);
    if !common::local_only() {
        let srv = server::shared();
        let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
        bench_remote(&mut c, &srv.url, &token, srv.request_log.as_deref());
    }
    c.final_summary();
}
