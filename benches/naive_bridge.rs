//! Bench target (d): the naive sync bridge of the first attempt, rebuilt for comparison. Each
//! connection owns a tokio runtime (`Runtime::new()`, multi-thread) and every call is one
//! `block_on`; every call re-prepares its SQL (`Connection::query`/`execute`, no statement
//! cache), and every query collects all its rows into a `Vec<Vec<Value>>` before the caller
//! maps them. Workloads 1–5 (the targets concern 1 and 4).
//!
//! `DBCOMPAT_BENCH_RSS=1` runs the peak-RSS probe (1M-row scan, rows collected);
//! `DBCOMPAT_BENCH_PROFILE=<workload>:<n>` runs lookup, scan or fts n times (for callgrind).

#[path = "common.rs"]
mod common;
#[path = "libsql_values.rs"]
mod libsql_values;

use common::{Hit, Item, Lcg};
use criterion::{black_box, Criterion, SamplingMode};
use libsql::{Builder, Error, Result, Value};
use libsql_values::{int, real, text};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const LABEL: &str = "d_naive_bridge";

/// The first attempt's connection: a runtime plus libsql's async connection.
struct NaiveConnection {
    conn: libsql::Connection,
    _db: libsql::Database,
    rt: Runtime,
}

impl NaiveConnection {
    fn open(path: &Path) -> Result<NaiveConnection> {
        let rt = Runtime::new().expect("tokio runtime");
        let db = rt.block_on(Builder::new_local(path).build())?;
        let conn = db.connect()?;
        conn.busy_timeout(Duration::from_secs(5))?;
        Ok(NaiveConnection { conn, _db: db, rt })
    }

    fn execute(&self, sql: &str, params: Vec<Value>) -> Result<u64> {
        self.rt.block_on(self.conn.execute(sql, params))
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        self.rt.block_on(self.conn.execute_batch(sql)).map(drop)
    }

    /// Runs the query and returns every row, as the first attempt did.
    fn query(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Vec<Value>>> {
        self.rt.block_on(async {
            let mut rows = self.conn.query(sql, params).await?;
            let n = rows.column_count();
            let mut out = Vec::new();
            while let Some(row) = rows.next().await? {
                out.push(
                    (0..n)
                        .map(|i| row.get_value(i))
                        .collect::<Result<Vec<_>>>()?,
                );
            }
            Ok(out)
        })
    }
}

fn item_from_values(row: Vec<Value>) -> Result<Item> {
    let mut it = row.into_iter();
    let mut next = || it.next().ok_or(Error::InvalidColumnType);
    Ok(Item {
        id: int(next()?)?,
        name: text(next()?)?,
        value: real(next()?)?,
    })
}

fn open_file(path: &Path) -> Result<NaiveConnection> {
    let conn = NaiveConnection::open(path)?;
    conn.execute_batch(common::PRAGMAS)?;
    Ok(conn)
}

fn create_items(conn: &NaiveConnection, n: i64) -> Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS items; {}; {};",
        common::CREATE_ITEMS,
        common::fill_items_sql("items", n)
    ))
}

fn point_lookup(conn: &NaiveConnection, id: i64) -> Result<Item> {
    let row = conn
        .query(common::LOOKUP_SQL, vec![Value::Integer(id)])?
        .into_iter()
        .next()
        .ok_or(Error::QueryReturnedNoRows)?;
    item_from_values(row)
}

fn insert_in_transaction(conn: &NaiveConnection, rows: &[(i64, String, f64)]) -> Result<()> {
    conn.execute("BEGIN", vec![])?;
    for (id, name, value) in rows {
        conn.execute(
            common::INSERT_SQL,
            vec![
                Value::Integer(*id),
                Value::Text(name.clone()),
                Value::Real(*value),
            ],
        )?;
    }
    conn.execute("COMMIT", vec![])?;
    Ok(())
}

fn scan(conn: &NaiveConnection, n: i64) -> Result<Vec<Item>> {
    conn.query(common::SCAN_SQL, vec![Value::Integer(n)])?
        .into_iter()
        .map(item_from_values)
        .collect()
}

fn create_memories(conn: &NaiveConnection) -> Result<()> {
    conn.execute_batch(common::CREATE_MEMORIES)?;
    conn.execute("BEGIN", vec![])?;
    for i in 0..common::DOCS {
        let (topic, content, importance, created_at) = common::memory_doc(i);
        conn.execute(
            common::INSERT_MEMORY_SQL,
            vec![
                Value::Integer(i as i64 + 1),
                Value::Text(topic),
                Value::Text(content),
                Value::Real(importance),
                Value::Integer(created_at),
            ],
        )?;
    }
    conn.execute("COMMIT", vec![])?;
    conn.execute(common::REBUILD_FTS, vec![])?;
    Ok(())
}

