//! An embedded replica (a local file synced from a libSQL primary), through libsql's client;
//! plain remote connections use dbcompat's own Hrana client (`hrana/`) instead. Also the URL
//! and token helpers both share. Every network call goes through the bridge
//! (`Session::block_on`); everything libsql gets wrong for rusqlite semantics is fixed here: parameters are counted and checked from the SQL text, statements are reset
//! between runs, `execute` on a row-returning statement is detected, and the column names are
//! those of the SQL as written (libsql re-renders SQL before executing it).

use super::hrana::HranaConnection;
use super::remote_errors::from_libsql;
use super::remote_session::Session;
use super::replica_pragmas::FreshSessionValues;
use super::replica_primary::{Primary, PrimaryAddress};
use super::server_values::{real_for_server, text_for_server};
use super::sql_text;
use crate::bridge;
use crate::column::{ColumnOrigin, ColumnRef, OwnedColumnOrigin, TableColumn};
use crate::error::{error_from_sqlite_code, error_with_generic_message, Error};
use crate::types::ValueRef;
use crate::{ffi, Result};
use libsql::params::Params as LibsqlParams;
use libsql::Value as LibsqlValue;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::ffi::{c_int, CStr};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
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
    /// The local file, for an embedded replica.
    replica_path: Option<String>,
    /// PRAGMA values a new session on the primary has, asked once for all its connections.
    fresh_pragmas: Arc<FreshSessionValues>,
    /// An embedded replica's primary, for the statements it runs there itself.
    primary: Option<PrimaryAddress>,
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

