//! The `extra_check` cases under dbcompat's surface of this package's version (through its
//! facade, facade/rusqlite-0.NN, with the feature on), on the local engine.
extern crate dbcompat_rusqlite as rusqlite;

/// The rusqlite line whose rules the cases expect: the package's version names it.
const SURFACE: &str = concat!("0.", env!("CARGO_PKG_VERSION_MINOR"));

fn open() -> rusqlite::Connection {
    rusqlite::Connection::open_in_memory().expect("in-memory database")
}

#[path = "cases.rs"]
mod cases;

/// The facade's `extra_check` switches on this line's rules only: the 0.34 surface of the same
/// connection (the core, as an 0.34 user in the same dependency graph would reach it) keeps
/// 0.34's rules without the feature, as a separate real rusqlite 0.34 crate would.
#[test]
fn the_0_34_surface_keeps_its_own_rules() {
    let db = open();
    let core = db.as_core();
    // 0.34 with `extra_check` would refuse the tail, the row in the batch and the query.
    assert_eq!(core.execute("CREATE TABLE t(x); -- done", []).unwrap(), 0);
    core.execute_batch("SELECT 1; INSERT INTO t VALUES (1)")
        .unwrap();
    let mut stmt = core.prepare("SELECT x FROM t WHERE x > 5").unwrap();
    // Ok (its count is the last write's, as `sqlite3_changes` keeps it).
    stmt.execute([]).unwrap();
    drop(stmt);
    // 0.34 passes any identifier to SQLite.
    core.pragma_update(None, "boom", 1).unwrap();
}
