//! Choosing the backend when a connection opens. This is the only place that looks at a path
//! and decides between the local engine, a remote server and an embedded replica.

use crate::backend::{Conn, LocalConnection};
use crate::{OpenFlags, Result};
use std::ffi::{CStr, CString};
use std::path::Path;

/// Opens the backend for `path`: a remote server for `libsql://`, `http://` and `https://`
/// URLs (with the `remote` feature), else the local engine.
pub(crate) fn open_path(path: &Path, flags: OpenFlags, vfs: Option<&CStr>) -> Result<Conn> {
    #[cfg(feature = "remote")]
    if let Some(url) = path.to_str().filter(|p| crate::backend::is_remote_url(p)) {
        let _ = flags;
        let token = crate::backend::token_from_env();
        return crate::backend::HranaConnection::open(url, &token)
            .map(|c| Conn::Hrana(Box::new(c)));
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
