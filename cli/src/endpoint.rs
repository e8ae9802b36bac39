//! SRC, DST and URL arguments: a local file or a libSQL server, opened with a probe query so
//! that a missing file, a bad URL, a bad token or a dead server is reported before anything
//! else happens.

use crate::{Failure, Res, Token};
use dbcompat::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// A database argument.
#[derive(Clone, Debug)]
pub enum Target {
    Local(PathBuf),
    Remote(String),
}

const REMOTE_SCHEMES: [&str; 5] = ["libsql://", "https://", "http://", "wss://", "ws://"];

impl Target {
    /// Parses a path or URL; a URL is checked for a scheme dbcompat serves, a host and a valid
    /// port.
    pub fn parse(arg: &str) -> Res<Target> {
        if arg.trim().is_empty() {
            return Err(Failure::new("empty database path"));
        }
        let lower = arg.to_ascii_lowercase();
        if let Some(scheme) = REMOTE_SCHEMES.iter().find(|s| lower.starts_with(*s)) {
            check_url(arg, scheme.len())?;
            return Ok(Target::Remote(arg.to_owned()));
        }
        if let Some((scheme, _)) = arg.split_once("://") {
            let looks_like_scheme = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            if looks_like_scheme {
                return Err(Failure::new(format!(
                    "invalid URL {:?}: unsupported scheme {scheme}://; use libsql://, https:// or http://",
                    redact_url(arg)
                )));
            }
        }
        Ok(Target::Local(PathBuf::from(arg)))
    }

    /// How the target may be shown: a path, or the URL without user-info or query (which can
    /// carry a token).
    pub fn display(&self) -> String {
        match self {
            Target::Local(p) => p.display().to_string(),
            Target::Remote(url) => redact_url(url),
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, Target::Remote(_))
    }
}

/// Checks the authority of a remote URL: a host, and a numeric port in range if one is given.
fn check_url(url: &str, scheme_len: usize) -> Res<()> {
    let shown = redact_url(url);
    let bad = |why: &str| Failure::new(format!("invalid URL {shown:?}: {why}"));
    let rest = &url[scheme_len..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.is_empty() {
        return Err(bad("no host"));
    }
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, tail)) => (h, tail.strip_prefix(':')),
            None => return Err(bad("unterminated [IPv6] host")),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    if host
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
    {
        return Err(bad("the host contains characters a host name cannot have"));
    }
    if let Some(port) = port {
        match port.parse::<u32>() {
            Ok(p) if (1..=65535).contains(&p) => {}
            _ => return Err(bad(&format!("bad port {port:?}"))),
        }
    }
    Ok(())
}

/// The URL without user-info, query or fragment.
pub fn redact_url(url: &str) -> String {
    let no_query = url.split(['?', '#']).next().unwrap_or("");
    match no_query.find("://") {
        Some(i) => {
            let (scheme, rest) = no_query.split_at(i + 3);
            let (authority, path) = match rest.find('/') {
                Some(j) => rest.split_at(j),
                None => (rest, ""),
            };
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}{host}{path}")
        }
        None => no_query.to_owned(),
    }
}

/// The one-line explanation of a failed call on `target`.
pub fn describe(target: &Target, doing: &str, e: &dbcompat::Error) -> String {
    let shown = target.display();
    let msg = e.to_string();
    // dbcompat's remote errors already name the server (never the token).
    let base = if target.is_remote() && msg.contains(&shown) {
        msg
    } else {
        format!("{doing} {shown}: {msg}")
    };
    let auth = matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::AuthorizationForStatementDenied | ErrorCode::PermissionDenied)
    );
    if target.is_remote() && auth && !base.contains("token") {
        format!("{base} (auth token: --token, LIBSQL_AUTH_TOKEN or TURSO_AUTH_TOKEN)")
    } else {
        base
    }
}

/// Opens a source: an existing local database file (read-only) or a server.
pub fn open_source(target: &Target, token: &Token) -> Res<Connection> {
    let conn = match target {
        Target::Local(path) => {
            check_existing_file(path, "source")?;
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| Failure::new(describe(target, "cannot open source", &e)))?
        }
        Target::Remote(url) => open_remote(target, url, token)?,
    };
    probe(&conn, target, "cannot read source")?;
    Ok(conn)
}

/// Opens a destination: a local file (created if missing) or a server.
pub fn open_destination(target: &Target, token: &Token) -> Res<Connection> {
    let conn = match target {
        Target::Local(path) => {
            if path.is_dir() {
                return Err(Failure::new(format!(
                    "destination {} is a directory, not a database file",
                    path.display()
                )));
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if !parent.is_dir() {
                    return Err(Failure::new(format!(
                        "destination directory {} does not exist",
                        parent.display()
                    )));
                }
            }
            Connection::open(path)
                .map_err(|e| Failure::new(describe(target, "cannot open destination", &e)))?
        }
        Target::Remote(url) => open_remote(target, url, token)?,
    };
    probe(&conn, target, "cannot read destination")?;
    Ok(conn)
}

/// Opens anything `check` is pointed at: an existing local file or a server.
pub fn open_any(target: &Target, token: &Token) -> Res<Connection> {
    match target {
        Target::Local(path) => {
            check_existing_file(path, "database")?;
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| Failure::new(describe(target, "cannot open", &e)))
        }
        Target::Remote(url) => open_remote(target, url, token),
    }
}

fn open_remote(target: &Target, url: &str, token: &Token) -> Res<Connection> {
    Connection::open_remote(url, &token.value)
        .map_err(|e| Failure::new(describe(target, "cannot open", &e)))
}

fn check_existing_file(path: &Path, what: &str) -> Res<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Failure::new(format!(
            "{what} {} is a directory, not a database file",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Failure::new(format!(
            "{what} file not found: {}",
            path.display()
        ))),
        Err(e) => Err(Failure::new(format!("cannot open {}: {e}", path.display()))),
    }
}

/// The first statement: nothing reaches a server before it, and a file that is not a
/// database is only noticed by it.
fn probe(conn: &Connection, target: &Target, doing: &str) -> Res<()> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(drop)
    .map_err(|e| Failure::new(describe(target, doing, &e)))
}
