//! The benchmark workloads of issue 4, written once against rusqlite's API and compiled twice:
//! by `under_rusqlite.rs` (real rusqlite 0.34, bundled SQLite) and by `under_dbcompat.rs`
//! (`extern crate dbcompat as rusqlite`). Nothing here may name anything but `rusqlite::`.
#![allow(dead_code)]

use crate::common::{self, Hit, Item, Lcg};
use criterion::{black_box, Criterion, SamplingMode};
use rusqlite::{params, Connection, Result, Row};
use std::path::Path;
use std::time::{Duration, Instant};

fn item_from_row(row: &Row<'_>) -> Result<Item> {
    Ok(Item {
        id: row.get(0)?,
        name: row.get(1)?,
        value: row.get(2)?,
    })
}

/// Opens a file database in WAL mode with synchronous=NORMAL.
pub fn open_file(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(common::PRAGMAS)?;
    Ok(conn)
}

/// (Re)creates `items` with rows 1..=n.
pub fn create_items(conn: &Connection, n: i64) -> Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS items; {}; {};",
        common::CREATE_ITEMS,
        common::fill_items_sql("items", n)
    ))
}

/// Workload 1 (and 7): one row by primary key through the statement cache.
pub fn point_lookup(conn: &Connection, id: i64) -> Result<Item> {
    let mut stmt = conn.prepare_cached(common::LOOKUP_SQL)?;
    stmt.query_row([id], item_from_row)
}

/// Workload 2: the rows inserted in one transaction.
pub fn insert_in_transaction(conn: &mut Connection, rows: &[(i64, String, f64)]) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(common::INSERT_SQL)?;
        for (id, name, value) in rows {
            stmt.execute(params![id, name, value])?;
        }
    }
    tx.commit()
}

/// Workload 3: the first `n` rows, mapped into structs.
pub fn scan(conn: &Connection, n: i64) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(common::SCAN_SQL)?;
    let rows = stmt.query_map([n], item_from_row)?;
    rows.collect()
}

/// The peak-RSS probe: maps every row into a struct and folds, keeping none.
pub fn scan_fold(conn: &Connection, n: i64) -> Result<u64> {
    let mut stmt = conn.prepare_cached(common::SCAN_SQL)?;
    let mut seen = 0u64;
    for item in stmt.query_map([n], item_from_row)? {
        let item = black_box(item?);
        seen += (item.id > 0 && !item.name.is_empty()) as u64;
    }
    Ok(seen)
}

