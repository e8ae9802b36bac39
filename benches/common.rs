//! Shared by every bench target: the data sets (deterministic, the same bytes for every
//! driver), the SQL text, criterion settings, and the small helpers for the notes file and
//! peak-RSS readings. Knows nothing about rusqlite or libsql.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Rows in the point-lookup table (workload 1; also the remote table of workload 7).
/// A row of `items`, mapped into a struct as an application would.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub name: String,
    pub value: f64,
}

/// A search hit of the memory store.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub topic: String,
    pub content: String,
    pub importance: f64,
    pub rank: f64,
}

/// A row of `records` (the TEXT + BLOB scan), mapped into a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: i64,
    pub name: String,
    pub score: f64,
    pub payload: Vec<u8>,
}

/// A row of `wide`: 20 columns of four types.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wide {
    pub ints: [i64; 5],
    pub reals: [f64; 5],
    pub texts: [String; 5],
    pub blobs: [Vec<u8>; 5],
}

pub const ITEMS: i64 = 100_000;
/// Rows inserted per iteration (workload 2).
pub const INSERT_ROWS: usize = 10_000;
/// Rows scanned per iteration (workload 3).
pub const SCAN_ROWS: i64 = 10_000;
/// Documents in the memory store (workload 4).
pub const DOCS: usize = 10_000;
/// Rows in the mixed workload's table and operations per thread per iteration (workload 6).
pub const MIXED_ROWS: i64 = 10_000;
pub const MIXED_THREADS: usize = 4;
pub const MIXED_OPS_PER_THREAD: usize = 200;
/// Statements in the remote execute_batch (workload 7).
pub const BATCH_STATEMENTS: usize = 100;
/// Rows scanned by the peak-RSS probe.
pub const RSS_ROWS: i64 = 1_000_000;

pub const PRAGMAS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";

pub const CREATE_ITEMS: &str =
    "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL)";

/// Fills `items` with rows 1..=n in one statement (same rows for every driver).
pub fn fill_items_sql(table: &str, n: i64) -> String {
    format!(
        "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n}) \
         INSERT INTO {table} (id, name, value) \
         SELECT x, printf('item %08d stored with a short description', x), x * 0.25 FROM seq"
    )
}

pub const LOOKUP_SQL: &str = "SELECT id, name, value FROM items WHERE id = ?1";
pub const SCAN_SQL: &str = "SELECT id, name, value FROM items WHERE id <= ?1 ORDER BY id";
/// Workload 7's first-row query: `query_row` of `SCAN_SQL` over this many rows (remote: the
/// reply's other rows are what the client must not wait for).
pub const FIRST_ROW_OF: i64 = 10_000;
pub const UPDATE_SQL: &str = "UPDATE items SET value = value + 1 WHERE id = ?1";

pub const CREATE_INSERTS: &str =
    "CREATE TABLE IF NOT EXISTS inserts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL)";
pub const CLEAR_INSERTS: &str = "DELETE FROM inserts";
pub const INSERT_SQL: &str = "INSERT INTO inserts (id, name, value) VALUES (?1, ?2, ?3)";

pub const CREATE_MEMORIES: &str = "CREATE TABLE IF NOT EXISTS memories (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        content TEXT NOT NULL,
        importance REAL NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(
        topic, content, content='memories', content_rowid='id'
    );";
pub const INSERT_MEMORY_SQL: &str =
    "INSERT INTO memories (id, topic, content, importance, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
pub const REBUILD_FTS: &str = "INSERT INTO memories_fts(memories_fts) VALUES('rebuild')";
pub const FTS_SQL: &str =
    "SELECT m.id, m.topic, m.content, m.importance, bm25(memories_fts) AS rank
    FROM memories_fts JOIN memories m ON m.id = memories_fts.rowid
    WHERE memories_fts MATCH ?1
    ORDER BY rank LIMIT 20";

