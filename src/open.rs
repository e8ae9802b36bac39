//! Choosing the backend when a connection opens. This is the only place that looks at a path
//! and decides between the local engine, a remote server and an embedded replica.

use crate::backend::{Conn, LocalConnection};
use crate::{OpenFlags, Result};
use std::ffi::{CStr, CString};
use std::path::Path;

#[cfg(feature = "test-redirect")]
mod test_redirect;

/// Opens the backend for `path`: a remote server for `libsql://`, `http://` and `https://`
/// URLs (with the `remote` feature), else the local engine.
pub(crate) fn open_path(path: &Path, flags: OpenFlags, vfs: Option<&CStr>) -> Result<Conn> {
    #[cfg(feature = "test-redirect")]
    if let Some(redirected) = test_redirect::open(path, flags) {
        return redirected;
    }
    #[cfg(feature = "remote")]
    if let Some(url) = path.to_str().filter(|p| crate::backend::is_remote_url(p)) {
        let token = crate::backend::token_from_env();
        let conn = crate::backend::HranaConnection::open(url, &token)?;
        conn.apply_open_flags(flags.bits())?;
        return Ok(Conn::Hrana(Box::new(conn)));
    }
    let c_path = path_to_cstring(path)?;
    LocalConnection::open(&c_path, flags.bits(), vfs).map(Conn::Local)
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
        crate::backend::HranaConnection::open(url, auth_token)
            .map(|c| crate::Connection::from_backend(Conn::Hrana(Box::new(c))))
    }

    /// Opens the database the environment names, else the local file `fallback_path`.
    /// dbcompat-only.
    ///
    /// * `LIBSQL_URL` (or `TURSO_DATABASE_URL`) set: a remote connection to that server, with
    ///   the token from `LIBSQL_AUTH_TOKEN` (or `TURSO_AUTH_TOKEN`).
    /// * ... and `DBCOMPAT_REPLICA=1` (with the `replica` feature): an embedded replica whose
    ///   local file is `fallback_path`, synced from that server once at open, then every
    ///   `DBCOMPAT_SYNC_INTERVAL_MS` if set, and after each of its own writes unless
    ///   `DBCOMPAT_READ_YOUR_WRITES=0`. If the primary can't be reached but the replica file
    ///   exists, it opens offline (see [`Connection::open_replica`](crate::Connection::open_replica)).
    /// * Neither URL variable: the local file `fallback_path`.
    ///
    /// # Failure
    /// A variable whose value is not understood, or `DBCOMPAT_REPLICA=1` without a URL, gives
    /// `SqliteFailure` with `CannotOpen` and a message naming the variable.
    pub fn open_from_env<P: AsRef<Path>>(fallback_path: P) -> Result<crate::Connection> {
        match env_target()? {
            EnvTarget::Local => crate::Connection::open(fallback_path),
            EnvTarget::Remote(url) => {
                crate::Connection::open_remote(&url, &crate::backend::token_from_env())
            }
            #[cfg(feature = "replica")]
            EnvTarget::Replica(url, options) => open_replica_synced(
                fallback_path.as_ref(),
                &url,
                &crate::backend::token_from_env(),
                options,
            ),
        }
    }
}

/// What `open_from_env` opens.
#[cfg(feature = "remote")]
enum EnvTarget {
    Local,
    Remote(String),
    #[cfg(feature = "replica")]
    Replica(String, ReplicaOptions),
}

/// Reads `open_from_env`'s variables; an empty variable counts as unset.
#[cfg(feature = "remote")]
fn env_target() -> Result<EnvTarget> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let url = var("LIBSQL_URL").or_else(|| var("TURSO_DATABASE_URL"));
    let replica = match var("DBCOMPAT_REPLICA") {
        Some(v) => env_flag("DBCOMPAT_REPLICA", &v)?,
        None => false,
    };
    match (url, replica) {
        (None, false) => Ok(EnvTarget::Local),
        (None, true) => Err(env_error(
            "DBCOMPAT_REPLICA=1 needs the primary's URL in LIBSQL_URL or TURSO_DATABASE_URL",
        )),
        (Some(url), false) => Ok(EnvTarget::Remote(url)),
        #[cfg(feature = "replica")]
        (Some(url), true) => {
            let mut options = ReplicaOptions::default();
            if let Some(v) = var("DBCOMPAT_SYNC_INTERVAL_MS") {
                let ms: u64 = v.parse().map_err(|_| {
                    env_error(&format!(
                        "DBCOMPAT_SYNC_INTERVAL_MS={v:?} is not a whole number of milliseconds"
                    ))
                })?;
                options.sync_interval = (ms > 0).then(|| std::time::Duration::from_millis(ms));
            }
            if let Some(v) = var("DBCOMPAT_READ_YOUR_WRITES") {
                options.read_your_writes = env_flag("DBCOMPAT_READ_YOUR_WRITES", &v)?;
            }
            Ok(EnvTarget::Replica(url, options))
        }
        #[cfg(not(feature = "replica"))]
        (Some(_), true) => Err(env_error(
            "DBCOMPAT_REPLICA=1 needs dbcompat's `replica` feature",
        )),
    }
}

/// A yes/no variable.
#[cfg(feature = "remote")]
fn env_flag(name: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(env_error(&format!(
            "{name}={value:?}: expected 1, true, yes, on, 0, false, no or off"
        ))),
    }
}

#[cfg(feature = "remote")]
fn env_error(message: &str) -> crate::Error {
    crate::error::error_from_sqlite_code(
        crate::ffi::SQLITE_CANTOPEN,
        Some(format!("open_from_env: {message}")),
    )
}

/// Opens an embedded replica and syncs it once, so it starts with the primary's current data
/// (a new replica holds only the primary's last checkpoint until its first sync). A replica
/// that opened offline keeps serving its local copy.
#[cfg(feature = "replica")]
fn open_replica_synced(
    path: &Path,
    url: &str,
    token: &str,
    options: ReplicaOptions,
) -> Result<crate::Connection> {
    let conn = crate::Connection::open_replica_with(path, url, token, options)?;
    match conn.sync() {
        Ok(_) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(crate::ErrorCode::CannotOpen) => Ok(conn),
        Err(e) => Err(e),
    }
}

/// Options for [`Connection::open_replica_with`](crate::Connection::open_replica_with).
#[cfg(feature = "replica")]
#[derive(Clone, Debug)]
pub struct ReplicaOptions {
    /// Pull from the primary in the background this often (`None`: only on `sync()`).
    pub sync_interval: Option<std::time::Duration>,
    /// Make the replica's own writes readable at once: the next local read after a write syncs
    /// first (default `true`).
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
    /// Plain queries outside a transaction read the local file; everything else (writes,
    /// transactions, PRAGMAs, TEMP tables) runs on the connection's own server session on the
    /// primary, as on a remote connection. With read-your-writes (the default) its writes are
    /// readable at once. Call [`Connection::sync`](crate::Connection::sync) to pull the
    /// primary's other changes. dbcompat-only.
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
        crate::backend::ReplicaConnection::open(path, url, auth_token, settings)
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
