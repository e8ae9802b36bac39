// `database()` for the roots whose connection is the test server's (remote, replica;
// included): the server's one database, emptied by the root's `open()`, named by its URL.

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