/// The FTS queries, used in turn: keyword searches as an agent's memory store sees them.
/// Most name something specific (synthetic words, ~90 documents each), alone or with a common
/// word; three use common words only (posting lists of ~600–1500 documents), which makes the
/// engine's bm25 work dominate. Every query matches at least one document.
pub fn fts_queries() -> Vec<String> {
    vec![
        tail_word(17),
        format!("{} OR {}", tail_word(1234), tail_word(3001)),
        format!("{} deploy", tail_word(42)),
        format!("{}*", &tail_word(2222)[..5]),
        format!("{} NOT session", tail_word(777)),
        "schema migration".to_owned(),
        "\"query plan\"".to_owned(),
        "error handling".to_owned(),
    ]
}

/// The 100-statement batch of workload 7: a create-if-missing and 99 upserts, re-runnable.
/// (A temp table would spare the server's fsyncs, but libsql's remote client refuses
/// `CREATE TEMP TABLE`: "unsupported statement".)
pub fn remote_batch_sql() -> String {
    let mut sql = String::from(
        "CREATE TABLE IF NOT EXISTS bench_batch (k INTEGER PRIMARY KEY, v TEXT NOT NULL);\n",
    );
    for k in 1..BATCH_STATEMENTS {
        sql.push_str(&format!(
            "INSERT OR REPLACE INTO bench_batch (k, v) VALUES ({k}, 'value number {k}');\n"
        ));
    }
    sql
}

/// A tiny deterministic generator (64-bit LCG), so every driver sees the same ids and text.
#[derive(Clone)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 11
    }

    /// Uniform in `1..=n`.
    pub fn id(&mut self, n: i64) -> i64 {
        (self.next_u64() % n as u64) as i64 + 1
    }
}

const VOCAB: [&str; 64] = [
    "rust",
    "database",
    "index",
    "memory",
    "cache",
    "error",
    "handling",
    "async",
    "runtime",
    "tokio",
    "deploy",
    "deployment",
    "deployed",
    "query",
    "plan",
    "token",
    "session",
    "user",
    "prefers",
    "config",
    "build",
    "release",
    "test",
    "server",
    "client",
    "latency",
    "request",
    "schema",
    "migration",
    "table",
    "column",
    "vector",
    "embedding",
    "search",
    "ranking",
    "context",
    "project",
    "decision",
    "bug",
    "fix",
    "review",
    "branch",
    "commit",
    "merge",
    "thread",
    "lock",
    "transaction",
    "rollback",
    "backup",
    "replica",
    "sync",
    "network",
    "timeout",
    "retry",
    "metric",
    "profile",
    "benchmark",
    "allocation",
    "parser",
    "compiler",
    "linker",
    "feature",
    "crate",
    "module",
];

const TOPICS: [&str; 8] = [
    "decisions",
    "preferences",
    "errors",
    "architecture",
    "deployments",
    "people",
    "performance",
    "conventions",
];

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fi", "go", "hu", "ja", "ke", "po",
];
/// Distinct synthetic words: each appears in about 0.9% of the documents, like the specific
/// names and terms (a library, a host, a person) that most memory searches are about.
const TAIL_WORDS: u64 = 4096;

/// Appends synthetic word `k` (three syllables, e.g. "kalomi").
fn push_tail_word(out: &mut String, k: u64) {
    for shift in [8, 4, 0] {
        out.push_str(SYLLABLES[((k >> shift) & 15) as usize]);
    }
}

/// Synthetic word `k` as a `String`.
pub fn tail_word(k: u64) -> String {
    let mut s = String::new();
    push_tail_word(&mut s, k % TAIL_WORDS);
    s
}