fn fts_search(conn: &NaiveConnection, query: &str) -> Result<Vec<Hit>> {
    conn.query(common::FTS_SQL, vec![Value::Text(query.to_owned())])?
        .into_iter()
        .map(|row| {
            let mut it = row.into_iter();
            let mut next = || it.next().ok_or(Error::InvalidColumnType);
            Ok(Hit {
                id: int(next()?)?,
                topic: text(next()?)?,
                content: text(next()?)?,
                importance: real(next()?)?,
                rank: real(next()?)?,
            })
        })
        .collect()
}

fn bench_local(c: &mut Criterion) {
    let dir = common::scratch_dir(LABEL);

    {
        let conn = open_file(&dir.join("items.db")).expect("open items.db");
        create_items(&conn, common::ITEMS).expect("fill items");
        assert_eq!(point_lookup(&conn, 42).expect("lookup").id, 42);
        let mut rng = Lcg::new(1);
        let mut g = c.benchmark_group("w1_point_lookup");
        g.sample_size(50);
        g.bench_function(LABEL, |b| {
            b.iter(|| point_lookup(&conn, rng.id(common::ITEMS)).expect("lookup"))
        });
        g.finish();

        assert_eq!(
            scan(&conn, common::SCAN_ROWS).expect("scan").len(),
            common::SCAN_ROWS as usize
        );
        let mut g = c.benchmark_group("w3_scan_10k");
        g.sample_size(20);
        g.bench_function(LABEL, |b| {
            b.iter(|| scan(&conn, common::SCAN_ROWS).expect("scan"))
        });
        g.finish();
    }

    {
        let conn = open_file(&dir.join("inserts.db")).expect("open inserts.db");
        conn.execute_batch(common::CREATE_INSERTS).expect("create");
        let rows = common::insert_rows();
        let mut g = c.benchmark_group("w2_insert_10k_tx");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(LABEL, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    conn.execute(common::CLEAR_INSERTS, vec![]).expect("clear");
                    let start = Instant::now();
                    insert_in_transaction(&conn, &rows).expect("insert");
                    total += start.elapsed();
                }
                total
            })
        });
        g.finish();
    }

    {
        let conn = open_file(&dir.join("memories.db")).expect("open memories.db");
        create_memories(&conn).expect("fill memories");
        let queries = common::fts_queries();
        for q in &queries {
            assert!(!fts_search(&conn, q).expect("fts").is_empty());
        }
        let mut i = 0usize;
        let mut g = c.benchmark_group("w4_fts_bm25_top20");
        g.sample_size(30);
        g.bench_function(LABEL, |b| {
            b.iter(|| {
                let q = &queries[i % queries.len()];
                i += 1;
                fts_search(&conn, q).expect("fts")
            })
        });
        g.finish();
    }

    {
        let path = dir.join("openclose.db");
        NaiveConnection::open(&path)
            .and_then(|c| c.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
            .expect("create openclose.db");
        let mut g = c.benchmark_group("w5_open_close");
        g.sample_size(30);
        g.bench_function(LABEL, |b| {
            b.iter(|| drop(NaiveConnection::open(&path).expect("open")))
        });
        g.finish();
    }

    let _ = std::fs::remove_dir_all(&dir);
}

/// The peak-RSS probe with the naive bridge: the scan collects all 1M rows first.
fn rss_probe() -> Result<()> {
    let dir = common::scratch_dir(&format!("{LABEL}-rss"));
    let path = dir.join("big.db");
    {
        let conn = open_file(&path)?;
        create_items(&conn, common::RSS_ROWS)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    let conn = open_file(&path)?;
    point_lookup(&conn, 1)?;
    common::measure_scan_rss(LABEL, || {
        scan(&conn, common::RSS_ROWS).expect("scan 1M rows").len() as u64
    });
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The callgrind mode (see `common::profile_mode`): setup, then `n` runs of one workload.
fn profile(workload: &str, n: u64) -> Result<()> {
    let dir = common::scratch_dir(&format!("{LABEL}-profile"));
    let mut rng = Lcg::new(1);
    match workload {
        "lookup" | "scan" => {
            let conn = open_file(&dir.join("items.db"))?;
            create_items(&conn, common::ITEMS)?;
            point_lookup(&conn, 1)?;
            for _ in 0..n {
                if workload == "lookup" {
                    black_box(point_lookup(&conn, rng.id(common::ITEMS))?);
                } else {
                    black_box(scan(&conn, common::SCAN_ROWS)?);
                }
            }
        }
        "fts" => {
            let conn = open_file(&dir.join("memories.db"))?;
            create_memories(&conn)?;
            let queries = common::fts_queries();
            fts_search(&conn, &queries[0])?;
            for i in 0..n as usize {
                black_box(fts_search(&conn, &queries[i % queries.len()])?);
            }
        }
        other => panic!("unknown profile workload {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn main() {
    if let Some((workload, n)) = common::profile_mode() {
        profile(&workload, n).expect("profile run");
        return;
    }
    if common::rss_mode() {
        rss_probe().expect("peak-RSS probe");
        return;
    }
    let mut c = common::criterion();
    bench_local(&mut c);
    c.final_summary();
}
