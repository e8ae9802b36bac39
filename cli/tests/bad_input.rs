//! Bad input gets one clear line on stderr and a non-zero exit, never a panic or a backtrace,
//! and nothing is written: missing files, files that are not databases, bad URLs, unreachable
//! or silent servers, bad tokens, non-empty destinations, usage mistakes. Also `check` on a
//! healthy server (token redacted, write probe, replica sync).

#[path = "../../compat-tests/server.rs"]
mod server;

mod common;

use common::*;
use dbcompat::Connection;
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

fn small_db(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), ('two'), (NULL);")
        .unwrap();
}

/// A loopback port with nothing listening on it.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    port
}

#[test]
fn missing_source_file() {
    let dir = temp_dir("missing");
    let dst = dir.join("out.db");
    let out = run(&[
        "copy",
        dir.join("nope.db").to_str().unwrap(),
        dst.to_str().unwrap(),
    ]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("not found"), "{line}");
    assert!(!dst.exists(), "nothing may be written");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn source_is_not_a_database() {
    let dir = temp_dir("notdb");
    let src = dir.join("garbage.db");
    std::fs::write(
        &src,
        b"this is not a SQLite database, just some text\n".repeat(100),
    )
    .unwrap();
    let dst = dir.join("out.db");
    let out = run(&["copy", src.to_str().unwrap(), dst.to_str().unwrap()]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("not a database"), "{line}");
    assert!(!dst.exists());
    let out = run(&["check", src.to_str().unwrap()]);
    assert_one_line_failure(&out);
}

#[test]
fn bad_urls() {
    let dir = temp_dir("badurl");
    let src = dir.join("src.db");
    small_db(&src);
    let before = file_bytes(&src);
    for url in [
        "ftp://127.0.0.1/db",
        "http://",
        "libsql://",
        "https://:8080",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:port",
        "libsql://bad host.example",
    ] {
        let out = run(&["copy", src.to_str().unwrap(), url]);
        let line = assert_one_line_failure(&out);
        assert!(line.contains("invalid URL"), "{url}: {line}");
        let out = run(&["check", url]);
        let line = assert_one_line_failure(&out);
        assert!(line.contains("invalid URL"), "{url}: {line}");
        // As a source too: the destination file is not created.
        let dst = dir.join("from-bad-url.db");
        let out = run(&["copy", url, dst.to_str().unwrap()]);
        assert_one_line_failure(&out);
        assert!(!dst.exists(), "{url}");
    }
    assert_eq!(file_bytes(&src), before);
}

#[test]
fn unreachable_server() {
    let dir = temp_dir("unreachable");
    let src = dir.join("src.db");
    small_db(&src);
    let url = format!("http://127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let out = run(&["check", &url]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("cannot reach"), "{line}");
    assert!(line.contains(&url), "{line}");
    let out = run(&["copy", src.to_str().unwrap(), &url]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("cannot reach"), "{line}");
    let dst = dir.join("dst.db");
    let out = run(&["copy", &url, dst.to_str().unwrap()]);
    assert_one_line_failure(&out);
    assert!(!dst.exists());
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// A server that accepts connections and never answers: the CLI's default network timeout
/// (10 s unless DBCOMPAT_REMOTE_TIMEOUT_MS says otherwise) bounds the wait.
#[test]
fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());

    let started = Instant::now();
    let out = cli()
        .env("DBCOMPAT_REMOTE_TIMEOUT_MS", "1000")
        .args(["check", &url])
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert!(line.contains("did not answer"), "{line}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );

    // Without the variable: the CLI's own default, 10 s.
    let started = Instant::now();
    let out = cli()
        .env_remove("DBCOMPAT_REMOTE_TIMEOUT_MS")
        .args(["check", &url])
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert!(line.contains("within 10000 ms"), "{line}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "{waited:?}"
    );
    drop(listener);
}

#[test]
fn bad_token_is_refused_and_never_printed() {
    let dir = temp_dir("token");
    let srv = server::start_private(
        &dir.join("server"),
        &["--token", "the-right-token-0123456789"],
    );
    let src = dir.join("src.db");
    small_db(&src);
    let wrong = "wrong-token-abcdefghijklmnop";

    let out = run(&["check", "--token", wrong, &srv.url]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("rejected the auth token"), "{line}");
    assert!(!stdout(&out).contains(wrong) && !line.contains(wrong));

    // From the environment, and for copy.
    let out = cli()
        .env("LIBSQL_AUTH_TOKEN", wrong)
        .args(["copy", src.to_str().unwrap(), &srv.url])
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert!(line.contains("rejected the auth token"), "{line}");
    assert!(!line.contains(wrong));

    // No token at all.
    let out = run(&["check", &srv.url]);
    assert_one_line_failure(&out);

    // The right one works, and is shown only as its first 4 characters.
    let out = cli()
        .env("TURSO_AUTH_TOKEN", "the-right-token-0123456789")
        .args(["check", &srv.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("token:   the-… (from TURSO_AUTH_TOKEN)"),
        "{text}"
    );
    assert!(!text.contains("the-right-token-0123456789"), "{text}");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn non_empty_local_destination_is_refused() {
    let dir = temp_dir("nonempty-local");
    let src = dir.join("src.db");
    let dst = dir.join("dst.db");
    small_db(&src);
    {
        let c = Connection::open(&dst).unwrap();
        c.execute_batch("CREATE TABLE keep(me); INSERT INTO keep VALUES ('precious');")
            .unwrap();
    }
    let before = file_bytes(&dst);
    let out = run(&["copy", src.to_str().unwrap(), dst.to_str().unwrap()]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("is not empty"), "{line}");
    assert_eq!(
        file_bytes(&dst),
        before,
        "the destination must be untouched"
    );

    // The same file as source and destination.
    let out = run(&["copy", src.to_str().unwrap(), src.to_str().unwrap()]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("same database"), "{line}");
}

#[test]
fn non_empty_remote_destination_is_refused() {
    let srv = server::shared();
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let remote = Connection::open_remote(&srv.url, &token).unwrap();
    let table = format!("cli_nonempty_{}", std::process::id());
    remote
        .execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS {table}(x); INSERT INTO {table} VALUES (1);"
        ))
        .unwrap();
    let dir = temp_dir("nonempty-remote");
    let src = dir.join("src.db");
    small_db(&src);
    let out = cli()
        .args(["copy", "--token", &token, src.to_str().unwrap(), &srv.url])
        .output()
        .unwrap();
    let line = assert_one_line_failure(&out);
    assert!(line.contains("is not empty"), "{line}");
    let n: i64 = remote
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    let exists: i64 = remote
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 't'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(exists, 0, "nothing of the source was written");
    remote
        .execute_batch(&format!("DROP TABLE {table}"))
        .unwrap();
}

#[test]
fn contentless_fts_is_refused_before_writing() {
    let dir = temp_dir("contentless");
    let src = dir.join("src.db");
    {
        let c = Connection::open(&src).unwrap();
        c.execute_batch(
            "CREATE TABLE t(x); CREATE VIRTUAL TABLE idx USING fts5(body, content='');
             INSERT INTO idx(rowid, body) VALUES (1, 'only the index keeps this');",
        )
        .unwrap();
    }
    let dst = dir.join("dst.db");
    let out = run(&["copy", src.to_str().unwrap(), dst.to_str().unwrap()]);
    let line = assert_one_line_failure(&out);
    assert!(line.contains("contentless"), "{line}");
    assert!(!dst.exists());
}

#[test]
fn usage_mistakes_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["copy"],
        &["copy", "one.db"],
        &["copy", "a.db", "b.db", "c.db"],
        &["copy", "--bogus", "a.db", "b.db"],
        &["copy", "--batch-rows", "0", "a.db", "b.db"],
        &["copy", "--token"],
        &["check"],
        &["check", "--replica", "r.db", "local.db"],
        &["check", "--quiet", "http://127.0.0.1:1"],
    ] {
        let out = run(args);
        let line = assert_one_line_failure(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {line}");
    }
    let out = run(&["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("dbcompat copy"));
}

#[test]
fn check_reports_a_healthy_server() {
    let srv = server::shared();
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let secret = if token.is_empty() {
        "secret-token-never-shown-42".to_owned()
    } else {
        token.clone()
    };
    let out = cli()
        .args(["check", "--token", &secret, &srv.url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "target:",
        "(remote libSQL server",
        "connect: ok",
        "server:  SQLite 3.",
        "latency: median",
        "read:    ok (",
        "write:   ok (",
        "replica: not a replica (direct remote connection)",
    ] {
        assert!(text.contains(want), "{want:?} missing in:\n{text}");
    }
    assert!(!text.contains(&secret), "{text}");
    assert!(
        text.contains(&format!("token:   {}…", &secret[..4])) || secret.chars().count() < 12,
        "{text}"
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // The write probe leaves nothing behind.
    let remote = Connection::open_remote(&srv.url, &token).unwrap();
    let probes: i64 = remote
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_dbcompat\\_check%' ESCAPE '\\'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(probes, 0);
}

#[test]
fn check_local_file_and_replica() {
    let dir = temp_dir("check-local");
    let db = dir.join("local.db");
    small_db(&db);
    let out = run(&["check", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("replica: not a replica (local file)"));
    assert!(
        stdout(&out).contains("read:    ok (1 schema objects)"),
        "{}",
        stdout(&out)
    );

    // An embedded replica of a private server, synced by check.
    let srv = server::start_private(&dir.join("server"), &[]);
    let primary = Connection::open_remote(&srv.url, "").unwrap();
    primary
        .execute_batch("CREATE TABLE on_primary(x); INSERT INTO on_primary VALUES (1);")
        .unwrap();
    let replica = dir.join("replica.db");
    let out = run(&["check", "--replica", replica.to_str().unwrap(), &srv.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("synced,"), "{text}");
    assert!(text.contains("local read ok (1 schema objects)"), "{text}");
    drop(primary);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
