//! [`Mode::Remote`](crate::ops::Mode)'s connection under dbcompat: the test server named by
//! `DBCOMPAT_TEST_URL` (token: `DBCOMPAT_TEST_TOKEN`), its one shared database emptied first,
//! as a fresh in-memory database would be.

use rusqlite::Connection;

/// Empties the server database on a connection of its own, then opens the connection the
/// operations run on, so its counters and connection-scoped PRAGMAs start fresh.
pub fn open() -> rusqlite::Result<Connection> {
    let url = std::env::var("DBCOMPAT_TEST_URL").map_err(|_| {
        rusqlite::Error::InvalidPath("DBCOMPAT_TEST_URL is not set (remote mode)".into())
    })?;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    empty(&Connection::open_remote(&url, &token)?)?;
    Connection::open_remote(&url, &token)
}

/// Drops every table, view and trigger, and resets the header fields the operations set
/// (`user_version`, `application_id`). `sqlite_sequence` cannot be dropped; dropping the
/// tables empties it.
fn empty(db: &Connection) -> rusqlite::Result<()> {
    let mut drops: Vec<(String, String)> = {
        let mut stmt = db.prepare(
            "SELECT type, name FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'trigger')",
        )?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Views and triggers first; tables last.
    drops.sort_by_key(|(kind, _)| kind == "table");
    let mut batch = String::from("PRAGMA foreign_keys=OFF;");
    for (kind, name) in drops {
        let name = name.replace('"', "\"\"");
        batch.push_str(&format!("DROP {kind} IF EXISTS \"{name}\";"));
    }
    batch.push_str("PRAGMA user_version=0; PRAGMA application_id=0;");
    db.execute_batch(&batch)
}