/// One generated memory: (topic, content, importance, created_at). 25–54 words: 12% from the
/// vocabulary above (skewed: a few words are in a third of the documents), the rest from 4096
/// synthetic words (each in about 0.9% of the documents).
pub fn memory_doc(i: usize) -> (String, String, f64, i64) {
    let mut rng = Lcg::new(i as u64 + 17);
    let topic = TOPICS[(rng.next_u64() % TOPICS.len() as u64) as usize].to_owned();
    let words = 25 + (rng.next_u64() % 30) as usize;
    let mut content = String::with_capacity(words * 9);
    for w in 0..words {
        if w > 0 {
            content.push(' ');
        }
        let r = rng.next_u64();
        if r % 100 < 12 {
            // Skewed: low indices are much more frequent.
            let a = (rng.next_u64() % VOCAB.len() as u64) as usize;
            let b = (rng.next_u64() % VOCAB.len() as u64) as usize;
            content.push_str(VOCAB[a * b / VOCAB.len()]);
        } else {
            push_tail_word(&mut content, rng.next_u64() % TAIL_WORDS);
        }
    }
    let importance = (rng.next_u64() % 1000) as f64 / 1000.0;
    let created_at = 1_700_000_000 + i as i64 * 60;
    (topic, content, importance, created_at)
}

/// The rows inserted by workload 2, prepared outside the timed region.
pub fn insert_rows() -> Vec<(i64, String, f64)> {
    (0..INSERT_ROWS)
        .map(|i| {
            (
                i as i64 + 1,
                format!("inserted row {i:08} with some text"),
                i as f64 * 0.5,
            )
        })
        .collect()
}

/// A fresh scratch directory for one bench process's database files.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-bench-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create bench scratch dir");
    dir
}

/// Removes `path` and its WAL/SHM/journal companions.
pub fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Criterion with this project's defaults (short, for a 2-core machine); command-line flags
/// such as `--warm-up-time` and `--measurement-time` still override them.
pub fn criterion() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .without_plots()
        .configure_from_args()
}

/// The target directory criterion writes to (`CARGO_TARGET_DIR` or `target`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// Appends `key value` to target/criterion/dbcompat-notes.txt (read by scripts/bench.sh) and
/// prints it.
pub fn note(key: &str, value: &str) {
    println!("bench-note: {key} = {value}");
    let dir = target_dir().join("criterion");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("dbcompat-notes.txt"))
    {
        let _ = writeln!(f, "{key}\t{value}");
    }
}

/// A `/proc/self/status` field in kB (`VmHWM`, `VmRSS`).
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .and_then(|l| {
            l[field.len() + 1..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        })
}

