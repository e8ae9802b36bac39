//! rusqlite_migration 2.0 (built against `rusqlite ^0.34`) running on dbcompat through the
//! `rusqlite` facade: migrations up, down and up again, hooks, a foreign-key check and a failing
//! migration that must roll back, on a local libSQL file and on the remote test server.

#[path = "../../compat-tests/server.rs"]
mod server;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rusqlite_migration::{Migrations, SchemaVersion, M};
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// The crate under test really is the facade over dbcompat, not the crates.io rusqlite.
#[test]
fn rusqlite_is_the_dbcompat_facade() {
    let conn = Connection::open_in_memory().unwrap();
    // dbcompat-only API, reachable under rusqlite's name.
    let _: fn(&str, &str) -> rusqlite::Result<Connection> = Connection::open_remote;
    let version: String = conn
        .query_row("SELECT sqlite_version()", [], |r| r.get(0))
        .unwrap();
    assert!(!version.is_empty());
    let _: rusqlite::types::ValueRef<'_> = rusqlite::types::ValueRef::Null;
    let _ = rusqlite::ffi::ErrorCode::ConstraintViolation;
    let _ = rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY;
}

fn seed_hook(tx: &Transaction) -> rusqlite_migration::HookResult {
    tx.execute(
        "INSERT INTO mig_friend(name) VALUES (?1), (?2)",
        params!["Ada", "Grace"],
    )?;
    Ok(())
}

fn migrations() -> Migrations<'static> {
    Migrations::new(migrations_vec())
}

fn version(v: usize) -> SchemaVersion {
    match NonZeroUsize::new(v) {
        Some(v) => SchemaVersion::Inside(v),
        None => SchemaVersion::NoneSet,
    }
}

fn object_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE name LIKE 'mig\\_%' ESCAPE '\\' ORDER BY name",
        )
        .unwrap();
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    names
}

fn friend_columns(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info('mig_friend')")
        .unwrap();
    let cols = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    cols
}

