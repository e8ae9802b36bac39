//! Harness-only (the `test-redirect` feature, which scripts/real-world.sh turns on): while
//! `DBCOMPAT_TEST_REDIRECT_URL` is set, every open goes to that server, whatever the path (file,
//! `:memory:`, URI), so other crates' unmodified test suites run against the loopback test
//! server. With `DBCOMPAT_TEST_REDIRECT_REPLICA_DIR` set too, each open is an embedded replica
//! of that server instead, its local file in that directory. An application never turns this on.

use crate::backend::{Conn, HranaConnection};
use crate::{OpenFlags, Result};
use std::path::Path;

/// The redirected connection for `path`, or `None` when no redirect is set.
pub(super) fn open(path: &Path, flags: OpenFlags) -> Option<Result<Conn>> {
    let url = env_value("DBCOMPAT_TEST_REDIRECT_URL")?;
    Some(open_redirected(path, flags, &url))
}

fn open_redirected(path: &Path, flags: OpenFlags, url: &str) -> Result<Conn> {
    let token = crate::backend::token_from_env();
    let private = is_private_memory(path);
    #[cfg(feature = "replica")]
    if let Some(dir) = env_value("DBCOMPAT_TEST_REDIRECT_REPLICA_DIR") {
        if private {
            empty_database(&HranaConnection::open(url, &token)?)?;
        }
        let file = replica_file(Path::new(&dir), path, private);
        let settings = crate::backend::ReplicaSettings {
            sync_interval: None,
            read_your_writes: true,
        };
        let conn = crate::backend::ReplicaConnection::open(&file, url, &token, settings)?;
        // As `open_from_env` opens a replica: synced once, so it starts with the primary's rows.
        conn.sync()?;
        conn.apply_open_flags(flags.bits())?;
        return Ok(Conn::Remote(Box::new(conn)));
    }
    let conn = HranaConnection::open(url, &token)?;
    if private {
        empty_database(&conn)?;
    }
    conn.apply_open_flags(flags.bits())?;
    Ok(Conn::Hrana(Box::new(conn)))
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `:memory:` or `""`: a path that always opens a new, empty, private database.
fn is_private_memory(path: &Path) -> bool {
    matches!(path.to_str(), Some(":memory:" | ""))
}

/// The replica's local file: a new one for each private in-memory open, else one per path (so
/// two connections to one file share a replica, as an application's pool does).
#[cfg(feature = "replica")]
fn replica_file(dir: &Path, path: &Path, private: bool) -> String {
    use std::hash::{Hash, Hasher};
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PRIVATE_OPENS: AtomicUsize = AtomicUsize::new(0);
    let name = if private {
        let n = PRIVATE_OPENS.fetch_add(1, Ordering::Relaxed);
        format!("memory-{}-{n}.db", std::process::id())
    } else {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        path.hash(&mut hasher);
        format!("file-{}-{:016x}.db", std::process::id(), hasher.finish())
    };
    dir.join(name).to_string_lossy().into_owned()
}

/// Makes the redirected server database look like the new database a private in-memory open
/// gives: every table and view dropped, `user_version` 0. (Suites that open an in-memory
/// database per helper call would otherwise meet the previous call's tables.)
fn empty_database(conn: &HranaConnection) -> Result<()> {
    const DROP_ALL: &str = "SELECT group_concat(stmt, ' ') FROM (SELECT 'DROP ' || type || \
        ' IF EXISTS \"' || replace(name, '\"', '\"\"') || '\";' AS stmt FROM sqlite_schema \
        WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table')";
    let (stmt, _) = conn.prepare(DROP_ALL)?;
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