/// Resets the peak-RSS counter (VmHWM) to the current RSS; false where Linux refuses.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Whether this process was started to measure peak RSS instead of running criterion.
pub fn rss_mode() -> bool {
    std::env::var("DBCOMPAT_BENCH_RSS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Reports the peak RSS of a 1M-row scan: `scan` runs the scan and returns the rows seen.
pub fn measure_scan_rss(label: &str, mut scan: impl FnMut() -> u64) {
    let reset = reset_peak_rss();
    let before = proc_status_kb("VmHWM").unwrap_or(0);
    let rows = scan();
    let after = proc_status_kb("VmHWM").unwrap_or(0);
    let grow = after.saturating_sub(before);
    println!(
        "peak RSS {label}: {before} kB before the scan, {after} kB peak after scanning {rows} rows \
         (+{grow} kB){}",
        if reset { "" } else { " [VmHWM could not be reset]" }
    );
    note(&format!("rss.{label}.before_kb"), &before.to_string());
    note(&format!("rss.{label}.peak_kb"), &after.to_string());
    note(&format!("rss.{label}.rows"), &rows.to_string());
}

/// Runs `f` and returns how many HTTP requests the test server logged meanwhile (one
/// `METHOD /path` line each, written before the server handles it) and their paths.
pub fn count_requests(log: &Path, f: impl FnOnce()) -> (usize, String) {
    let lines = |p: &Path| -> Vec<String> {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    };
    // Let background requests of earlier calls (stream closes) land first.
    std::thread::sleep(Duration::from_millis(200));
    let before = lines(log).len();
    f();
    let after = lines(log);
    let new = &after[before.min(after.len())..];
    (new.len(), new.join(", "))
}

/// Whether workload 7 (remote) is skipped: `DBCOMPAT_BENCH_LOCAL_ONLY=1`.
pub fn local_only() -> bool {
    std::env::var("DBCOMPAT_BENCH_LOCAL_ONLY").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// `DBCOMPAT_BENCH_PROFILE=<workload>:<n>` (workload: lookup, insert, scan, fts, open_close):
/// run one workload `n` times without criterion, for `valgrind --tool=callgrind`. Instructions
/// per operation = (total at n − total at 0) / n.
pub fn profile_mode() -> Option<(String, u64)> {
    let spec = std::env::var("DBCOMPAT_BENCH_PROFILE").ok()?;
    let (w, n) = spec.split_once(':').unwrap_or((spec.as_str(), "1000"));
    Some((
        w.to_owned(),
        n.parse()
            .expect("DBCOMPAT_BENCH_PROFILE=<workload>:<count>"),
    ))
}

// ---- The workloads of issue 11 (shapes users run beyond issue 4's seven). ----

/// Rows of `records` scanned per iteration, and the size of each row's BLOB.
pub const RECORD_ROWS: i64 = 10_000;
pub const PAYLOAD_BYTES: usize = 64;
pub const CREATE_RECORDS: &str = "CREATE TABLE IF NOT EXISTS records \
     (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL NOT NULL, payload BLOB NOT NULL)";
pub const INSERT_RECORD_SQL: &str =
    "INSERT INTO records (id, name, score, payload) VALUES (?1, ?2, ?3, ?4)";
/// Row `i` of `records`, inserted one by one in a transaction as an application would: a
/// 29-byte name, a score and a 64-byte payload.
pub fn record_row(i: i64) -> (i64, String, f64, Vec<u8>) {
    let payload = (0..PAYLOAD_BYTES)
        .map(|k| (i as usize * 7 + k) as u8)
        .collect();
    (
        i,
        format!("record {i:08} of the scan"),
        i as f64 * 0.5,
        payload,
    )
}
pub const RECORDS_SQL: &str =
    "SELECT id, name, score, payload FROM records WHERE id <= ?1 ORDER BY id";

/// Rows of `wide` (20 columns: the key, 4 more INTEGER, 5 REAL, 5 TEXT, 5 BLOB) per scan.
pub const WIDE_ROWS: i64 = 2_000;
pub const CREATE_WIDE: &str = "CREATE TABLE IF NOT EXISTS wide (id INTEGER PRIMARY KEY, \
     i1 INTEGER, i2 INTEGER, i3 INTEGER, i4 INTEGER, \
     r1 REAL, r2 REAL, r3 REAL, r4 REAL, r5 REAL, \
     t1 TEXT, t2 TEXT, t3 TEXT, t4 TEXT, t5 TEXT, \
     b1 BLOB, b2 BLOB, b3 BLOB, b4 BLOB, b5 BLOB)";
pub fn fill_wide_sql(n: i64) -> String {
    format!(
        "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n}) \
         INSERT INTO wide SELECT x, x * 2, x * 3, x * 5, x * 7, \
         x * 0.5, x * 0.25, x * 1.5, x / 3.0, x / 7.0, \
         printf('first text %d', x), printf('second text of row %d', x), 'constant', \
         printf('%020d', x), printf('the fifth and longest text column of row %08d', x), \
         CAST(printf('%016d', x) AS BLOB), CAST(printf('%032d', x) AS BLOB), \
         CAST('b3' AS BLOB), CAST(printf('%08d', x) AS BLOB), CAST(printf('%048d', x) AS BLOB) \
         FROM seq"
    )
}
pub const WIDE_SQL: &str = "SELECT id, i1, i2, i3, i4, r1, r2, r3, r4, r5, \
     t1, t2, t3, t4, t5, b1, b2, b3, b4, b5 FROM wide ORDER BY id";

/// The large values: a 1 MiB BLOB and a 64 KiB TEXT, each written then read back.
pub const BIG_BLOB_BYTES: usize = 1 << 20;
pub const LONG_TEXT_BYTES: usize = 64 << 10;
pub const CREATE_BIG: &str = "CREATE TABLE IF NOT EXISTS big \
     (id INTEGER PRIMARY KEY, data BLOB, body TEXT)";
pub const PUT_BLOB_SQL: &str = "INSERT OR REPLACE INTO big (id, data) VALUES (?1, ?2)";
pub const GET_BLOB_SQL: &str = "SELECT data FROM big WHERE id = ?1";
pub const PUT_ZEROBLOB_SQL: &str =
    "INSERT OR REPLACE INTO big (id, data) VALUES (?1, zeroblob(?2))";
pub const PUT_TEXT_SQL: &str = "INSERT OR REPLACE INTO big (id, body) VALUES (?1, ?2)";
pub const GET_TEXT_SQL: &str = "SELECT body FROM big WHERE id = ?1";

/// The 1 MiB payload (deterministic bytes).
pub fn big_blob() -> Vec<u8> {
    (0..BIG_BLOB_BYTES).map(|i| (i * 31 % 251) as u8).collect()
}

/// The 64 KiB text (words from the vocabulary).
pub fn long_text() -> String {
    let mut s = String::with_capacity(LONG_TEXT_BYTES + 16);
    let mut i = 0;
    while s.len() < LONG_TEXT_BYTES {
        s.push_str(VOCAB[i % VOCAB.len()]);
        s.push(' ');
        i += 7;
    }
    s.truncate(LONG_TEXT_BYTES);
    s
}

/// Small autocommit transactions per iteration, each one upsert.
pub const SMALL_TXS: i64 = 1_000;
pub const CREATE_SMALL: &str =
    "CREATE TABLE IF NOT EXISTS small (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
pub const PUT_SMALL_SQL: &str = "INSERT OR REPLACE INTO small (id, v) VALUES (?1, ?2)";

/// Workload 17: an SQL script run by one `execute_batch` (a schema-and-seed file, a dump): a
/// transaction of `SCRIPT_STATEMENTS` upserts, ~690 KB of SQL.
pub const SCRIPT_STATEMENTS: i64 = 10_000;
pub const CREATE_SCRIPT: &str =
    "CREATE TABLE IF NOT EXISTS script (id INTEGER PRIMARY KEY, note TEXT NOT NULL)";

pub fn batch_script() -> String {
    let mut sql = String::from("BEGIN;\n");
    for id in 1..=SCRIPT_STATEMENTS {
        sql.push_str(&format!(
            "INSERT OR REPLACE INTO script (id, note) VALUES ({id}, 'row {id} of the script; not a statement');\n"
        ));
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// Concurrent readers: threads, and cached point lookups per thread per round.
pub const READER_THREADS: usize = 4;
pub const READS_PER_THREAD: usize = 250;

/// A 500-byte query, prepared without the statement cache.
pub const PREPARE_500_SQL: &str =
    "SELECT r.id, r.name, r.score, length(r.payload) AS payload_len, \
     upper(substr(r.name, 1, 8)) AS tag, \
     CASE WHEN r.score > 1000 THEN 'high' WHEN r.score > 100 THEN 'mid' ELSE 'low' END AS band, \
     (SELECT count(*) FROM records r2 WHERE r2.id BETWEEN r.id - 5 AND r.id + 5) AS neighbours, \
     coalesce(nullif(trim(r.name), ''), 'unnamed') AS label \
     FROM records r \
     WHERE r.id BETWEEN ?1 AND ?2 AND r.name LIKE 'record%' AND r.score >= ?3 \
     AND r.payload IS NOT NULL \
     ORDER BY r.score DESC, r.id LIMIT ?4 OFFSET ?5";

/// A statement with 16 parameters (8 INTEGER, 4 REAL, 4 TEXT), re-bound on every call.
pub const BIND16_SQL: &str = "SELECT ?1 + ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8, \
     ?9 + ?10 + ?11 + ?12, length(?13 || ?14 || ?15 || ?16)";
pub const BIND16_TEXT: [&str; 4] = ["alpha", "a somewhat longer text value", "gamma", "δέλτα"];

/// `DBCOMPAT_BENCH_WORKLOADS=w8,w13` (criterion group-name prefixes): run only those groups.
pub fn selected(group: &str) -> bool {
    match std::env::var("DBCOMPAT_BENCH_WORKLOADS") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .any(|p| !p.trim().is_empty() && group.starts_with(p.trim())),
        _ => true,
    }
}

/// The workloads of issue 11 as (criterion group, one-shot name, description); each is one
/// `workloads::shape`, run by criterion and by the one-shot mode alike.
pub const SHAPES: [(&str, &str, &str); 10] = [
    (
        "w8_records_10k",
        "records",
        "8. scan 10k rows TEXT+REAL+64 B BLOB into structs",
    ),
    (
        "w9_wide_2k",
        "wide",
        "9. scan 2k wide rows (20 mixed columns)",
    ),
    (
        "w10_blob_1m_values",
        "blob_values",
        "10. 1 MiB BLOB write + read, as values",
    ),
    (
        "w11_blob_1m_io",
        "blob_io",
        "11. 1 MiB BLOB write + read, blob I/O",
    ),
    ("w12_text_64k", "long_text", "12. 64 KiB TEXT write + read"),
    (
        "w13_autocommit_1k",
        "autocommit",
        "13. 1000 autocommit upserts (WAL, sync=NORMAL)",
    ),
    (
        "w14_readers_4_threads",
        "readers",
        "14. 4 reader threads x 250 cached lookups (WAL)",
    ),
    (
        "w15_prepare_500b",
        "prepare500",
        "15. prepare (no cache) + finalize a 500-byte query",
    ),
    (
        "w16_bind_16",
        "bind16",
        "16. re-bind 16 parameters + step (cached statement)",
    ),
    (
        "w17_script_10k",
        "script",
        "17. execute_batch of a 10 000-statement script",
    ),
];

/// This process's user and system CPU time (ns) and minor page faults so far, all threads
/// included (`getrusage(RUSAGE_SELF)`). CPU time, unlike wall time, does not count the time
/// other processes on a busy machine hold the cores.
pub fn rusage() -> (u128, u128, u64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let ns = |t: libc::timeval| t.tv_sec as u128 * 1_000_000_000 + t.tv_usec as u128 * 1_000;
    (ns(ru.ru_utime), ns(ru.ru_stime), ru.ru_minflt as u64)
}

/// `DBCOMPAT_BENCH_ONESHOT=<workload>:<n>`: run one workload n times outside criterion, after
/// its setup, and note the wall and CPU time, minor faults and peak-RSS growth of those n runs
/// (scripts/bench.sh counts the syscalls from outside with strace).
pub fn oneshot_mode() -> Option<(String, u64)> {
    let spec = std::env::var("DBCOMPAT_BENCH_ONESHOT").ok()?;
    let (w, n) = spec.split_once(':').unwrap_or((spec.as_str(), "10"));
    Some((
        w.to_owned(),
        n.parse()
            .expect("DBCOMPAT_BENCH_ONESHOT=<workload>:<count>"),
    ))
}

/// Runs `op` n times and notes `oneshot.<label>.<workload>` =
/// "n wall_ns user_ns sys_ns minflt hwm_growth_kb".
pub fn measure_oneshot(label: &str, workload: &str, n: u64, mut op: impl FnMut()) {
    let reset = reset_peak_rss();
    let rss_before = proc_status_kb("VmHWM").unwrap_or(0);
    let (user0, sys0, faults0) = rusage();
    let start = std::time::Instant::now();
    for _ in 0..n {
        op();
    }
    let wall = start.elapsed().as_nanos();
    let (user1, sys1, faults1) = rusage();
    let grow = proc_status_kb("VmHWM")
        .unwrap_or(0)
        .saturating_sub(rss_before);
    let grow = if reset {
        grow.to_string()
    } else {
        "?".to_owned()
    };
    note(
        &format!("oneshot.{label}.{workload}"),
        &format!(
            "{n} {wall} {} {} {} {grow}",
            user1 - user0,
            sys1 - sys0,
            faults1 - faults0
        ),
    );
}