/// Builds the memory store of workload 4: `common::DOCS` generated documents plus the FTS5
/// index over them.
pub fn create_memories(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(common::CREATE_MEMORIES)?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(common::INSERT_MEMORY_SQL)?;
        for i in 0..common::DOCS {
            let (topic, content, importance, created_at) = common::memory_doc(i);
            stmt.execute(params![
                i as i64 + 1,
                topic,
                content,
                importance,
                created_at
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch(common::REBUILD_FTS)
}

/// Workload 4: FTS5 MATCH, bm25 order, top 20, mapped into structs.
pub fn fts_search(conn: &Connection, query: &str) -> Result<Vec<Hit>> {
    let mut stmt = conn.prepare_cached(common::FTS_SQL)?;
    let rows = stmt.query_map([query], |row| {
        Ok(Hit {
            id: row.get(0)?,
            topic: row.get(1)?,
            content: row.get(2)?,
            importance: row.get(3)?,
            rank: row.get(4)?,
        })
    })?;
    rows.collect()
}

/// Workload 5: open an existing file database and close it.
pub fn open_close(path: &Path) -> Result<()> {
    let conn = Connection::open(path)?;
    conn.close().map_err(|(_, e)| e)
}

/// Workload 6, one thread's share: 4 point lookups to 1 single-row UPDATE (autocommit).
pub fn mixed_ops(conn: &Connection, seed: u64, ops: usize) -> Result<()> {
    let mut rng = Lcg::new(seed);
    for k in 0..ops {
        let id = rng.id(common::MIXED_ROWS);
        if k % 5 == 0 {
            conn.prepare_cached(common::UPDATE_SQL)?.execute([id])?;
        } else {
            black_box(point_lookup(conn, id)?);
        }
    }
    Ok(())
}

/// Workload 6: one round on `MIXED_THREADS` threads, each with its own connection; returns the
/// connections and the wall time of the round.
pub fn mixed_round(conns: Vec<Connection>, round: u64) -> (Vec<Connection>, Duration) {
    let start = Instant::now();
    let handles: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(t, conn)| {
            std::thread::spawn(move || {
                mixed_ops(&conn, round * 16 + t as u64, common::MIXED_OPS_PER_THREAD)
                    .expect("mixed workload");
                conn
            })
        })
        .collect();
    let conns = handles
        .into_iter()
        .map(|h| h.join().expect("mixed worker"))
        .collect();
    (conns, start.elapsed())
}

/// Workloads 1–6 on local file databases in a scratch directory; `label` names the driver in
/// criterion's ids (`a_rusqlite`, `b_dbcompat`).
pub fn bench_local(c: &mut Criterion, label: &str) {
    let dir = common::scratch_dir(label);

    // 1. Point lookup on a 100k-row table.
    {
        let conn = open_file(&dir.join("items.db")).expect("open items.db");
        create_items(&conn, common::ITEMS).expect("fill items");
        let first = point_lookup(&conn, 42).expect("lookup");
        assert_eq!(first.id, 42);
        let mut rng = Lcg::new(1);
        let mut g = c.benchmark_group("w1_point_lookup");
        g.sample_size(50);
        g.bench_function(label, |b| {
            b.iter(|| point_lookup(&conn, rng.id(common::ITEMS)).expect("lookup"))
        });
        g.finish();

        // 3. Scan 10k rows of the same table into structs.
        let rows = scan(&conn, common::SCAN_ROWS).expect("scan");
        assert_eq!(rows.len(), common::SCAN_ROWS as usize);
        let mut g = c.benchmark_group("w3_scan_10k");
        g.sample_size(20);
        g.bench_function(label, |b| {
            b.iter(|| scan(&conn, common::SCAN_ROWS).expect("scan"))
        });
        g.finish();
    }

    // 2. Insert 10k rows in one transaction (the table is emptied, untimed, before each).
    {
        let mut conn = open_file(&dir.join("inserts.db")).expect("open inserts.db");
        conn.execute_batch(common::CREATE_INSERTS)
            .expect("create inserts");
        let rows = common::insert_rows();
        let mut g = c.benchmark_group("w2_insert_10k_tx");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(label, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    conn.execute(common::CLEAR_INSERTS, []).expect("clear");
                    let start = Instant::now();
                    insert_in_transaction(&mut conn, &rows).expect("insert");
                    total += start.elapsed();
                }
                total
            })
        });
        g.finish();
    }

    // 4. FTS5 + bm25 over the memory store.
    {
        let mut conn = open_file(&dir.join("memories.db")).expect("open memories.db");
        create_memories(&mut conn).expect("fill memories");
        let queries = common::fts_queries();
        for q in &queries {
            let hits = fts_search(&conn, q).expect("fts query");
            assert!(!hits.is_empty(), "FTS query {q:?} matched nothing");
        }
        let mut i = 0usize;
        let mut g = c.benchmark_group("w4_fts_bm25_top20");
        g.sample_size(30);
        g.bench_function(label, |b| {
            b.iter(|| {
                let q = &queries[i % queries.len()];
                i += 1;
                fts_search(&conn, q).expect("fts")
            })
        });
        g.finish();
    }

    // 5. Open and close a connection to an existing file database.
    {
        let path = dir.join("openclose.db");
        {
            let conn = Connection::open(&path).expect("create openclose.db");
            conn.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
                .expect("create t");
        }
        let mut g = c.benchmark_group("w5_open_close");
        g.sample_size(50);
        g.bench_function(label, |b| b.iter(|| open_close(&path).expect("open/close")));
        g.finish();
    }

    // 6. Mixed reads and writes from 4 threads, each with its own connection to one WAL file.
    {
        let path = dir.join("mixed.db");
        {
            let conn = open_file(&path).expect("open mixed.db");
            create_items(&conn, common::MIXED_ROWS).expect("fill mixed");
        }
        let mut conns: Vec<Connection> = (0..common::MIXED_THREADS)
            .map(|_| open_file(&path).expect("open mixed.db"))
            .collect();
        let mut round = 0u64;
        let mut g = c.benchmark_group("w6_mixed_4_threads");
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(label, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    round += 1;
                    let (back, took) = mixed_round(std::mem::take(&mut conns), round);
                    conns = back;
                    total += took;
                }
                total
            })
        });
        g.finish();
    }

    let _ = std::fs::remove_dir_all(&dir);
}

