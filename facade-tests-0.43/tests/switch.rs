//! The rusqlite 0.43 project in src/ running on dbcompat through `[patch.crates-io]`, on a local
//! libSQL file and on the remote test server, with 0.43's own rules (`Error::Empty`,
//! `MultipleStatement`, iterator `column_names`, `query_one`).

#[path = "../../compat-tests/server.rs"]
mod server;

use facade_tests_043::Notes;
use rusqlite::{Connection, Error};

/// The crate under test really is the 0.43 facade over dbcompat.
#[test]
fn rusqlite_is_the_dbcompat_0_43_facade() {
    // dbcompat-only API, reachable under rusqlite's name.
    let _: fn(&str, &str) -> rusqlite::Result<Connection> = Connection::open_remote;
    let conn = Connection::open_in_memory().unwrap();
    assert!(matches!(conn.prepare(""), Err(Error::Empty)));
}

fn exercise(notes: &Notes) {
    notes.add("b", Some("second")).unwrap();
    notes.add("a", None).unwrap();
    assert_eq!(notes.titles().unwrap(), ["a", "b"]);
    assert_eq!(notes.body("b").unwrap(), Some(Some("second".into())));
    assert_eq!(notes.body("a").unwrap(), Some(None));
    assert_eq!(notes.body("zz").unwrap(), None);
    let dup = notes.add("a", None).unwrap_err();
    assert_eq!(dup.sqlite_extended_error_code(), Some(2067));

    let conn = notes.connection();
    let stmt = conn
        .prepare("SELECT id, title, body FROM f043_note")
        .unwrap();
    let names: Vec<&str> = stmt.column_names().collect();
    assert_eq!(names, ["id", "title", "body"]);
    assert!(matches!(conn.prepare("/* only */"), Err(Error::Empty)));
    assert!(matches!(
        conn.execute("DELETE FROM f043_note; DELETE FROM f043_note", []),
        Err(Error::MultipleStatement)
    ));
    assert_eq!(notes.titles().unwrap().len(), 2);
    conn.pragma_update(None, "user_version", 43).unwrap();
    assert_eq!(
        conn.pragma_query_one::<i64>(None, "user_version").unwrap(),
        43
    );
    assert_eq!(
        conn.transaction_state(rusqlite::DEFAULT_NAME).unwrap(),
        rusqlite::TransactionState::None
    );
    assert!(matches!(
        conn.query_one("SELECT title FROM f043_note", [], |r| r.get::<_, String>(0)),
        Err(Error::QueryReturnedMoreThanOneRow)
    ));
}

#[test]
fn notes_on_a_local_file() {
    let dir = std::env::temp_dir().join(format!("dbcompat-facade043-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let notes = Notes::open(dir.join("notes.db").to_str().unwrap()).unwrap();
    exercise(&notes);
}

#[test]
fn notes_on_the_remote_server() {
    let srv = server::shared();
    if let Ok(token) = std::env::var("DBCOMPAT_TEST_TOKEN") {
        if std::env::var_os("LIBSQL_AUTH_TOKEN").is_none() {
            std::env::set_var("LIBSQL_AUTH_TOKEN", token);
        }
    }
    let notes = Notes::open(&srv.url).unwrap();
    notes
        .connection()
        .execute_batch("DELETE FROM f043_note")
        .unwrap();
    exercise(&notes);
}
