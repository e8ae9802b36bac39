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
