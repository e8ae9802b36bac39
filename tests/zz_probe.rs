#[path = "../compat-tests/server.rs"]
mod server;
use dbcompat::Connection;

fn show(tag: &str, db: &Connection) {
    db.execute_batch("CREATE TABLE IF NOT EXISTS t(x TEXT, n INTEGER); DELETE FROM t; INSERT INTO t VALUES ('ABC', 1), ('abc', 2), ('x', 3);").unwrap();
    let r = |sql: &str| -> String {
        match db.query_row(sql, [], |r| r.get::<_, i64>(0)) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    };
    println!("[{tag}] like before: {}", r("SELECT count(*) FROM t WHERE x LIKE 'abc'"));
    db.execute_batch("PRAGMA case_sensitive_like = ON").unwrap();
    println!("[{tag}] like after: {}", r("SELECT count(*) FROM t WHERE x LIKE 'abc'"));
    db.execute_batch("PRAGMA reverse_unordered_selects = ON").unwrap();
    println!("[{tag}] unordered first: {}", r("SELECT n FROM t"));
    db.execute_batch("PRAGMA case_sensitive_like = OFF; PRAGMA reverse_unordered_selects = OFF").unwrap();
    println!("[{tag}] like off: {}", r("SELECT count(*) FROM t WHERE x LIKE 'abc'"));
}

#[test]
fn probe() {
    show("local", &Connection::open_in_memory().unwrap());
    let dir = std::env::temp_dir().join(format!("zzprobe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = server::start_private(&dir, &[]);
    show("remote", &Connection::open_remote(&server.url, "").unwrap());
    show("replica", &Connection::open_replica(dir.join("r.db"), &server.url, "").unwrap());
}
