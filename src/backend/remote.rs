//! libsql's side of an embedded replica: the `Database` that keeps the local file in sync
//! with the primary (see `replica.rs` for the connection itself), and the URL and token
//! helpers remote connections share. Every network call goes through the bridge.

use super::remote_errors::from_libsql;
use crate::bridge;
use crate::error::error_from_sqlite_code;
use crate::{ffi, Result};
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, Weak};

/// `libsql://`, `http://`, `https://`, `ws://` and `wss://` name a server.
pub(crate) fn is_remote_url(s: &str) -> bool {
    let lower = s.get(..10).unwrap_or(s).to_ascii_lowercase();
    ["libsql://", "http://", "https://", "ws://", "wss://"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The URL as it may appear in errors, logs and `Debug`: no query (which may carry a token)
/// and no user-info.
fn redact_url(url: &str) -> String {
    let no_query = url.split(['?', '#']).next().unwrap_or("");
    match no_query.find("://") {
        Some(i) => {
            let (scheme, rest) = no_query.split_at(i + 3);
            let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}{rest}")
        }
        None => no_query.to_owned(),
    }
}

/// The auth token from the environment: `LIBSQL_AUTH_TOKEN`, else `TURSO_AUTH_TOKEN`.
pub(crate) fn token_from_env() -> String {
    std::env::var("LIBSQL_AUTH_TOKEN")
        .or_else(|_| std::env::var("TURSO_AUTH_TOKEN"))
        .unwrap_or_default()
}

/// Databases by (URL or replica path, token fingerprint): connections to one server share one
/// libsql `Database`, and idle libsql connections (with their warm HTTP keep-alive pool) are
/// reused by the next open instead of paying a new TCP/TLS handshake. An embedded replica is
/// one `Database` per file, shared the same way, so its syncs serve every connection.
struct SharedDatabase {
    // Only embedded replicas (feature `replica`) build one; plain remote connections use the
    // Hrana client.
    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    db: Arc<libsql::Database>,
    idle: Mutex<Vec<libsql::Connection>>,
    /// Read-your-writes across the connections to this replica.
    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    sync_mark: Arc<SyncMark>,
    /// The local file, for an embedded replica.
    replica_path: Option<String>,
}

/// Read-your-writes for all the connections (in this process) to one embedded replica.
#[derive(Default)]
pub(crate) struct SyncMark {
    /// A connection wrote on the primary since the local file was last synced: the next local
    /// read of any of them syncs first.
    pub(crate) unsynced: AtomicBool,
    /// Held while a sync applies frames: a local read waits for a sync another connection
    /// started, whose frames may be the ones it needs (the mark is cleared when a sync starts).
    pub(crate) gate: Mutex<()>,
}

const MAX_IDLE_PER_DATABASE: usize = 8;

#[cfg_attr(not(feature = "replica"), allow(dead_code))]
fn shared_database(
    key: String,
    token: &str,
    build: impl FnOnce() -> Result<SharedDatabase>,
) -> Result<Arc<SharedDatabase>> {
    type ByKeyAndToken = HashMap<(String, u64), Weak<SharedDatabase>>;
    static DATABASES: Mutex<Option<ByKeyAndToken>> = Mutex::new(None);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    token.hash(&mut hasher);
    let key = (key, hasher.finish());
    let mut map = DATABASES.lock().unwrap_or_else(|p| p.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    if let Some(shared) = map.get(&key).and_then(Weak::upgrade) {
        return Ok(shared);
    }
    let shared = Arc::new(build()?);
    map.retain(|_, w| w.strong_count() > 0);
    map.insert(key, Arc::downgrade(&shared));
    Ok(shared)
}

/// How an embedded replica is opened; see `Connection::open_replica_with`.
#[cfg(feature = "replica")]
pub(crate) struct ReplicaSettings {
    pub(crate) sync_interval: Option<std::time::Duration>,
    pub(crate) read_your_writes: bool,
}

pub(crate) fn check_url(url: &str) -> Result<String> {
    let redacted = redact_url(url);
    let host_part = redacted.split_once("://").map_or("", |(_, h)| h);
    let host = host_part.split('/').next().unwrap_or("");
    if !is_remote_url(url) || host.is_empty() {
        return Err(error_from_sqlite_code(
            ffi::SQLITE_CANTOPEN,
            Some(format!(
                "invalid libSQL URL {redacted:?}: expected libsql://, https:// or http:// and a host"
            )),
        ));
    }
    Ok(redacted)
}

/// libsql's connection to an embedded replica. It runs no statement (`replica.rs` does), but
/// opening it is what makes libsql create and set up the local file, which the replica's
/// read-only reading connection then opens.
pub(crate) struct RemoteConnection {
    conn: ManuallyDrop<libsql::Connection>,
    shared: ManuallyDrop<Arc<SharedDatabase>>,
    url: String,
    /// Where sync calls run when made from inside a tokio runtime.
    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    caller: Arc<bridge::Caller>,
}

impl fmt::Debug for RemoteConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteConnection")
            .field("url", &self.url)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl RemoteConnection {
    #[cfg(feature = "replica")]
    /// Opens an embedded replica: a local file at `path` kept in sync with the primary at
    /// `url`. When the primary can't be reached but the replica already exists, it opens
    /// offline, and the local copy can be read.
    pub(crate) fn open_replica(
        path: &str,
        url: &str,
        token: &str,
        settings: ReplicaSettings,
    ) -> Result<RemoteConnection> {
        let redacted = check_url(url)?;
        let key = format!("replica:{path}\n{url}");
        let shared = shared_database(key, token, || {
            let startup = super::init_engine()?;
            super::engine::ensure_safe_threading_mode()?;
            let mut builder =
                libsql::Builder::new_remote_replica(path, url.to_owned(), token.to_owned())
                    .read_your_writes(settings.read_your_writes);
            if startup == super::Startup::Foreign {
                // SAFETY: libsql's assert would panic on an engine initialised before us; the
                // threading mode it guards was just checked, as for a local open.
                builder = unsafe { builder.skip_safety_assert(true) };
            }
            if let Some(every) = settings.sync_interval {
                builder = builder.sync_interval(every);
            }
            let unconfigurable = |e| super::engine::explain_setup_panic(e, startup);
            let db = match bridge::block_on(builder.build()).map_err(unconfigurable)? {
                Ok(db) => db,
                Err(e) if replica_exists(path) && is_unreachable(&e) => {
                    let mut offline = libsql::Builder::new_synced_database(
                        path,
                        url.to_owned(),
                        token.to_owned(),
                    )
                    .remote_writes(true)
                    .read_your_writes(settings.read_your_writes);
                    if let Some(every) = settings.sync_interval {
                        offline = offline.sync_interval(every);
                    }
                    bridge::block_on(offline.build())
                        .map_err(unconfigurable)?
                        .map_err(|e| from_libsql(e, &redacted, None))?
                }
                Err(e) => return Err(from_libsql(e, &redacted, None)),
            };
            Ok(SharedDatabase {
                db: Arc::new(db),
                idle: Mutex::new(Vec::new()),
                sync_mark: Arc::default(),
                replica_path: Some(path.to_owned()),
            })
        })?;
        RemoteConnection::connect(shared, redacted)
    }

    #[cfg_attr(not(feature = "replica"), allow(dead_code))]
    fn connect(shared: Arc<SharedDatabase>, redacted: String) -> Result<RemoteConnection> {
        let reused = shared.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match reused {
            Some(conn) => conn,
            None if shared.replica_path.is_some() => {
                // A replica's connect() uses block_in_place: only a runtime worker may call it.
                let db = Arc::clone(&shared.db);
                bridge::run_on_worker(move || db.connect())?
                    .map_err(|e| from_libsql(e, &redacted, None))?
            }
            None => shared
                .db
                .connect()
                .map_err(|e| from_libsql(e, &redacted, None))?,
        };
        Ok(RemoteConnection {
            conn: ManuallyDrop::new(conn),
            shared: ManuallyDrop::new(shared),
            url: redacted,
            caller: Arc::default(),
        })
    }

    /// Pulls the primary's new frames into the local file; returns how many. A function, so
    /// a replica's statements can sync too (see `replica.rs`).
    #[cfg(feature = "replica")]
    pub(crate) fn syncer(&self) -> Box<dyn Fn() -> Result<usize> + Send + Sync> {
        let shared = Arc::clone(&self.shared);
        let caller = Arc::clone(&self.caller);
        let url = self.url.clone();
        Box::new(move || {
            let done = bridge::block_on_from(&caller, shared.db.sync())?
                .map_err(|e| from_libsql(e, &url, None))?;
            Ok(done.frames_synced())
        })
    }

    /// Shared by every connection to this replica; see `SyncMark`.
    #[cfg(feature = "replica")]
    pub(crate) fn sync_mark(&self) -> Arc<SyncMark> {
        Arc::clone(&self.shared.sync_mark)
    }

    /// The replica's local file.
    pub(crate) fn path(&self) -> Option<&str> {
        Some(self.shared.replica_path.as_deref().unwrap_or(&self.url))
    }

    pub(crate) fn close(&mut self) -> Result<()> {
        Ok(())
    }
}

impl Drop for RemoteConnection {
    fn drop(&mut self) {
        // SAFETY: taken exactly once, here.
        let conn = unsafe { ManuallyDrop::take(&mut self.conn) };
        let shared = unsafe { ManuallyDrop::take(&mut self.shared) };
        // A connection outside a transaction holds no server state: keep it warm for the next
        // open. One inside a transaction is dropped, which closes its stream and so rolls the
        // transaction back on the server.
        if conn.is_autocommit() {
            let mut idle = shared.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < MAX_IDLE_PER_DATABASE {
                idle.push(conn);
                drop(idle);
                bridge::drop_in_runtime(shared);
                return;
            }
        }
        bridge::drop_in_runtime((conn, shared));
    }
}

#[cfg(feature = "replica")]
/// Both files of an existing replica: the database and libsql's `-info` metadata.
fn replica_exists(path: &str) -> bool {
    std::path::Path::new(path).exists() && std::path::Path::new(&format!("{path}-info")).exists()
}

#[cfg(feature = "replica")]
/// Whether a build error means the primary could not be reached at all.
fn is_unreachable(e: &libsql::Error) -> bool {
    let text = format!("{e:?}").to_ascii_lowercase();
    text.contains("connect")
        || text.contains("refused")
        || text.contains("timed out")
        || text.contains("dns")
}