/// A connection to a remote database.
pub(crate) struct RemoteConnection {
    conn: ManuallyDrop<libsql::Connection>,
    shared: ManuallyDrop<Arc<SharedDatabase>>,
    url: String,
    session: Arc<Session>,
    busy_timeout_ms: Cell<c_int>,
    /// A replica's own session on its primary (see `replica_primary.rs`).
    primary: Option<Primary>,
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
    /// `url`. Reads are local; writes go to the primary. When the primary can't be reached but
    /// the replica already exists, it opens offline and serves reads from the local copy.
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
                replica_path: Some(path.to_owned()),
                fresh_pragmas: Arc::default(),
                primary: Some(PrimaryAddress {
                    url: url.to_owned(),
                    token: token.to_owned(),
                }),
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
        let session = Arc::new(Session::sharing(Arc::clone(&shared.fresh_pragmas)));
        let primary = shared.primary.clone().map(Primary::new);
        Ok(RemoteConnection {
            primary,
            conn: ManuallyDrop::new(conn),
            shared: ManuallyDrop::new(shared),
            url: redacted,
            session,
            busy_timeout_ms: Cell::new(5000),
        })
    }

    /// Pulls the primary's new frames into an embedded replica; returns the number of frames.
    pub(crate) fn sync(&self) -> Result<usize> {
        // (Without the `replica` feature no connection is a replica: only the error remains.)
        #[cfg(feature = "replica")]
        if self.shared.replica_path.is_some() {
            let done = self
                .session
                .block_on(self.shared.db.sync())?
                .map_err(|e| from_libsql(e, &self.url, None))?;
            return Ok(done.frames_synced());
        }
        Err(error_from_sqlite_code(
            ffi::SQLITE_MISUSE,
            Some(format!(
                "{} is not an embedded replica: nothing to sync",
                self.url
            )),
        ))
    }

    fn map_err(&self, e: libsql::Error, sql: Option<&str>) -> Error {
        self.session
            .recover(&self.conn, from_libsql(e, &self.url, sql))
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<(RemoteStatement, usize)> {
        let (first, tail) = sql_text::split_first(sql);
        let blank = sql_text::is_blank(first);
        if let Some(e) = (!blank).then(|| sql_text::syntax_error(sql)).flatten() {
            return Err(e);
        }
        let returns_rows = !blank && sql_text::may_return_rows(first);
        // Row-returning statements are described once here (one round trip; prepare_cached
        // keeps the result), which also reports errors such as "no such table" at prepare
        // time, as SQLite does. Other statements need nothing from the server until they run.
        // Before describing: the primary applies a PRAGMA assignment as it prepares it.
        self.session.check_pragma(&self.conn, &self.url, first)?;
        let described = if returns_rows {
            let conn = &*self.conn;
            let stmt = self
                .session
                .block_on(conn.prepare(first))?
                .map_err(|e| self.map_err(e, Some(first)))?;
            Some(stmt)
        } else {
            None
        };
        let columns = described.as_ref().map(column_names).unwrap_or_default();
        let params = sql_text::Parameters::of(first);
        Ok((
            RemoteStatement {
                conn: (*self.conn).clone(),
                url: self.url.clone(),
                session: Arc::clone(&self.session),
                sql: first.to_owned(),
                blank,
                change_kind: sql_text::change_kind(first),
                bindings: RefCell::new(vec![LibsqlValue::Null; params.count()]),
                params,
                columns: RefCell::new(columns),
                described: described.map(ManuallyDrop::new),
                pending: RefCell::new(None),
                current: RefCell::new(Vec::new()),
                origins: OnceCell::new(),
            },
            tail,
        ))
    }

    /// The primary's session when `stmt` must run there (see `replica_primary.rs`).
    pub(crate) fn on_primary(&self, stmt: &str) -> Result<Option<&HranaConnection>> {
        match &self.primary {
            Some(primary) => primary.for_statement(stmt, !self.is_autocommit()),
            None => Ok(None),
        }
    }

    /// One statement of a batch. A statement's rows (a PRAGMA's report) are read and dropped,
    /// as rusqlite's `execute_batch` does; libsql's `execute` refuses them.
    fn run_in_batch(&self, stmt: &str) -> Result<()> {
        if let Some(primary) = self.on_primary(stmt)? {
            return primary.execute_batch(stmt);
        }
        if sql_text::may_return_rows(stmt) {
            let (statement, _) = self.prepare(stmt)?;
            while statement.step()? {}
            return Ok(());
        }
        self.session
            .execute(&self.conn, &self.url, stmt, LibsqlParams::None)
    }

    /// Runs every statement of `sql`. A batch of plain statements goes to the server as one
    /// request; transaction-control statements are run one by one so they can be tracked.
    /// SQL the engine's parser rejects is caught locally first, so the statements before it
    /// run and the error is rusqlite's exact `SqlInputError`.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        let mut statements = Vec::new();
        let mut rest = sql;
        let mut offset = 0;
        while !sql_text::is_blank(rest) {
            let (first, tail) = sql_text::split_first(rest);
            if !sql_text::is_blank(first) {
                statements.push((offset, first));
            }
            offset += tail;
            rest = &sql[offset..];
        }
        let syntax_error = statements
            .iter()
            .enumerate()
            .find_map(|(i, (at, _))| sql_text::syntax_error(&sql[*at..]).map(|e| (i, e)));
        let valid = &statements[..syntax_error.as_ref().map_or(statements.len(), |(i, _)| *i)];
        let tracked = valid
            .iter()
            .any(|(_, s)| sql_text::tx_control(s) != sql_text::TxControl::None);
        let on_primary = self.primary.is_some()
            && valid
                .iter()
                .any(|(_, s)| sql_text::rewrites_database_file(s));
        let conn = &*self.conn;
        if tracked || on_primary || valid.len() == 1 {
            for (_, stmt) in valid {
                self.run_in_batch(stmt)?;
            }
        } else if let (Some((start, _)), Some((last_at, last))) = (valid.first(), valid.last()) {
            let end = last_at + last.len();
            let batch = &sql[*start..end];
            self.session
                .check_pragmas_in_batch(conn, &self.url, valid.iter().map(|(_, s)| *s))?;
            self.session
                .block_on(conn.execute_batch(batch))?
                .map_err(|e| self.map_err(e, Some(batch)))?;
            // The server reports the last statement's counters only.
            self.session.record(sql_text::change_kind(last), conn);
        }
        match syntax_error {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    pub(crate) fn changes(&self) -> u64 {
        self.session.changes()
    }

    pub(crate) fn total_changes(&self) -> u64 {
        self.session.total_changes()
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.session.last_insert_rowid()
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        self.conn.is_autocommit()
    }

    /// True while a statement has rows left to step through, as locally.
    pub(crate) fn is_busy(&self) -> bool {
        self.session.is_busy()
    }

    /// Kept for `PRAGMA`-free introspection; the server applies its own lock waiting.
    pub(crate) fn busy_timeout(&self, ms: c_int) -> Result<()> {
        self.busy_timeout_ms.set(ms);
        Ok(())
    }

    /// The replica's local file, or the server URL (without token or query).
    pub(crate) fn path(&self) -> Option<&str> {
        Some(self.shared.replica_path.as_deref().unwrap_or(&self.url))
    }

    pub(crate) fn is_readonly(&self, db_name: &CStr) -> Result<c_int> {
        Ok(match db_name.to_bytes() {
            b"main" | b"temp" => 0,
            _ => -1,
        })
    }

    pub(crate) fn db_name(&self, index: usize) -> Result<String> {
        match index {
            0 => Ok("main".to_owned()),
            1 => Ok("temp".to_owned()),
            _ => Err(Error::InvalidDatabaseIndex(index)),
        }
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        false
    }

    pub(crate) fn release_memory(&self) -> Result<()> {
        Ok(())
    }

    pub(crate) fn cache_flush(&self) -> Result<()> {
        Ok(())
    }

    /// Answered by a copy of the replica's schema (read locally), built for each call so it
    /// is always the replica's current one.
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        schema_copy(&self.conn, &self.url)?.table_column_metadata(at)
    }

    /// Tracked from the statements run: the server doesn't report lock state.
    pub(crate) fn txn_state(&self, _db_name: Option<&CStr>) -> Result<c_int> {
        Ok(self.session.txn_state(self.is_autocommit()))
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

/// A statement on a remote connection: the SQL of its first statement, its bindings, and for
/// row-returning statements the described libsql statement and the rows of the current run.
pub(crate) struct RemoteStatement {
    conn: libsql::Connection,
    url: String,
    session: Arc<Session>,
    sql: String,
    blank: bool,
    change_kind: sql_text::ChangeKind,
    params: sql_text::Parameters,
    bindings: RefCell<Vec<LibsqlValue>>,
    columns: RefCell<Vec<String>>,
    described: Option<ManuallyDrop<libsql::Statement>>,
    /// Rows of the current run not yet stepped to; `None` before the run starts.
    pending: RefCell<Option<VecDeque<Vec<LibsqlValue>>>>,
    current: RefCell<Vec<LibsqlValue>>,
    /// Where the result columns come from: asked of a schema copy the first time.
    origins: OnceCell<Vec<OwnedColumnOrigin>>,
}

impl Drop for RemoteStatement {
    fn drop(&mut self) {
        if self.pending.get_mut().take().is_some() {
            self.session.cursor_closed();
        }
        if let Some(stmt) = self.described.take() {
            bridge::drop_in_runtime(ManuallyDrop::into_inner(stmt));
        }
    }
}

impl RemoteStatement {
    pub(crate) fn is_null(&self) -> bool {
        self.blank
    }

    fn map_err(&self, e: libsql::Error) -> Error {
        self.session
            .recover(&self.conn, from_libsql(e, &self.url, Some(&self.sql)))
    }

    /// Runs the statement on its first step (rows are fetched in that one request, so the
    /// stream is free for other statements while the caller iterates), then hands out rows.
    pub(crate) fn step(&self) -> Result<bool> {
        if self.blank {
            return Err(error_with_generic_message(ffi::SQLITE_MISUSE));
        }
        let params = LibsqlParams::Positional(self.bindings.borrow().clone());
        let Some(described) = self.described.as_deref() else {
            self.session
                .execute(&self.conn, &self.url, &self.sql, params)?;
            return Ok(false);
        };
        let mut pending = self.pending.borrow_mut();
        if pending.is_none() {
            self.session
                .check_pragma(&self.conn, &self.url, &self.sql)?;
            let (n, fetched) = self
                .session
                .block_on(async move {
                    // libsql's local statement (a replica's reads) binds over the previous run
                    // without resetting it, which would re-run the first run's parameters.
                    described.reset();
                    let mut rows = described.query(params).await?;
                    let n = rows.column_count();
                    let mut all = VecDeque::new();
                    while let Some(row) = rows.next().await? {
                        let mut values = Vec::with_capacity(n.max(0) as usize);
                        for i in 0..n {
                            values.push(row.get_value(i)?);
                        }
                        all.push_back(values);
                    }
                    Ok::<_, libsql::Error>((n.max(0) as usize, all))
                })?
                .map_err(|e| self.map_err(e))?;
            if n != self.column_count() {
                // The schema changed since this (cached) statement was described, e.g. a
                // `SELECT *` after ALTER TABLE: describe again, as SQLite re-prepares.
                self.describe_again()?;
            }
            self.session
                .note_statement(&self.sql, self.conn.is_autocommit());
            self.session.cursor_opened();
            *pending = Some(fetched);
        }
        match pending.as_mut().and_then(VecDeque::pop_front) {
            Some(row) => {
                *self.current.borrow_mut() = row;
                Ok(true)
            }
            None => {
                if self.change_kind != sql_text::ChangeKind::Keep {
                    self.session.record(self.change_kind, &self.conn);
                }
                Ok(false)
            }
        }
    }

    pub(crate) fn reset(&self) -> c_int {
        if self.pending.borrow_mut().take().is_some() {
            self.session.cursor_closed();
        }
        self.current.borrow_mut().clear();
        ffi::SQLITE_OK
    }

    pub(crate) fn column_count(&self) -> usize {
        self.columns.borrow().len()
    }

    pub(crate) fn column_name(&self, col: usize) -> Option<&str> {
        // SAFETY: `columns` is only replaced in `step`, which cannot run while a name borrowed
        // from this statement is alive (see `value_ref`).
        let columns = unsafe { &*self.columns.as_ptr() };
        columns.get(col).map(String::as_str)
    }

    fn describe_again(&self) -> Result<()> {
        let conn = &self.conn;
        let stmt = self
            .session
            .block_on(conn.prepare(&self.sql))?
            .map_err(|e| self.map_err(e))?;
        *self.columns.borrow_mut() = column_names(&stmt);
        bridge::drop_in_runtime(stmt);
        Ok(())
    }

    /// Where column `col` comes from, as a copy of the replica's schema prepares the SQL.
    pub(crate) fn column_origin(&self, col: usize) -> ColumnOrigin<'_> {
        self.origins
            .get_or_init(|| {
                schema_copy(&self.conn, &self.url)
                    .map(|db| super::hrana::column_origins_on(&db, &self.sql))
                    .unwrap_or_default()
            })
            .get(col)
            .map_or_else(ColumnOrigin::default, OwnedColumnOrigin::as_origin)
    }

    /// Servers don't report declared types.
    pub(crate) fn column_decltype(&self, _col: usize) -> Option<&str> {
        None
    }

    pub(crate) fn value_ref(&self, col: usize) -> ValueRef<'_> {
        // SAFETY: `current` is only replaced by `step`/`reset`, which the public API cannot
        // call while a `Row` (and so any `ValueRef` borrowed from it) is alive: `Rows::next`
        // takes `&mut Rows`, and the row borrows it.
        let row = unsafe { &*self.current.as_ptr() };
        row.get(col).map_or(ValueRef::Null, value_ref_of)
    }

    pub(crate) fn parameter_count(&self) -> usize {
        self.params.count()
    }

    pub(crate) fn parameter_index(&self, name: &str) -> Option<usize> {
        self.params.index(name)
    }

    pub(crate) fn parameter_index_c(&self, name: &CStr) -> Option<usize> {
        self.params.index(name.to_str().ok()?)
    }

    pub(crate) fn parameter_name(&self, index: usize) -> Option<&str> {
        self.params.name(index)
    }

    pub(crate) fn bind_value(&self, index: usize, value: ValueRef<'_>) -> Result<()> {
        let i = self.params.slot(index)?;
        self.bindings.borrow_mut()[i] = match value {
            ValueRef::Null => LibsqlValue::Null,
            ValueRef::Integer(v) => LibsqlValue::Integer(v),
            ValueRef::Real(v) => real_for_server(v)?.map_or(LibsqlValue::Null, LibsqlValue::Real),
            ValueRef::Text(t) => LibsqlValue::Text(text_for_server(t)?.to_owned()),
            ValueRef::Blob(b) => LibsqlValue::Blob(b.to_vec()),
        };
        Ok(())
    }

    pub(crate) fn bind_zeroblob(&self, index: usize, len: i32) -> Result<()> {
        let i = self.params.slot(index)?;
        self.bindings.borrow_mut()[i] = LibsqlValue::Blob(vec![0; len.max(0) as usize]);
        Ok(())
    }

    pub(crate) fn clear_bindings(&self) {
        for v in self.bindings.borrow_mut().iter_mut() {
            *v = LibsqlValue::Null;
        }
    }

    pub(crate) fn sql(&self) -> Option<&str> {
        (!self.blank).then_some(self.sql.as_str())
    }

    /// The SQL with the bound values written in, as the local engine renders it.
    pub(crate) fn expanded_sql(&self) -> Option<String> {
        if self.blank {
            return None;
        }
        let bindings = self.bindings.borrow();
        Some(sql_text::expand(&self.sql, |i| {
            let value = i.checked_sub(1).and_then(|i| bindings.get(i));
            sql_text::literal(value.map_or(ValueRef::Null, value_ref_of))
        }))
    }

    pub(crate) fn readonly(&self) -> bool {
        self.blank || !sql_text::may_modify(&self.sql)
    }

    pub(crate) fn is_explain(&self) -> i32 {
        sql_text::explain_kind(&self.sql)
    }

    pub(crate) fn status(&self, _op: c_int, _reset: bool) -> i32 {
        0
    }

    pub(crate) fn finalize(&mut self) -> Result<()> {
        Ok(())
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

fn value_ref_of(value: &LibsqlValue) -> ValueRef<'_> {
    match value {
        LibsqlValue::Integer(i) => ValueRef::Integer(*i),
        LibsqlValue::Real(r) => ValueRef::Real(*r),
        LibsqlValue::Text(s) => ValueRef::Text(s.as_bytes()),
        LibsqlValue::Blob(b) => ValueRef::Blob(b),
        LibsqlValue::Null => ValueRef::Null,
    }
}

/// A scratch database holding the schema `conn` reads (a replica's own, read locally).
fn schema_copy(conn: &libsql::Connection, url: &str) -> Result<super::LocalConnection> {
    let mut schemas: Vec<Vec<(String, String)>> = Vec::new();
    for query in super::hrana::SCHEMA_QUERIES {
        let fail = |e| from_libsql(e, url, Some(query));
        let mut rows = bridge::block_on(conn.query(query, ()))?.map_err(fail)?;
        let mut entries = Vec::new();
        while let Some(row) = bridge::block_on(rows.next())?.map_err(fail)? {
            entries.push((
                row.get::<String>(0).map_err(fail)?,
                row.get::<String>(1).map_err(fail)?,
            ));
        }
        schemas.push(entries);
    }
    let entries = schemas.iter().zip([false, true]).flat_map(|(rows, temp)| {
        rows.iter()
            .map(move |(kind, create)| (kind.as_str(), create.as_str(), temp))
    });
    super::hrana::scratch_schema(entries)
        .map(|(db, _)| db)
        .ok_or_else(|| {
            error_from_sqlite_code(
                ffi::SQLITE_NOMEM,
                Some("cannot open a scratch database for the replica's schema".into()),
            )
        })
}

/// The result column names of a described statement, as the server reports them for the SQL
/// as written.
fn column_names(stmt: &libsql::Statement) -> Vec<String> {
    stmt.columns().iter().map(|c| c.name().to_owned()).collect()
}