/// The whole migration life cycle; `open` gives a new connection to the same database, on a
/// local file or a server (where the connection is one server session, so switching foreign
/// keys off holds there too).
fn exercise(open: &dyn Fn() -> Connection) {
    let ms = migrations();
    ms.validate().expect("migrations validate (in memory)");

    let mut conn = open();
    assert_eq!(ms.current_version(&conn).unwrap(), SchemaVersion::NoneSet);
    assert_eq!(ms.pending_migrations(&conn).unwrap(), 4);

    // Up to the latest.
    ms.to_latest(&mut conn).unwrap();
    assert_eq!(ms.current_version(&conn).unwrap(), version(4));
    assert_eq!(ms.pending_migrations(&conn).unwrap(), 0);
    assert_eq!(
        object_names(&conn),
        ["mig_friend", "mig_friend_email", "mig_note"]
    );
    conn.execute(
        "UPDATE mig_friend SET email = ?1 WHERE name = ?2",
        params!["ada@example.org", "Ada"],
    )
    .unwrap();
    let email: Option<String> = conn
        .query_row("SELECT email FROM mig_friend WHERE name = 'Ada'", [], |r| {
            r.get(0)
        })
        .optional()
        .unwrap()
        .flatten();
    assert_eq!(email.as_deref(), Some("ada@example.org"));
    let notes: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT body FROM mig_note ORDER BY id")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(notes, ["hello Ada", "hello Grace"]);

    // The version is stored in the database: a new connection sees it.
    drop(conn);
    let mut conn = open();
    assert_eq!(ms.current_version(&conn).unwrap(), version(4));

    // Down two steps: the note table and the email column go, the rows stay.
    ms.to_version(&mut conn, 2).unwrap();
    assert_eq!(ms.current_version(&conn).unwrap(), version(2));
    assert_eq!(object_names(&conn), ["mig_friend"]);
    assert_eq!(friend_columns(&conn), ["id", "name"]);
    let count: i64 = conn
        .query_row("SELECT count(*) FROM mig_friend", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 2);

    // All the way down, then up again.
    ms.to_version(&mut conn, 0).unwrap();
    assert_eq!(ms.current_version(&conn).unwrap(), SchemaVersion::NoneSet);
    assert!(object_names(&conn).is_empty());
    ms.to_latest(&mut conn).unwrap();
    assert_eq!(ms.current_version(&conn).unwrap(), version(4));

    // A failing migration rolls back as a whole: its first statement leaves no trace and the
    // version does not move.
    let mut bad = migrations_vec();
    bad.push(M::up(
        "CREATE TABLE mig_half(x); INSERT INTO mig_no_such_table VALUES (1);",
    ));
    let bad = Migrations::new(bad);
    let err = bad.to_latest(&mut conn).unwrap_err();
    match &err {
        rusqlite_migration::Error::RusqliteError { query, err } => {
            assert!(query.contains("mig_no_such_table"), "{query}");
            assert!(err.to_string().contains("no such table"), "{err}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert_eq!(bad.current_version(&conn).unwrap(), version(4));
    assert!(!object_names(&conn).contains(&"mig_half".to_owned()));
    assert!(conn.is_autocommit());

    // A foreign-key violation rolls the migration back. With foreign keys enforced (the
    // default of rusqlite's bundled SQLite, and of libSQL) the INSERT itself fails; with
    // enforcement off, the migration's `foreign_key_check` (a cached `PRAGMA
    // foreign_key_check` query) catches it.
    let mut fk = migrations_vec();
    fk.push(
        M::up("INSERT INTO mig_note(friend_id, body) VALUES (999, 'orphan');").foreign_key_check(),
    );
    let fk = Migrations::new(fk);
    let enforced: bool = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(enforced);
    match fk.to_latest(&mut conn).unwrap_err() {
        rusqlite_migration::Error::RusqliteError { err, .. } => assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation),
            "{err}"
        ),
        other => panic!("unexpected error {other:?}"),
    }
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    let err = fk.to_latest(&mut conn).unwrap_err();
    assert!(
        matches!(err, rusqlite_migration::Error::ForeignKeyCheck(ref v) if v.len() == 1),
        "{err:?}"
    );
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    assert_eq!(fk.current_version(&conn).unwrap(), version(4));
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM mig_note WHERE friend_id = 999",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);

    // Clean up, so the database can be reused.
    ms.to_version(&mut conn, 0).unwrap();
    assert!(object_names(&conn).is_empty());
}

fn migrations_vec() -> Vec<M<'static>> {
    vec![
        M::up("CREATE TABLE mig_friend(id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
            .down("DROP TABLE mig_friend;"),
        M::up_with_hook("SELECT 1;", seed_hook).down("DELETE FROM mig_friend;"),
        M::up("ALTER TABLE mig_friend ADD COLUMN email TEXT;")
            .down("ALTER TABLE mig_friend DROP COLUMN email;"),
        M::up(
            "CREATE INDEX mig_friend_email ON mig_friend(email);
             CREATE TABLE mig_note(id INTEGER PRIMARY KEY,
                                   friend_id INTEGER NOT NULL REFERENCES mig_friend(id),
                                   body TEXT NOT NULL);
             INSERT INTO mig_note(friend_id, body) SELECT id, 'hello ' || name FROM mig_friend;",
        )
        .down("DROP TABLE mig_note; DROP INDEX mig_friend_email;")
        .foreign_key_check(),
    ]
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-facade-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn migrations_local_file() {
    let dir = temp_dir("migrations-local");
    let path = dir.join("app.db");
    exercise(&|| Connection::open(&path).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn migrations_local_in_memory_validate_only() {
    migrations().validate().unwrap();
}

/// Against the remote test server. `PRAGMA user_version` is per database, so this test gets a
/// private server instance with a fresh database rather than the process-wide shared one.
#[test]
fn migrations_remote_server() {
    let dir = temp_dir("migrations-remote");
    let srv = server::start_private(&dir, &[]);
    let url = srv.url.clone();
    exercise(&|| Connection::open_remote(&url, "").unwrap());
    // Also through `Connection::open` with a URL, as a crate that only knows rusqlite would.
    let mut conn = Connection::open(&url).unwrap();
    migrations().to_latest(&mut conn).unwrap();
    assert_eq!(migrations().current_version(&conn).unwrap(), version(4));
    drop(conn);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
