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
        return crate::backend::RemoteConnection::open_from_url_env(url, flags).map(Conn::Remote);
    }
    let c_path = path_to_cstring(path)?;
    LocalConnection::open(&c_path, flags.bits(), vfs).map(Conn::Local)
}

#[cfg(unix)]
fn path_to_cstring(p: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    Ok(CString::new(p.as_os_str().as_bytes())?)
}

#[cfg(not(unix))]
fn path_to_cstring(p: &Path) -> Result<CString> {
    let s = p
        .to_str()
        .ok_or_else(|| crate::Error::InvalidPath(p.to_owned()))?;
    Ok(CString::new(s)?)
}