/// Workload 7 on an already open remote connection: the point lookup and the 100-statement
/// execute_batch. Also counts the HTTP requests each makes when the server's request log is
/// known.
pub fn bench_remote(c: &mut Criterion, label: &str, conn: &Connection, request_log: Option<&Path>) {
    create_items(conn, common::ITEMS).expect("fill remote items");
    let first = point_lookup(conn, 42).expect("remote lookup");
    assert_eq!(first.id, 42);
    let batch = common::remote_batch_sql();
    conn.execute_batch(&batch).expect("remote batch");

    if let Some(log) = request_log {
        let (n, paths) = common::count_requests(log, || {
            point_lookup(conn, 4242).expect("remote lookup");
        });
        common::note(
            &format!("requests.{label}.point_lookup"),
            &format!("{n} ({paths})"),
        );
        let (n, paths) = common::count_requests(log, || {
            conn.execute_batch(&batch).expect("remote batch");
        });
        common::note(
            &format!("requests.{label}.execute_batch"),
            &format!("{n} ({paths})"),
        );
    }

    let mut rng = Lcg::new(7);
    let mut g = c.benchmark_group("w7_remote_point_lookup");
    g.sample_size(20);
    g.bench_function(label, |b| {
        b.iter(|| point_lookup(conn, rng.id(common::ITEMS)).expect("remote lookup"))
    });
    g.finish();

    let mut g = c.benchmark_group("w7_remote_execute_batch_100");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function(label, |b| {
        b.iter(|| conn.execute_batch(&batch).expect("remote batch"))
    });
    g.finish();
}

/// The peak-RSS probe: a 1M-row file database, then one scan of every row on a fresh
/// connection, with VmHWM reset just before the scan.
pub fn rss_probe(label: &str) -> Result<()> {
    let dir = common::scratch_dir(&format!("{label}-rss"));
    let path = dir.join("big.db");
    {
        let conn = open_file(&path)?;
        create_items(&conn, common::RSS_ROWS)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    let conn = open_file(&path)?;
    point_lookup(&conn, 1)?;
    common::measure_scan_rss(label, || {
        scan_fold(&conn, common::RSS_ROWS).expect("scan 1M rows")
    });
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The callgrind mode (see `common::profile_mode`): setup, then `n` runs of one workload.
pub fn profile(label: &str, workload: &str, n: u64) -> Result<()> {
    let dir = common::scratch_dir(&format!("{label}-profile"));
    let mut rng = Lcg::new(1);
    match workload {
        "lookup" | "scan" => {
            let conn = open_file(&dir.join("items.db"))?;
            create_items(&conn, common::ITEMS)?;
            point_lookup(&conn, 1)?;
            scan(&conn, 10)?;
            for _ in 0..n {
                if workload == "lookup" {
                    black_box(point_lookup(&conn, rng.id(common::ITEMS))?);
                } else {
                    black_box(scan(&conn, common::SCAN_ROWS)?);
                }
            }
        }
        "insert" => {
            let mut conn = open_file(&dir.join("inserts.db"))?;
            conn.execute_batch(common::CREATE_INSERTS)?;
            let rows = common::insert_rows();
            for _ in 0..n {
                conn.execute(common::CLEAR_INSERTS, [])?;
                insert_in_transaction(&mut conn, &rows)?;
            }
        }
        "fts" => {
            let mut conn = open_file(&dir.join("memories.db"))?;
            create_memories(&mut conn)?;
            let queries = common::fts_queries();
            fts_search(&conn, &queries[0])?;
            for i in 0..n as usize {
                black_box(fts_search(&conn, &queries[i % queries.len()])?);
            }
        }
        "open_close" => {
            let path = dir.join("openclose.db");
            Connection::open(&path)?.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)")?;
            for _ in 0..n {
                open_close(&path)?;
            }
        }
        other => panic!("unknown profile workload {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
