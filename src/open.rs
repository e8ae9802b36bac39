//! Choosing the backend when a connection opens. This is the only place that looks at a path
//! and decides between the local engine, a remote server and an embedded replica.

use crate::backend::{Conn, LocalConnection};
use crate::{OpenFlags, Result};
use std::ffi::{CStr, CString};
use std::path::Path;

/// Opens the backend for `path`: a remote server for `libsql://`, `http://` and `https://`
/// URLs (with the `remote` feature), else the local engine.
pub(crate) fn open_path(path: &Path, flags: OpenFlags, vfs: Option<&CStr>) -> Result<Conn> {
    #[cfg(feature = "test-redirect")]
    if let Some(url) = test_redirect_url() {
        let conn = crate::backend::RemoteConnection::open_from_url_env(&url, flags)
            .map(|c| Conn::Remote(Box::new(c)))?;
        if is_private_memory(path) {
            empty_database(&conn)?;
        }
        return Ok(conn);
    }
    #[cfg(feature = "remote")]
    if let Some(url) = path.to_str().filter(|p| crate::backend::is_remote_url(p)) {
        return crate::backend::RemoteConnection::open_from_url_env(url, flags)
            .map(|c| Conn::Remote(Box::new(c)));
    }
    let c_path = path_to_cstring(path)?;
    LocalConnection::open(&c_path, flags.bits(), vfs).map(Conn::Local)
}

/// The server that every open goes to while `DBCOMPAT_TEST_REDIRECT_URL` is set, whatever the
/// path (file, `:memory:`, URI). Only with the `test-redirect` feature, which exists so that
/// scripts/real-world.sh can run other crates' unmodified test suites against the loopback test
/// server; an application never turns it on.
#[cfg(feature = "test-redirect")]
fn test_redirect_url() -> Option<String> {
    std::env::var("DBCOMPAT_TEST_REDIRECT_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// `:memory:` or `""`: a path that always opens a new, empty, private database.
#[cfg(feature = "test-redirect")]
fn is_private_memory(path: &Path) -> bool {
    matches!(path.to_str(), Some(":memory:" | ""))
}

/// Makes the redirected server database look like the new database a private in-memory open
/// gives: every table and view dropped, `user_version` 0. (Suites that open an in-memory
/// database per helper call would otherwise meet the previous call's tables.)
#[cfg(feature = "test-redirect")]
fn empty_database(conn: &Conn) -> Result<()> {
    const DROP_ALL: &str = "SELECT group_concat(stmt, ' ') FROM (SELECT 'DROP ' || type || \
        ' IF EXISTS \"' || replace(name, '\"', '\"\"') || '\";' AS stmt FROM sqlite_schema \
        WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table')";
    let (stmt, _) = conn.prepare(DROP_ALL, 0)?;
    let drops = match stmt.step()? {
        true => match stmt.value_ref(0) {
            crate::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            _ => String::new(),
        },
        false => String::new(),
    };
    drop(stmt);
    conn.execute_batch(&format!("{drops} PRAGMA user_version = 0;"))
}

/// A path as the C string the engine takes (bytes as-is on Unix).
#[cfg(unix)]
pub(crate) fn path_to_cstring(p: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    Ok(CString::new(p.as_os_str().as_bytes())?)
}

#[cfg(not(unix))]
pub(crate) fn path_to_cstring(p: &Path) -> Result<CString> {
    let s = p
        .to_str()
        .ok_or_else(|| crate::Error::InvalidPath(p.to_owned()))?;
    Ok(CString::new(s)?)
}

#[cfg(feature = "remote")]
impl crate::Connection {
    /// Opens a remote libSQL database (sqld, Turso) at `url` (`libsql://`, `https://` or
    /// `http://`) with an auth token (empty for none). dbcompat-only; the token never appears
    /// in `Debug`, errors or logs.
    ///
    /// Nothing is sent until the first statement, so a dead server or a bad token is reported
    /// by that statement, as `SqliteFailure` with `CannotOpen` or `AuthorizationForStatementDenied`.
    pub fn open_remote(url: &str, auth_token: &str) -> Result<crate::Connection> {
        crate::backend::RemoteConnection::open(url, auth_token)
            .map(|c| crate::Connection::from_backend(Conn::Remote(Box::new(c))))
    }

    /// Opens the database named by `LIBSQL_URL` (or `TURSO_DATABASE_URL`), with the token from
    /// `LIBSQL_AUTH_TOKEN` (or `TURSO_AUTH_TOKEN`); without either URL variable, opens the local
    /// file `fallback_path`. dbcompat-only.
    pub fn open_from_env<P: AsRef<Path>>(fallback_path: P) -> Result<crate::Connection> {
        let url = std::env::var("LIBSQL_URL")
            .or_else(|_| std::env::var("TURSO_DATABASE_URL"))
            .ok()
            .filter(|u| !u.trim().is_empty());
        match url {
            Some(url) => {
                let token = crate::backend::token_from_env();
                crate::Connection::open_remote(&url, &token)
            }
            None => crate::Connection::open(fallback_path),
        }
    }
}

/// Options for [`Connection::open_replica_with`](crate::Connection::open_replica_with).
#[cfg(feature = "replica")]
#[derive(Clone, Debug)]
pub struct ReplicaOptions {
    /// Pull from the primary in the background this often (`None`: only on `sync()`).
    pub sync_interval: Option<std::time::Duration>,
    /// Make the replica's own writes readable at once (default `true`).
    pub read_your_writes: bool,
}

#[cfg(feature = "replica")]
impl Default for ReplicaOptions {
    fn default() -> ReplicaOptions {
        ReplicaOptions {
            sync_interval: None,
            read_your_writes: true,
        }
    }
}

#[cfg(feature = "replica")]
impl crate::Connection {
    /// Opens an embedded replica: the local file `path`, kept in sync with the primary at `url`.
    /// Reads are served locally; writes are sent to the primary and, with read-your-writes (the
    /// default), are readable at once. Call [`Connection::sync`](crate::Connection::sync) to pull
    /// the primary's other changes. dbcompat-only.
    ///
    /// If the replica file already exists and the primary is unreachable, it opens offline:
    /// reads work, writes and `sync()` fail with `CannotOpen` until the primary is back.
    pub fn open_replica<P: AsRef<Path>>(
        path: P,
        url: &str,
        auth_token: &str,
    ) -> Result<crate::Connection> {
        crate::Connection::open_replica_with(path, url, auth_token, ReplicaOptions::default())
    }

    /// [`Connection::open_replica`](crate::Connection::open_replica) with options.
    pub fn open_replica_with<P: AsRef<Path>>(
        path: P,
        url: &str,
        auth_token: &str,
        options: ReplicaOptions,
    ) -> Result<crate::Connection> {
        let path = path
            .as_ref()
            .to_str()
            .ok_or_else(|| crate::Error::InvalidPath(path.as_ref().to_owned()))?;
        let settings = crate::backend::ReplicaSettings {
            sync_interval: options.sync_interval,
            read_your_writes: options.read_your_writes,
        };
        crate::backend::RemoteConnection::open_replica(path, url, auth_token, settings)
            .map(|c| crate::Connection::from_backend(Conn::Remote(Box::new(c))))
    }
}

impl crate::Connection {
    /// Pulls the primary's new changes into an embedded replica and returns how many WAL frames
    /// were applied. dbcompat-only.
    ///
    /// # Failure
    /// `ApiMisuse` on a connection that is not a replica; `CannotOpen` when the primary can't
    /// be reached.
    pub fn sync(&self) -> Result<usize> {
        self.backend().sync()
    }
}
