//! The benchmark workloads of issue 4, written once against rusqlite's API and compiled twice:
//! by `under_rusqlite.rs` (real rusqlite 0.34, bundled SQLite) and by `under_dbcompat.rs`
//! (`extern crate dbcompat as rusqlite`). Nothing here may name anything but `rusqlite::`.
#![allow(dead_code)]

use crate::common::{self, Hit, Item, Lcg, Record, Wide};
use criterion::{black_box, Criterion, SamplingMode};
use rusqlite::types::{FromSql, ToSql};
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

/// Workload 7's point lookup outside criterion, for `DBCOMPAT_BENCH_PROFILE=remote_lookup:<n>`
/// (callgrind: instructions per call) and `DBCOMPAT_BENCH_ONESHOT=remote_lookup:<n>` (CPU time
/// per call, and syscalls under strace): setup, one warm-up lookup, then `n` lookups.
pub fn remote_lookups(label: &str, conn: &Connection, n: u64, oneshot: bool) -> Result<()> {
    create_items(conn, common::ITEMS)?;
    point_lookup(conn, 42)?;
    let mut rng = Lcg::new(7);
    let mut lookup = || point_lookup(conn, rng.id(common::ITEMS)).map(black_box);
    if oneshot {
        common::measure_oneshot(label, "remote_lookup", n, || {
            lookup().expect("remote lookup");
        });
    } else {
        for _ in 0..n {
            lookup()?;
        }
    }
    Ok(())
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
    if common::selected("w1_point_lookup") || common::selected("w3_scan_10k") {
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
    if common::selected("w2_insert_10k_tx") {
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
    if common::selected("w4_fts_bm25_top20") {
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
    if common::selected("w5_open_close") {
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
    if common::selected("w6_mixed_4_threads") {
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

    // Each iteration's `query_row` also frees the stream from the previous one's other rows.
    let mut g = c.benchmark_group("w7_remote_first_row_of_10k");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function(label, |b| {
        b.iter(|| {
            conn.query_row(common::SCAN_SQL, [common::FIRST_ROW_OF], item_from_row)
                .expect("remote first row")
        })
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
    let mut op = shape(workload, &dir)?;
    for _ in 0..n {
        op()?;
    }
    drop(op);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

// ---- Issue 11: the shapes of `common::SHAPES`, each built by `shape` and run as one op. ----

/// One operation of a workload, over state built once by `shape`.
pub type Op = Box<dyn FnMut() -> Result<()>>;

fn record_from_row(row: &Row<'_>) -> Result<Record> {
    Ok(Record {
        id: row.get(0)?,
        name: row.get(1)?,
        score: row.get(2)?,
        payload: row.get(3)?,
    })
}

fn wide_from_row(row: &Row<'_>) -> Result<Wide> {
    let mut w = Wide::default();
    w.ints[0] = row.get(0)?;
    for k in 1..5 {
        w.ints[k] = row.get(k)?;
    }
    for k in 0..5 {
        w.reals[k] = row.get(5 + k)?;
        w.texts[k] = row.get(10 + k)?;
        w.blobs[k] = row.get(15 + k)?;
    }
    Ok(w)
}

/// Workload 8: the TEXT + BLOB scan of issue 11, into a `Vec` of structs.
pub fn scan_records(conn: &Connection, n: i64) -> Result<Vec<Record>> {
    let mut stmt = conn.prepare_cached(common::RECORDS_SQL)?;
    let rows = stmt.query_map([n], record_from_row)?;
    rows.collect()
}

/// Workloads 10 and 12: writes `value` into row `id` with `put`, reads it back with `get`.
fn put_get<T: ToSql + FromSql>(
    conn: &Connection,
    put: &str,
    get: &str,
    id: i64,
    value: &T,
) -> Result<T> {
    conn.prepare_cached(put)?.execute(params![id, value])?;
    conn.prepare_cached(get)?.query_row([id], |r| r.get(0))
}

/// Builds workload `name`'s tables in `dir` and returns its operation.
pub fn shape(name: &str, dir: &Path) -> Result<Op> {
    let db = |file: &str| open_file(&dir.join(file));
    Ok(match name {
        "lookup" => {
            let conn = db("items.db")?;
            create_items(&conn, common::ITEMS)?;
            let mut rng = Lcg::new(1);
            Box::new(move || {
                black_box(point_lookup(&conn, rng.id(common::ITEMS))?);
                Ok(())
            })
        }
        // `scan_primed` is the same scan with its statement cached once before the first scan:
        // rusqlite's cache then allocates its LRU node and hash table while the heap is small,
        // not at the end of that scan, where they stay above the scan's freed memory and keep
        // glibc from trimming it (docs/benchmarks.md, issue 11).
        "scan" | "scan_primed" => {
            let conn = db("items.db")?;
            create_items(&conn, common::ITEMS)?;
            if name == "scan_primed" {
                drop(conn.prepare_cached(common::SCAN_SQL)?);
            }
            Box::new(move || {
                black_box(scan(&conn, common::SCAN_ROWS)?);
                Ok(())
            })
        }
        "insert" => {
            let mut conn = db("inserts.db")?;
            conn.execute_batch(common::CREATE_INSERTS)?;
            let rows = common::insert_rows();
            Box::new(move || {
                conn.execute(common::CLEAR_INSERTS, [])?;
                insert_in_transaction(&mut conn, &rows)
            })
        }
        "mixed" => threads_op(
            &dir.join("mixed.db"),
            common::MIXED_THREADS,
            |conns, round| mixed_round(conns, round).0,
        )?,
        "fts" => {
            let mut conn = db("memories.db")?;
            create_memories(&mut conn)?;
            let queries = common::fts_queries();
            let mut i = 0usize;
            Box::new(move || {
                i += 1;
                black_box(fts_search(&conn, &queries[i % queries.len()])?);
                Ok(())
            })
        }
        "open_close" => {
            let path = dir.join("openclose.db");
            Connection::open(&path)?.execute_batch("CREATE TABLE IF NOT EXISTS t (x INTEGER)")?;
            Box::new(move || open_close(&path))
        }
        "records" => {
            let conn = db("records.db")?;
            conn.execute_batch(common::CREATE_RECORDS)?;
            let tx = conn.unchecked_transaction()?;
            {
                let mut insert = tx.prepare(common::INSERT_RECORD_SQL)?;
                for i in 1..=common::RECORD_ROWS {
                    let (id, name, score, payload) = common::record_row(i);
                    insert.execute(params![id, name, score, payload])?;
                }
            }
            tx.commit()?;
            assert_eq!(
                scan_records(&conn, 3)?[2].payload.len(),
                common::PAYLOAD_BYTES
            );
            Box::new(move || {
                black_box(scan_records(&conn, common::RECORD_ROWS)?);
                Ok(())
            })
        }
        "wide" => {
            let conn = db("wide.db")?;
            conn.execute_batch(common::CREATE_WIDE)?;
            conn.execute_batch(&common::fill_wide_sql(common::WIDE_ROWS))?;
            Box::new(move || {
                let mut stmt = conn.prepare_cached(common::WIDE_SQL)?;
                let rows: Vec<Wide> = stmt.query_map([], wide_from_row)?.collect::<Result<_>>()?;
                assert_eq!(rows.len(), common::WIDE_ROWS as usize);
                black_box(rows);
                Ok(())
            })
        }
        "blob_values" => {
            let conn = db("big.db")?;
            conn.execute_batch(common::CREATE_BIG)?;
            let data = common::big_blob();
            Box::new(move || {
                let back: Vec<u8> =
                    put_get(&conn, common::PUT_BLOB_SQL, common::GET_BLOB_SQL, 1, &data)?;
                assert_eq!(back.len(), data.len());
                Ok(())
            })
        }
        "blob_io" => {
            use std::io::{Read, Write};
            let conn = db("big.db")?;
            conn.execute_batch(common::CREATE_BIG)?;
            let data = common::big_blob();
            let mut back = vec![0u8; data.len()];
            Box::new(move || {
                conn.prepare_cached(common::PUT_ZEROBLOB_SQL)?
                    .execute(params![2, data.len() as i64])?;
                let mut blob = conn.blob_open(rusqlite::MAIN_DB, "big", "data", 2, false)?;
                blob.write_all(&data).expect("blob write");
                blob.close()?;
                let mut blob = conn.blob_open(rusqlite::MAIN_DB, "big", "data", 2, true)?;
                blob.read_exact(&mut back).expect("blob read");
                blob.close()?;
                assert_eq!(back[4097], data[4097]);
                Ok(())
            })
        }
        "long_text" => {
            let conn = db("big.db")?;
            conn.execute_batch(common::CREATE_BIG)?;
            let text = common::long_text();
            Box::new(move || {
                let back: String =
                    put_get(&conn, common::PUT_TEXT_SQL, common::GET_TEXT_SQL, 3, &text)?;
                assert_eq!(back.len(), text.len());
                Ok(())
            })
        }
        "autocommit" => {
            let conn = db("small.db")?;
            conn.execute_batch(common::CREATE_SMALL)?;
            Box::new(move || {
                for id in 1..=common::SMALL_TXS {
                    conn.prepare_cached(common::PUT_SMALL_SQL)?
                        .execute(params![id, "a small value"])?;
                }
                Ok(())
            })
        }
        "readers" => threads_op(
            &dir.join("readers.db"),
            common::READER_THREADS,
            readers_round,
        )?,
        "prepare500" => {
            let conn = db("records.db")?;
            conn.execute_batch(common::CREATE_RECORDS)?;
            Box::new(move || {
                black_box(conn.prepare(common::PREPARE_500_SQL)?);
                Ok(())
            })
        }
        "bind16" => {
            let conn = Connection::open_in_memory()?;
            let t = common::BIND16_TEXT;
            let mut k = 0i64;
            Box::new(move || {
                k += 1;
                let mut stmt = conn.prepare_cached(common::BIND16_SQL)?;
                let sum: i64 = stmt.query_row(
                    params![
                        k, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, k as f64, t[0], t[1], t[2], t[3]
                    ],
                    |r| r.get(0),
                )?;
                assert_eq!(sum, k + 35);
                Ok(())
            })
        }
        "script" => {
            let conn = db("script.db")?;
            conn.execute_batch(common::CREATE_SCRIPT)?;
            let script = common::batch_script();
            Box::new(move || {
                conn.execute_batch(&script)?;
                Ok(())
            })
        }
        other => panic!("unknown workload {other:?}"),
    })
}

/// Workloads 6 and 14 as one op each: `threads` connections to a WAL file of `MIXED_ROWS`
/// items, and one `round` of them per op.
fn threads_op(
    path: &Path,
    threads: usize,
    round_of: fn(Vec<Connection>, u64) -> Vec<Connection>,
) -> Result<Op> {
    create_items(&open_file(path)?, common::MIXED_ROWS)?;
    let mut conns = (0..threads)
        .map(|_| open_file(path))
        .collect::<Result<Vec<_>>>()?;
    let mut round = 0u64;
    Ok(Box::new(move || {
        round += 1;
        conns = round_of(std::mem::take(&mut conns), round);
        Ok(())
    }))
}

/// Workload 14: one round of `READER_THREADS` threads, each with its own connection, each
/// doing `READS_PER_THREAD` cached point lookups.
fn readers_round(conns: Vec<Connection>, round: u64) -> Vec<Connection> {
    let handles: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(t, conn)| {
            std::thread::spawn(move || {
                let mut rng = Lcg::new(round * 16 + t as u64);
                for _ in 0..common::READS_PER_THREAD {
                    black_box(point_lookup(&conn, rng.id(common::MIXED_ROWS)).expect("read"));
                }
                conn
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("reader thread"))
        .collect()
}

/// Workloads 8–16 under criterion, one group each (`label` names the driver).
pub fn bench_shapes(c: &mut Criterion, label: &str) {
    let dir = common::scratch_dir(&format!("{label}-shapes"));
    for (group, name, _) in common::SHAPES {
        if !common::selected(group) {
            continue;
        }
        let mut op = shape(name, &dir).expect("workload setup");
        op().expect("first run");
        let mut g = c.benchmark_group(group);
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        g.bench_function(label, |b| b.iter(|| op().expect(name)));
        g.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The one-shot mode (`common::oneshot_mode`): setup, one warm-up run, then `n` measured runs.
pub fn oneshot(label: &str, workload: &str, n: u64) -> Result<()> {
    let dir = common::scratch_dir(&format!("{label}-oneshot"));
    let mut op = shape(workload, &dir)?;
    op()?;
    common::measure_oneshot(label, workload, n, || op().expect(workload));
    drop(op);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
