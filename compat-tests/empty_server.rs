// Emptying the test server's one shared database (included by `remote_open.rs` and by the
// remote differential, `differential/src/remote.rs`), so what runs next starts as on a fresh
// in-memory database.

/// Drops every table, view and trigger and resets `user_version` and `application_id`, on
/// `db`'s session, keeping its `foreign_keys` setting. The internal `sqlite_sequence` table
/// cannot be dropped: once an AUTOINCREMENT table existed it stays, empty.
pub fn empty_server_database(db: &rusqlite::Connection) -> rusqlite::Result<()> {
    let foreign_keys: i64 = db.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let mut drops: Vec<(String, String)> = {
        // Tables whose SQL starts `CREATE TABLE '` are virtual tables' shadow tables: dropping
        // the virtual table drops them.
        let mut stmt = db.prepare(
            "SELECT type, name FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'trigger') \
             AND sql NOT LIKE 'CREATE TABLE ''%'",
        )?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Views and triggers first; tables last (virtual tables drop their shadow tables).
    drops.sort_by_key(|(kind, _)| kind == "table");
    let mut batch = String::from("PRAGMA foreign_keys=OFF;");
    for (kind, name) in drops {
        batch.push_str(&format!(
            "DROP {} IF EXISTS \"{}\";",
            kind.to_uppercase(),
            name.replace('"', "\"\"")
        ));
    }
    batch.push_str(&format!(
        "PRAGMA user_version=0; PRAGMA application_id=0; PRAGMA foreign_keys={foreign_keys};"
    ));
    db.execute_batch(&batch)
}
