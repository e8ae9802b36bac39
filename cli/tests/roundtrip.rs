//! `dbcompat copy` round trip: a local database with several tables, FTS5 tables (one kept in
//! sync by triggers), indexes, a view, AUTOINCREMENT, generated columns, blobs, NULLs and
//! unicode goes to the remote test server and back. Row counts and checksums must be identical
//! at each end, the rows themselves equal, and FTS MATCH queries must give the same answers.

#[path = "../../compat-tests/server.rs"]
mod server;

mod common;

use common::*;
use dbcompat::{params, Connection};
use std::path::Path;

const NOTES: i64 = 1234;

/// The source database.
fn build_source(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "
        CREATE TABLE notes(
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT,
            score REAL,
            big INTEGER,
            data BLOB
        );
        CREATE TABLE tags(
            note_id INTEGER NOT NULL REFERENCES notes(id),
            tag TEXT NOT NULL,
            PRIMARY KEY (note_id, tag)
        ) WITHOUT ROWID;
        CREATE TABLE counters(id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);
        CREATE TABLE log(msg TEXT, shout TEXT GENERATED ALWAYS AS (upper(msg)) VIRTUAL,
                         len INTEGER AS (length(msg)) STORED);
        -- A self-reference whose parents come after their children in rowid order.
        CREATE TABLE folders(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES folders(id), name TEXT);
        CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes', content_rowid='id');
        CREATE VIRTUAL TABLE docs_fts USING fts5(text, lang UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO notes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE INDEX notes_title ON notes(title);
        CREATE UNIQUE INDEX log_msg ON log(msg) WHERE msg IS NOT NULL;
        CREATE VIEW tagged AS SELECT n.id, n.title, t.tag FROM notes n JOIN tags t ON t.note_id = n.id;
        ",
    )
    .unwrap();
    let words = [
        "lorem",
        "ipsum",
        "dolor",
        "café",
        "naïve",
        "東京",
        "данные",
        "🎉party",
    ];
    let mut tx_conn = conn;
    let tx = tx_conn.transaction().unwrap();
    for i in 1..=NOTES {
        let title = format!("note {i} {}", words[(i % 8) as usize]);
        let body: Option<String> = if i % 7 == 0 {
            None
        } else {
            Some(format!(
                "body of {i}: {} {} \"quoted\" 'single'\nsecond line",
                words[(i * 3 % 8) as usize],
                words[(i * 5 % 8) as usize]
            ))
        };
        let score: Option<f64> = match i % 5 {
            0 => None,
            1 => Some(-0.0),
            2 => Some(i as f64 / 3.0),
            3 => Some(1e-300 * i as f64),
            _ => Some(std::f64::consts::PI * 1e200),
        };
        let big: i64 = match i % 4 {
            0 => i64::MAX - i,
            1 => i64::MIN + i,
            _ => i * 1_000_003,
        };
        let data: Option<Vec<u8>> = match i % 6 {
            0 => None,
            1 => Some(Vec::new()),
            2 => Some(vec![0u8; 17]),
            _ => Some((0..(i % 300) as u8).map(|b| b.wrapping_mul(7)).collect()),
        };
        tx.execute(
            "INSERT INTO notes(id, title, body, score, big, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![i * 2, title, body, score, big, data],
        )
        .unwrap();
        for t in 0..(i % 3) {
            tx.execute(
                "INSERT INTO tags(note_id, tag) VALUES (?1, ?2)",
                params![i * 2, format!("tag-{t}-{}", words[(t % 8) as usize])],
            )
            .unwrap();
        }
        tx.execute(
            "INSERT INTO docs_fts(rowid, text, lang) VALUES (?1, ?2, ?3)",
            params![
                i * 10 + 1,
                format!("document {i} about {} and résumé", words[(i % 8) as usize]),
                if i % 2 == 0 { "en" } else { "fr" }
            ],
        )
        .unwrap();
    }
    // Updates and deletes go through the triggers; the FTS index follows.
    tx.execute(
        "UPDATE notes SET body = 'rewritten zebra text' WHERE id % 100 = 0",
        [],
    )
    .unwrap();
    tx.execute(
        "DELETE FROM notes WHERE id % 97 = 0 AND id NOT IN (SELECT note_id FROM tags)",
        [],
    )
    .unwrap();
    for i in 0..60 {
        tx.execute("INSERT INTO counters(n) VALUES (?1)", [i])
            .unwrap();
    }
    tx.execute("DELETE FROM counters WHERE id > 45", [])
        .unwrap();
    for i in 0..30 {
        let msg: Option<String> = if i % 10 == 9 {
            None
        } else {
            Some(format!("message {i} ✓"))
        };
        tx.execute("INSERT INTO log(msg) VALUES (?1)", [msg])
            .unwrap();
    }
    tx.execute("DELETE FROM log WHERE rowid % 4 = 0", [])
        .unwrap();
    // 250 rows: more than one INSERT statement of the copy (100 rows each), so a child and its
    // parent land in different statements; the copy must defer the foreign key checks.
    for id in (1..=250i64).rev() {
        let parent: Option<i64> = if id == 250 { None } else { Some(id + 1) };
        tx.execute(
            "INSERT INTO folders(id, parent, name) VALUES (?1, ?2, ?3)",
            params![id, parent, format!("folder {id}")],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The FTS questions asked at every end.
const MATCHES: &[(&str, &str)] = &[
    ("notes_fts", "lorem"),
    ("notes_fts", "zebra"),
    ("notes_fts", "東京"),
    ("notes_fts", "title:café"),
    ("notes_fts", "quoted AND second"),
    ("notes_fts", "dolor NOT ipsum"),
    ("notes_fts", "\"note 1*\""),
    ("docs_fts", "resume"),
    ("docs_fts", "данные"),
    ("docs_fts", "document AND party"),
];

fn fts_answers(conn: &Connection) -> Vec<Vec<Vec<dbcompat::types::Value>>> {
    MATCHES
        .iter()
        .map(|(table, q)| {
            let sql = format!(
                "SELECT rowid, highlight({table}, 0, '[', ']') FROM {table} WHERE {table} MATCH '{}' ORDER BY rank, rowid",
                q.replace('\'', "''")
            );
            dump(conn, &sql)
        })
        .collect()
}

/// Every table's full contents, rowid included where there is one.
fn contents(conn: &Connection) -> Vec<Vec<Vec<dbcompat::types::Value>>> {
    [
        "SELECT * FROM notes ORDER BY id",
        "SELECT * FROM tags ORDER BY note_id, tag",
        "SELECT rowid, * FROM counters ORDER BY id",
        "SELECT rowid, msg, shout, len FROM log ORDER BY rowid",
        "SELECT * FROM folders ORDER BY id",
        "SELECT rowid, text, lang FROM docs_fts ORDER BY rowid",
        "SELECT rowid, title, body FROM notes_fts ORDER BY rowid",
        "SELECT * FROM tagged ORDER BY id, tag",
        "SELECT name, seq FROM sqlite_sequence ORDER BY name",
    ]
    .iter()
    .map(|sql| dump(conn, sql))
    .collect()
}

#[test]
fn round_trip_local_remote_local() {
    let dir = temp_dir("roundtrip");
    let src = dir.join("source.db");
    let back = dir.join("back.db");
    build_source(&src);

    // An empty database on a private test server (the copy refuses a non-empty destination).
    let srv = server::start_private(&dir.join("server"), &[]);

    // Local → remote.
    let up = cli()
        .args(["copy", "--batch-rows", "300"])
        .arg(&src)
        .arg(&srv.url)
        .output()
        .unwrap();
    assert!(up.status.success(), "{}\n{}", stdout(&up), stderr(&up));
    let up_report = parse_report(&stdout(&up));
    assert!(stdout(&up).contains("copy OK"), "{}", stdout(&up));
    assert!(stderr(&up).contains("dbcompat: copying"), "{}", stderr(&up));

    // Remote → local.
    let down = cli().arg("copy").arg(&srv.url).arg(&back).output().unwrap();
    assert!(
        down.status.success(),
        "{}\n{}",
        stdout(&down),
        stderr(&down)
    );
    let down_report = parse_report(&stdout(&down));

    // Every table appears at each step, with equal counts and checksums at every end.
    let expected_tables = [
        "counters",
        "docs_fts",
        "folders",
        "log",
        "notes",
        "notes_fts",
        "sqlite_sequence",
        "tags",
    ];
    assert_eq!(
        up_report.keys().map(String::as_str).collect::<Vec<_>>(),
        expected_tables
    );
    assert_eq!(
        down_report.keys().collect::<Vec<_>>(),
        up_report.keys().collect::<Vec<_>>()
    );
    for (name, up_line) in &up_report {
        let down_line = &down_report[name];
        assert!(up_line.result.starts_with("ok"), "{name}: {up_line:?}");
        assert!(down_line.result.starts_with("ok"), "{name}: {down_line:?}");
        assert_eq!(up_line.rows_src, up_line.rows_dst, "{name}");
        assert_eq!(up_line.sum_src, up_line.sum_dst, "{name}");
        // Source of the first copy = destination of the second.
        assert_eq!(up_line.rows_src, down_line.rows_dst, "{name}");
        assert_eq!(up_line.sum_src, down_line.sum_dst, "{name}");
        assert_eq!(up_line.sum_dst, down_line.sum_src, "{name}");
    }
    assert!(up_report["notes"].rows_src > 1200);
    assert_eq!(up_report["notes_fts"].result, "ok, index ok");
    assert_eq!(up_report["docs_fts"].result, "ok, index ok");
    assert_eq!(up_report["docs_fts"].kind, "fts5");
    assert_eq!(up_report["notes_fts"].kind, "fts5 (content=notes)");
    assert_eq!(up_report["tags"].kind, "table (without rowid)");

    // The rows themselves, on the server and back home, equal the original's.
    let original = Connection::open(&src).unwrap();
    let remote = Connection::open_remote(&srv.url, "").unwrap();
    let home = Connection::open(&back).unwrap();
    let want = contents(&original);
    assert_eq!(contents(&remote), want);
    assert_eq!(contents(&home), want);

    // FTS answers are the same at all three ends, and not trivially empty.
    let answers = fts_answers(&original);
    assert!(
        answers.iter().filter(|a| !a.is_empty()).count() >= 8,
        "{answers:?}"
    );
    assert_eq!(fts_answers(&remote), answers);
    assert_eq!(fts_answers(&home), answers);

    // Schema objects made it: indexes, view, triggers — and they work.
    let objects = |c: &Connection| {
        dump(
            c,
            "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'view', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
        )
    };
    assert_eq!(objects(&home), objects(&original));
    assert_eq!(objects(&home).len(), 6);
    home.execute(
        "INSERT INTO notes(title, body) VALUES ('fresh', 'xylophone quartet')",
        [],
    )
    .unwrap();
    let hit: i64 = home
        .query_row(
            "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'xylophone'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id: i64 = home
        .query_row("SELECT id FROM notes WHERE title = 'fresh'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(hit, id);
    // AUTOINCREMENT continues after the source's counter, not after the largest rowid.
    home.execute("INSERT INTO counters(n) VALUES (1)", [])
        .unwrap();
    assert_eq!(home.last_insert_rowid(), 61);

    drop(remote);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn local_to_local_copy_verifies() {
    let dir = temp_dir("local-local");
    let src = dir.join("a.db");
    let dst = dir.join("b.db");
    build_source(&src);
    let out = cli()
        .args(["copy", "-q"])
        .arg(&src)
        .arg(&dst)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).is_empty(), "--quiet: {}", stderr(&out));
    let report = parse_report(&stdout(&out));
    assert!(report
        .values()
        .all(|l| l.sum_src == l.sum_dst && l.result.starts_with("ok")));
    assert!(
        stdout(&out).contains("schema: 13 objects, the same on both sides"),
        "{}",
        stdout(&out)
    );
    let a = Connection::open(&src).unwrap();
    let b = Connection::open(&dst).unwrap();
    assert_eq!(contents(&b), contents(&a));
    assert_eq!(fts_answers(&b), fts_answers(&a));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy that fails midway says, on one line, what the destination then holds: here a row
/// that breaks a CHECK constraint (written into the source with checks off) stops the second
/// table; the first table's rows are committed, the second's rolled back.
#[test]
fn failure_midway_is_reported_as_partial() {
    let dir = temp_dir("partial");
    let src = dir.join("src.db");
    let dst = dir.join("dst.db");
    {
        let c = Connection::open(&src).unwrap();
        c.execute_batch(
            "CREATE TABLE first(x);
             CREATE TABLE second(x CHECK (x < 100));
             CREATE TABLE third(x);
             CREATE INDEX third_x ON third(x);
             INSERT INTO first VALUES (1), (2), (3);
             INSERT INTO second VALUES (1), (2);
             PRAGMA ignore_check_constraints = ON;
             INSERT INTO second VALUES (500);
             INSERT INTO third VALUES (1);",
        )
        .unwrap();
    }
    let out = cli()
        .args(["copy", "-q"])
        .arg(&src)
        .arg(&dst)
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert!(line.contains("\"second\""), "{line}");
    assert!(line.contains("rolled back"), "{line}");
    assert!(line.contains("PARTIAL"), "{line}");
    assert!(
        line.contains("rows of 1/3 tables are complete (first)"),
        "{line}"
    );
    assert!(
        line.contains("tables without their rows: second, third"),
        "{line}"
    );
    assert!(
        line.contains("no index, view or trigger was created"),
        "{line}"
    );
    let c = Connection::open(&dst).unwrap();
    assert_eq!(count(&c, "first"), 3);
    assert_eq!(count(&c, "second"), 0);
    assert_eq!(count(&c, "third"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
