// `open()` and `database()` for every remote root (included): a connection to the test server
// with an emptied database, and that database by name.

/// A connection to the test server with an emptied database: every case starts from no
/// tables, views, triggers or user_version, as a fresh in-memory database would. The one
/// exception is the internal `sqlite_sequence` table: once a case has made an AUTOINCREMENT
/// table it stays (SQLite cannot drop it), empty, so cases count their own objects only.
pub fn open() -> rusqlite::Result<rusqlite::Connection> {
    let url = &server::shared().url;
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let db = rusqlite::Connection::open_remote(url, &token)?;
    // The connection is one server session: restore what the clean-up below changes.
    let foreign_keys: i64 = db.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let mut drops = Vec::new();
    {
        let mut stmt = db.prepare(
            "SELECT type, name FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'trigger') \
             AND sql NOT LIKE 'CREATE TABLE ''%'",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let name: String = row.get(1)?;
            drops.push((kind, name));
        }
    }
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
        "PRAGMA user_version=0; PRAGMA foreign_keys={foreign_keys};"
    ));
    db.execute_batch(&batch)?;
    Ok(db)
}

/// A database that several connections open by name: the test server's one database, emptied
/// as `open()` empties it, named by its URL (a server has no separate files to hand out).
pub fn database(_tag: &str) -> rusqlite::Result<support::Database> {
    drop(open()?);
    // The cases open it by URL alone, as an application does, so the token a token-protected
    // test server needs comes from the variable such an application sets.
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    if !token.is_empty() && std::env::var_os("LIBSQL_AUTH_TOKEN").is_none() {
        std::env::set_var("LIBSQL_AUTH_TOKEN", token);
    }
    Ok(support::Database::named(&server::shared().url))
}
