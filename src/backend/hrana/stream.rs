//! One Hrana stream: the server session a remote connection lives in.
//!
//! The baton is kept between calls, so PRAGMAs, TEMP tables, `changes()`, `last_insert_rowid()`
//! and the transaction are the server connection's own, as on a local connection. Every call
//! is one HTTP request: a `batch` (plus `get_autocommit`) on `/v3/pipeline`, or a `batch` on
//! `/v3/cursor` for rows, which arrive while the caller iterates.
//!
//! Statements that cannot fail and need no answer (a deferred `BEGIN`, `busy_timeout`) wait in
//! `pending` and travel at the head of the next request. When the server has forgotten the
//! stream (idle expiry, restart), the call is sent again on a new stream, headed by the
//! connection-scoped settings this connection made and a local connection would still have
//! (`session_settings.rs`); a lost transaction or lost TEMP objects are reported instead,
//! never silently dropped.

use super::cursor::Cursor;
use super::request::{self, Step, Then};
use super::session_settings::{
    creates_session_object, keep_query_only, may_remove_session_objects, Settings, TxTracker,
    QUERY_ONLY_ON, SESSION_OBJECTS_SQL,
};
use super::shadow::{self, Columns, Shadow};
use super::stream_state::State;
use super::transport::{self, Failure};
use crate::backend::remote_errors::from_hrana;
use crate::backend::sql_text::{self, TxControl};
use crate::bridge;
use crate::column::{ColumnRef, OwnedColumnOrigin, TableColumn};
use crate::error::error_from_sqlite_code;
use crate::{ffi, Error, Result};
use hyper::Uri;
use libsql_hrana::proto::{
    BatchCond, BatchCondList, BatchResult, CursorRespBody, DescribeResult, PipelineRespBody,
    StmtResult, StreamResponse, StreamResult, Value,
};
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Reads the counters a failed or row-returning write leaves, as SQLite's `sqlite3_changes()`
/// and `sqlite3_last_insert_rowid()` would tell after it.
const COUNTERS_SQL: &str = "SELECT changes(), last_insert_rowid()";
/// The step that runs when a cursor's statement failed and left no transaction open.
const AUTOCOMMIT_PROBE_SQL: &str = "SELECT 1";

/// A statement to run: its SQL (for the request and for errors), its arguments and whether
/// its rows are wanted.
#[derive(Clone)]
pub(crate) struct Call {
    pub(crate) sql: Arc<str>,
    pub(crate) args: Vec<Value>,
    pub(crate) want_rows: bool,
}

impl Call {
    pub(crate) fn new(sql: &str, want_rows: bool) -> Call {
        Call {
            sql: Arc::from(sql),
            args: Vec::new(),
            want_rows,
        }
    }

    fn step(&self) -> Step<'_> {
        Step::new(&self.sql, &self.args, self.want_rows)
    }
}

pub(crate) struct Stream {
    pipeline_url: String,
    cursor_url: String,
    /// The two URLs parsed (`None` if they don't parse: each request then reports why).
    pipeline_uri: Option<Uri>,
    cursor_uri: Option<Uri>,
    auth: Option<String>,
    /// The server URL without token or query, for errors.
    pub(crate) url: String,
    state: Mutex<State>,
    /// Statements between their first row and their reset (`is_busy`).
    iterating: AtomicUsize,
    /// Statements not yet dropped: closing fails while there are any, as `sqlite3_close` does.
    open_statements: AtomicUsize,
    /// Set by an `InterruptHandle` (see `start_statement`).
    interrupted: Arc<AtomicBool>,
    shadow: Mutex<Shadow>,
    /// This connection's own runtime and HTTP pool: calls run on the calling thread.
    net: Option<transport::Net>,
    base: String,
}

/// What one request asks of the server.
enum Request<'a> {
    /// Run the calls (`want_rows` false); also ask for autocommit.
    Run(&'a [Call]),
    /// Describe one statement.
    Describe(&'a str),
    /// Stream the rows of the call at the index (the calls before it are read whole).
    Rows(&'a [Call], usize),
}

/// The server's answer: step results of the calls, or a describe, or an open cursor.
enum Reply {
    /// The batch, the autocommit flag, and whether the session holds TEMP objects or attached
    /// databases (when asked).
    Run(BatchResult, Option<bool>, Option<bool>),
    Describe(BatchResult, Option<DescribeResult>),
    Rows(Box<Cursor>),
}

impl Stream {
    /// A stream to the server at `base` (already `http(s)://host[:port][/path]`); nothing is sent.
    pub(crate) fn new(base: &str, token: &str, redacted: String) -> Result<Stream> {
        let base = base.trim_end_matches('/');
        Ok(Stream {
            net: Some(transport::Net::take(base)?),
            base: base.to_owned(),
            pipeline_url: format!("{base}/v3/pipeline"),
            cursor_url: format!("{base}/v3/cursor"),
            pipeline_uri: transport::parse_url(&format!("{base}/v3/pipeline")).ok(),
            cursor_uri: transport::parse_url(&format!("{base}/v3/cursor")).ok(),
            auth: (!token.is_empty()).then(|| format!("Bearer {token}")),
            url: redacted,
            state: Mutex::new(State {
                baton: None,
                base_url: None,
                autocommit: true,
                pending: Vec::new(),
                settings: Settings::default(),
                session_objects: None,
                transaction_lost: false,
                reply_lost: false,
                read_only: false,
                changes: 0,
                total_changes: 0,
                total_changes_stale: false,
                last_insert_rowid: 0,
                txn_state: 0,
                rolled_back: false,
                ddl_unseen: false,
                open_cursor: None,
                last_facts: None,
            }),
            iterating: AtomicUsize::new(0),
            open_statements: AtomicUsize::new(0),
            interrupted: Arc::new(AtomicBool::new(false)),
            shadow: Mutex::new(Shadow::default()),
        })
    }

    fn net(&self) -> std::result::Result<&transport::Net, Failure> {
        self.net
            .as_ref()
            .ok_or_else(|| Failure::Transport("the connection is closed".into()))
    }

    /// Runs one network future of this connection to completion.
    pub(super) fn block_on<F>(&self, fut: F) -> std::result::Result<F::Output, Failure>
    where
        F: std::future::Future + Send,
        F::Output: Send,
    {
        let net = self.net()?;
        // Boxed once here: the call's future is kilobytes (hyper's request and reply state),
        // and each layer on its way to the runtime (the socket driving, the call timeout,
        // `block_on`) would otherwise copy it whole.
        net.driver
            .block_on(net.http.driven(Box::pin(fut)))
            .map_err(Failure::Call)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn changes(&self) -> u64 {
        self.lock().changes
    }

    /// The server's own count (it includes rows changed by triggers, which the per-statement
    /// counts don't): read once after statements that changed rows, else the last value.
    pub(crate) fn total_changes(&self) -> u64 {
        if std::mem::take(&mut self.lock().total_changes_stale) {
            if let Ok(Some(Value::Integer { value })) =
                self.query_value("SELECT total_changes()", vec![])
            {
                self.lock().total_changes = value as u64;
            }
        }
        self.lock().total_changes
    }

    /// The first column of the first row of `sql`, read for dbcompat itself (not recorded).
    pub(crate) fn query_value(&self, sql: &str, args: Vec<Value>) -> Result<Option<Value>> {
        let mut call = Call::new(sql, true);
        call.args = args;
        let results = self.fetch(&[call])?;
        Ok(results
            .into_iter()
            .next()
            .and_then(|r| r.rows.into_iter().next())
            .and_then(|row| row.values.into_iter().next()))
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.lock().last_insert_rowid
    }

    pub(crate) fn is_autocommit(&self) -> bool {
        let st = self.lock();
        st.autocommit && !st.pending.iter().any(|s| is_begin(s))
    }

    pub(crate) fn txn_state(&self) -> c_int {
        if self.is_autocommit() {
            0
        } else {
            self.lock().txn_state
        }
    }

    /// True while a statement is between its first row and its reset, as locally.
    pub(crate) fn is_busy(&self) -> bool {
        self.iterating.load(Ordering::Relaxed) > 0
    }

    pub(crate) fn interrupt_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.interrupted)
    }

    /// Counts a statement made on this stream until `statement_dropped`.
    pub(crate) fn statement_made(&self) {
        self.open_statements.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn statement_dropped(&self) {
        self.open_statements.fetch_sub(1, Ordering::Relaxed);
    }

    /// `sqlite3_close`'s refusal while statements of the connection exist (a leaked or
    /// forgotten one: rusqlite finalizes the cached ones first). The session stays open.
    pub(crate) fn check_closable(&self) -> Result<()> {
        if self.open_statements.load(Ordering::Relaxed) == 0 {
            return Ok(());
        }
        Err(crate::error::error_from_sqlite_code(
            crate::ffi::SQLITE_BUSY,
            Some("unable to close due to unfinalized statements or unfinished backups".into()),
        ))
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }

    /// A statement's first step. As in SQLite, a pending interrupt is forgotten when no other
    /// statement of the connection is active, and fails the new statement otherwise. (A
    /// statement already running on the server cannot be stopped: Hrana has no request for
    /// that. An interrupt takes effect at the next row or statement.)
    pub(crate) fn start_statement(&self) -> Result<()> {
        self.forget_idle_interrupt();
        self.check_interrupt()
    }

    /// Forgets a pending interrupt when no statement of the connection is active (a statement
    /// started elsewhere, as an embedded replica's local read).
    pub(crate) fn forget_idle_interrupt(&self) {
        if !self.is_busy() {
            self.interrupted.store(false, Ordering::SeqCst);
        }
    }

    /// `SQLITE_INTERRUPT` if the connection was interrupted.
    pub(crate) fn check_interrupt(&self) -> Result<()> {
        if self.is_interrupted() {
            return Err(error_from_sqlite_code(
                ffi::SQLITE_INTERRUPT,
                Some("interrupted".into()),
            ));
        }
        Ok(())
    }

    /// A statement started (`true`) or stopped (`false`) handing out rows.
    pub(crate) fn note_iterating(&self, started: bool) {
        if started {
            self.iterating.fetch_add(1, Ordering::Relaxed);
        } else {
            self.iterating.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Queues `sql` for the head of the next request, and replays it on a new stream.
    pub(crate) fn set_session_pragma(&self, name: &str, sql: String) {
        let mut st = self.lock();
        st.settings.remember(name, &sql);
        st.pending.push(sql);
    }

    /// Makes the session refuse writes as a read-only open does, with SQLite's own
    /// `SQLITE_READONLY` error: `query_only` is on from the first request, replayed on a new
    /// stream, and a `PRAGMA query_only = …` of the application cannot turn it off (as it
    /// cannot make a read-only file writable).
    pub(crate) fn set_read_only(&self) {
        self.set_session_pragma("query_only", QUERY_ONLY_ON.to_owned());
        self.lock().read_only = true;
    }

    pub(crate) fn is_read_only(&self) -> bool {
        self.lock().read_only
    }

    /// Checks `sql` against the shadow schema: its columns, or `None` if only the server
    /// can tell.
    pub(crate) fn prepare(&self, sql: &str) -> Result<Option<Columns>> {
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        shadow.prepare(sql, self)
    }

    /// `sqlite3_stmt_readonly` of `sql`. A `CREATE … IF NOT EXISTS` or `DROP … IF EXISTS`
    /// is read-only when it has nothing to do, which the shadow schema tells when it is at
    /// hand; anything else is told by its text.
    pub(crate) fn readonly(&self, sql: &str) -> bool {
        if sql_text::is_conditional_ddl(sql) {
            if let Some(readonly) = self.shadow.try_lock().ok().and_then(|s| s.readonly(sql)) {
                return readonly;
            }
        }
        sql_text::stmt_readonly(sql)
    }

    /// `sqlite3_table_column_metadata` answered by the shadow schema (see `Shadow`).
    pub(crate) fn table_column_metadata(&self, at: ColumnRef<'_>) -> Result<TableColumn> {
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        shadow.table_column_metadata(self, at)
    }

    /// Where the result columns of `sql` come from, as the shadow schema tells.
    pub(crate) fn column_origins(&self, sql: &str) -> Vec<OwnedColumnOrigin> {
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        shadow.column_origins(sql, self)
    }

    /// A constraint error with the extended code the shadow schema tells (see
    /// `Shadow::refine_key_violation`); unchanged while the shadow is in use by this thread.
    pub(crate) fn refine_key_violation(&self, err: Error) -> Error {
        match self.shadow.try_lock() {
            Ok(shadow) => shadow.refine_key_violation(err),
            Err(_) => err,
        }
    }

    pub(crate) fn has_session_objects(&self) -> bool {
        self.lock().session_objects.is_some()
    }

    /// The statements that give a connection this session's connection-scoped settings, with
    /// their version, unless the version is still `seen`.
    pub(crate) fn settings_since(&self, seen: u64) -> Option<(u64, Vec<String>)> {
        let st = self.lock();
        let version = st.settings.version();
        (version != seen).then(|| (version, st.settings.replay().map(str::to_owned).collect()))
    }

    /// Runs `calls` in order in one request, stopping at the first error, which names the
    /// statement that failed. Returns the results of the calls that ran.
    pub(crate) fn run(&self, calls: &[Call]) -> Result<Vec<StmtResult>> {
        if let [only] = calls {
            if let Some(done) = self.answer_locally(&only.sql) {
                return done;
            }
        }
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        if !shadow.is_loaded() {
            // Load the shadow schema in the same request, after the calls (and their DDL).
            let mut with_schema = calls.to_vec();
            with_schema.extend(shadow::schema_calls());
            let mut results = self.run_recorded(&with_schema, calls.len())?;
            let schema = results.split_off(calls.len().min(results.len()));
            shadow.load(&schema);
            let open = !self.lock().autocommit;
            shadow.note_transaction(false, false, open);
            return Ok(results);
        }
        let ran = self
            .run_recorded(calls, calls.len())
            .map_err(|e| shadow.refine_key_violation(e));
        let done = ran.as_ref().map_or(0, Vec::len);
        let mut applied_ddl = false;
        for call in calls.iter().take(done).filter(|c| shadow::is_ddl(&c.sql)) {
            shadow.apply(&call.sql);
            applied_ddl = true;
        }
        // DDL undone on the server (a ROLLBACK, or an error such as `OR ROLLBACK` that ended
        // the transaction) must not stay in the shadow.
        let open = !self.lock().autocommit;
        let rolled_back =
            self.take_rolled_back() || calls.iter().take(done).any(|c| is_rollback(&c.sql));
        shadow.note_transaction(applied_ddl, rolled_back, open);
        ran
    }

    /// Whether DDL ran through a cursor since the last call (see `State`).
    pub(crate) fn take_ddl_unseen(&self) -> bool {
        std::mem::take(&mut self.lock().ddl_unseen)
    }

    /// Whether a transaction ended by a rollback since the last call (see `State`).
    pub(crate) fn take_rolled_back(&self) -> bool {
        std::mem::take(&mut self.lock().rolled_back)
    }

    /// Reads rows for dbcompat itself (the shadow schema): nothing is recorded.
    pub(crate) fn fetch(&self, calls: &[Call]) -> Result<Vec<StmtResult>> {
        self.run_recorded(calls, 0)
    }

    /// Runs `calls`; the first `recorded` are the application's (counters, settings).
    fn run_recorded(&self, calls: &[Call], recorded: usize) -> Result<Vec<StmtResult>> {
        let (Reply::Run(result, autocommit, session_objects), mut tx) =
            self.request(Request::Run(calls))?
        else {
            unreachable!("a run request gets a run reply")
        };
        let mut st = self.lock();
        if let Some(autocommit) = autocommit {
            let committed = calls.iter().any(|c| {
                matches!(
                    sql_text::tx_control(&c.sql),
                    TxControl::Commit | TxControl::Release(_)
                )
            });
            if autocommit && !st.autocommit && !committed {
                st.rolled_back = true;
            }
            st.autocommit = autocommit;
        }
        // The steps: head statements, the calls, then the counters step (see `send`).
        let prefix = result.step_results.len().saturating_sub(calls.len() + 1);
        let mut out = Vec::with_capacity(calls.len());
        for (i, call) in calls.iter().enumerate() {
            if let Some(Some(err)) = result.step_errors.get(prefix + i) {
                if i < recorded {
                    st.record_failure(&call.sql, result.step_results.last());
                }
                st.note_session_objects(session_objects);
                st.note_state();
                return Err(from_hrana(
                    &err.code,
                    &err.message,
                    &self.url,
                    Some(&call.sql),
                ));
            }
            match result.step_results.get(prefix + i).cloned().flatten() {
                Some(r) => {
                    if i < recorded {
                        st.record(&call.sql, &r, tx.in_transaction());
                    }
                    tx.after(&call.sql);
                    out.push(r);
                }
                None => break,
            }
        }
        st.note_session_objects(session_objects);
        st.note_state();
        if out.len() < calls.len() {
            return Err(failed_prefix(&result, prefix, &self.url));
        }
        Ok(out)
    }

    /// Statements with a known outcome that need no request: a `BEGIN` (deferred, sent with
    /// the next statement), and the ROLLBACK of a transaction the server already dropped.
    fn answer_locally(&self, sql: &str) -> Option<Result<Vec<StmtResult>>> {
        let mut st = self.lock();
        let control = sql_text::tx_control(sql);
        if std::mem::take(&mut st.transaction_lost) && control == TxControl::Rollback {
            return Some(Ok(Vec::new()));
        }
        let deferrable = control == TxControl::Begin(false)
            && st.autocommit
            && !st.pending.iter().any(|s| is_begin(s));
        if deferrable {
            st.pending.push(sql.to_owned());
            st.txn_state = 0;
            return Some(Ok(Vec::new()));
        }
        None
    }

    /// Describes `sql` on the server (column names and declared types, parameters).
    pub(crate) fn describe(&self, sql: &str) -> Result<DescribeResult> {
        let (Reply::Describe(prefix, described), _) = self.request(Request::Describe(sql))? else {
            unreachable!("a describe request gets a describe reply")
        };
        if prefix.step_errors.iter().any(Option::is_some) {
            return Err(failed_prefix(&prefix, prefix.step_results.len(), &self.url));
        }
        described.ok_or_else(|| {
            error_from_sqlite_code(
                ffi::SQLITE_ERROR,
                Some("the server sent no description".into()),
            )
        })
    }

    /// Starts streaming the rows of `call`; returns the cursor once its columns are known.
    pub(crate) fn open_cursor(&self, call: Call) -> Result<Arc<Mutex<Cursor>>> {
        let mut shadow = self.shadow.lock().unwrap_or_else(|p| p.into_inner());
        // A connection's first request also loads the shadow schema (its rows come first).
        let mut calls = if shadow.is_loaded() {
            Vec::new()
        } else {
            shadow::schema_calls().to_vec()
        };
        let main = calls.len();
        let facts = self.lock().facts(&call.sql);
        let modifies = facts.may_modify;
        calls.push(call);
        if modifies {
            // The rows don't carry the counters; read them right after, in the same batch.
            calls.push(Call::new(COUNTERS_SQL, true));
        }
        let (Reply::Rows(mut cursor), tx) = self.request(Request::Rows(&calls, main))? else {
            unreachable!("a rows request gets a rows reply")
        };
        cursor
            .wait_for_columns(self)
            .map_err(|e| shadow.refine_key_violation(e))?;
        if main > 0 {
            shadow.load_rows(&cursor.take_rows_before_main());
        }
        drop(shadow);
        let cursor = Arc::new(Mutex::new(*cursor));
        let mut st = self.lock();
        st.note_statement(&calls[main].sql, &facts, tx.in_transaction());
        st.open_cursor = Some(Arc::clone(&cursor));
        Ok(cursor)
    }

    /// Called by a cursor that reached its end: applies its counters and forgets it.
    pub(crate) fn cursor_finished(&self, cursor: &Cursor) {
        let mut st = self.lock();
        // At most one cursor is unfinished at a time (a new request drains it first), so the
        // one finishing is the open one.
        st.open_cursor = None;
        if let Some((changes, rowid)) = cursor.counters() {
            st.changes = changes;
            st.total_changes += changes;
            st.total_changes_stale = true;
            st.last_insert_rowid = rowid;
        }
        if cursor.succeeded_main().is_some_and(shadow::is_ddl) {
            st.ddl_unseen = true;
        }
        // A write that failed inside a transaction may have ended it (`OR ROLLBACK`): the
        // shadow schema then checks its DDL again.
        if cursor.ended_transaction() && !std::mem::replace(&mut st.autocommit, true) {
            st.rolled_back = true;
        }
        st.note_state();
    }

    /// Reads the open cursor (if any) to its end, so the stream is free for a new request.
    fn drain_open_cursor(&self) -> Result<()> {
        let open = self.lock().open_cursor.take();
        if let Some(cursor) = open {
            let mut cursor = cursor.lock().unwrap_or_else(|p| p.into_inner());
            cursor.drain(self)?;
        }
        Ok(())
    }

    /// Sends one request on the stream, headed by the pending statements (and, on a new
    /// stream, the settings to replay). On an expired stream, sends it again on a new one.
    /// With the reply comes the transaction the request's calls began in.
    fn request(&self, request: Request<'_>) -> Result<(Reply, TxTracker)> {
        self.drain_open_cursor()?;
        let mut st = self.lock();
        loop {
            let fresh = st.baton.is_none();
            let mut head: Vec<String> = Vec::new();
            if fresh {
                head.extend(st.settings.replay().map(str::to_owned));
            }
            head.extend(st.pending.iter().cloned());
            let mut tx = TxTracker::new(!st.autocommit);
            head.iter().for_each(|sql| tx.after(sql));
            match self.send(&mut st, &head, &request) {
                Err(Failure::StreamExpired) if !fresh => {
                    st.baton = None;
                    st.base_url = None;
                    let reply_lost = std::mem::take(&mut st.reply_lost);
                    if !std::mem::replace(&mut st.autocommit, true) {
                        st.transaction_lost = true;
                        st.txn_state = 0;
                        let what = "an open transaction, which was rolled back";
                        return Err(self.lost(what, reply_lost));
                    }
                    if let Some(what) = st.session_objects.take() {
                        return Err(self.lost(what, reply_lost));
                    }
                }
                Err(failure) => {
                    if !matches!(failure, Failure::Transport(_)) {
                        st.pending.clear();
                    }
                    st.reply_lost = matches!(failure, Failure::Transport(_) | Failure::Call(_));
                    // A described statement's error names it, as a prepare error does.
                    if let (Request::Describe(sql), Failure::Server { code, message }) =
                        (&request, &failure)
                    {
                        return Err(from_hrana(code, message, &self.url, Some(sql)));
                    }
                    return Err(self.failure(failure));
                }
                Ok(reply) => {
                    st.reply_lost = false;
                    if head.iter().any(|s| is_begin(s)) {
                        st.autocommit = false;
                    }
                    st.pending.clear();
                    return Ok((reply, tx));
                }
            }
        }
    }

    fn send(
        &self,
        st: &mut State,
        head: &[String],
        request: &Request<'_>,
    ) -> std::result::Result<Reply, Failure> {
        let read_only = st.read_only;
        let calls: &[Call] = match request {
            Request::Run(calls) | Request::Rows(calls, _) => calls,
            Request::Describe(_) => &[],
        };
        let mut steps: Vec<Step<'_>> = head
            .iter()
            .map(|sql| Step::new(sql, &[], false))
            .chain(calls.iter().map(Call::step))
            .enumerate()
            .map(|(i, mut step)| {
                if read_only {
                    step.stmt.sql = keep_query_only(step.stmt.sql);
                }
                // Each step runs only if the one before it succeeded.
                step.condition = i
                    .checked_sub(1)
                    .map(|prev| BatchCond::Ok { step: prev as u32 });
                step
            })
            .collect();
        let last = steps.len().saturating_sub(1) as u32;
        // A cursor reply carries no autocommit flag, and a write that fails inside a
        // transaction can end it (`OR ROLLBACK`, `RAISE(ROLLBACK)`): a last step, which runs only
        // then, says so in the same reply, so `is_autocommit()` is right when the error arrives.
        let probe_autocommit = matches!(request, Request::Rows(..))
            && (!st.autocommit || head.iter().any(|s| is_begin(s)));
        match request {
            // A failed statement still sets the counters (to 0, or to the rows an `OR FAIL`
            // changed before failing): read them, in the same request, only when a step failed.
            Request::Run(_) => {
                steps.push(Step::new(COUNTERS_SQL, &[], true).when(BatchCond::Not {
                    cond: Box::new(BatchCond::Ok { step: last }),
                }))
            }
            Request::Rows(calls, main) => {
                let main_step = (head.len() + main) as u32;
                // The counters step after a write's rows runs whether the write succeeded or not.
                if calls.len() > main + 1 {
                    if let Some(counters) = steps.last_mut() {
                        counters.condition = Some(BatchCond::Or(BatchCondList {
                            conds: vec![
                                BatchCond::Ok { step: main_step },
                                BatchCond::Error { step: main_step },
                            ],
                        }));
                    }
                }
                if probe_autocommit {
                    steps.push(
                        Step::new(AUTOCOMMIT_PROBE_SQL, &[], false).when(BatchCond::And(
                            BatchCondList {
                                conds: vec![
                                    BatchCond::Error { step: main_step },
                                    BatchCond::IsAutocommit {},
                                ],
                            },
                        )),
                    );
                }
            }
            Request::Describe(_) => {}
        }
        let url = |path: &str, parsed: &Option<Uri>, default: &str| match (&st.base_url, parsed) {
            (Some(b), _) => transport::parse_url(&format!("{}/{path}", b.trim_end_matches('/'))),
            (None, Some(uri)) => Ok(uri.clone()),
            (None, None) => transport::parse_url(default),
        };
        let baton = st.baton.as_deref();
        let auth = self.auth.as_deref();
        if let Request::Rows(calls, main) = request {
            let body = request::cursor(baton, &steps)?;
            let url = url("v3/cursor", &self.cursor_uri, &self.cursor_url)?;
            let http = &self.net()?.http;
            // The first chunk comes in the same call: a small reply is then whole, and its
            // body ended, without another trip through the runtime.
            let (body, first) = self.block_on(async move {
                let mut body = Some(http.post(url, auth, body).await?);
                let first = transport::next_chunk(&mut body).await?;
                Ok::<_, Failure>((body, first))
            })??;
            let mut cursor = Cursor::new(body, first, head, calls, *main, probe_autocommit);
            let first: CursorRespBody = cursor.first_line(self)?;
            st.baton = first.baton;
            if first.base_url.is_some() {
                st.base_url = first.base_url;
            }
            return Ok(Reply::Rows(Box::new(cursor)));
        }
        let then = match request {
            Request::Describe(sql) => Then::Describe(sql),
            _ => {
                let ask = calls.iter().any(|c| may_remove_session_objects(&c.sql))
                    && (st.session_objects.is_some()
                        || calls.iter().any(|c| creates_session_object(&c.sql)));
                Then::GetAutocommit {
                    count: ask.then_some(SESSION_OBJECTS_SQL),
                }
            }
        };
        let body = request::pipeline(baton, &steps, then)?;
        let url = url("v3/pipeline", &self.pipeline_uri, &self.pipeline_url)?;
        let http = &self.net()?.http;
        let bytes = self.block_on(async move {
            let body = http.post(url, auth, body).await?;
            transport::read_all(body).await
        })??;
        let resp: PipelineRespBody = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Transport(format!("malformed reply from the server: {e}")))?;
        st.baton = resp.baton;
        if resp.base_url.is_some() {
            st.base_url = resp.base_url;
        }
        let mut results = resp.results.into_iter().map(|r| match r {
            StreamResult::Ok { response } => Ok(response),
            StreamResult::Error { error } => Err(Failure::Server {
                code: error.code,
                message: error.message,
            }),
            StreamResult::None => Err(Failure::Transport("the server sent no result".into())),
        });
        let batch = match results.next() {
            Some(Ok(StreamResponse::Batch(b))) => b.result,
            Some(Err(e)) => return Err(e),
            _ => return Err(Failure::Transport("the server sent no batch result".into())),
        };
        Ok(match (request, results.next()) {
            (Request::Describe(_), Some(Ok(StreamResponse::Describe(d)))) => {
                Reply::Describe(batch, Some(d.result))
            }
            (Request::Describe(_), Some(Err(e))) => return Err(e),
            (Request::Describe(_), _) => Reply::Describe(batch, None),
            (_, Some(Ok(StreamResponse::GetAutocommit(a)))) => {
                let objects = match results.next() {
                    Some(Ok(StreamResponse::Execute(counted))) => {
                        match counted.result.rows.first().and_then(|r| r.values.first()) {
                            Some(Value::Integer { value }) => Some(*value > 0),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                Reply::Run(batch, Some(a.is_autocommit), objects)
            }
            _ => Reply::Run(batch, None, None),
        })
    }

    /// The error for a session the server no longer knows, naming what went with it.
    /// `reply_lost`: an earlier call's reply never arrived, which is why the server's session
    /// moved on without this connection (rather than idle expiry or a restart).
    fn lost(&self, what: &str, reply_lost: bool) -> Error {
        let why = if reply_lost {
            "after an earlier call's reply was lost (it timed out or the connection broke)"
        } else {
            "after it was idle (or restarted)"
        };
        error_from_sqlite_code(
            ffi::SQLITE_ABORT_ROLLBACK,
            Some(format!(
                "the libSQL server at {} no longer knows this connection's session {why}; \
                 lost: {what}. The connection continues on a new session",
                self.url
            )),
        )
    }

    fn failure(&self, failure: Failure) -> Error {
        match failure {
            Failure::StreamExpired => self.lost("nothing", false),
            other => from_failure(other, &self.url),
        }
    }

    /// Closes the stream on the server (rolls back an open transaction). Without a
    /// transaction it does not wait; with one it waits for the server, because the transaction
    /// holds the database's write lock until the stream closes, and a process that ends right
    /// after would leave other connections `DatabaseBusy` until the server expires the stream
    /// (closing a local connection releases its locks before returning too).
    pub(crate) fn close(&self) {
        let mut st = self.lock();
        st.open_cursor = None;
        let in_transaction = !st.autocommit;
        let Some(baton) = st.baton.take() else { return };
        let url = match &st.base_url {
            Some(b) => format!("{}/v3/pipeline", b.trim_end_matches('/')),
            None => self.pipeline_url.clone(),
        };
        let Ok(url) = transport::parse_url(&url) else {
            return;
        };
        let Ok(body) = request::close(&baton) else {
            return;
        };
        let auth = self.auth.clone();
        drop(st);
        if in_transaction {
            if let Ok(net) = self.net() {
                let http = &net.http;
                let _ = self.block_on(async move {
                    if let Ok(body) = http.post(url, auth.as_deref(), body).await {
                        let _ = transport::read_all(body).await;
                    }
                });
                return;
            }
        }
        let Ok(http) = transport::shared_conn() else {
            return;
        };
        bridge::spawn_detached(async move {
            if let Ok(body) = http.post(url, auth.as_deref(), body).await {
                let _ = transport::read_all(body).await;
            }
        });
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if let Some(net) = self.net.take() {
            net.give_back(std::mem::take(&mut self.base));
        }
    }
}

/// The error for a request that failed.
pub(super) fn from_failure(failure: Failure, url: &str) -> Error {
    match failure {
        Failure::Server { code, message } => from_hrana(&code, &message, url, None),
        Failure::StreamExpired => from_hrana("", "stream expired", url, None),
        Failure::Transport(text) => from_hrana("", &text, url, None),
        Failure::Call(e) => e,
    }
}

/// The error of a head statement (replayed setting or pending statement) that failed.
fn failed_prefix(result: &BatchResult, prefix: usize, url: &str) -> Error {
    match result.step_errors.iter().take(prefix).flatten().next() {
        Some(err) => from_hrana(&err.code, &err.message, url, None),
        None => error_from_sqlite_code(
            ffi::SQLITE_ERROR,
            Some("the server did not run the statement".into()),
        ),
    }
}

/// `ROLLBACK`, `ROLLBACK TO …` (a savepoint) included, after any leading comments.
fn is_rollback(sql: &str) -> bool {
    sql_text::starts_with_keyword(sql, &["rollback"])
}

fn is_begin(sql: &str) -> bool {
    matches!(sql_text::tx_control(sql), TxControl::Begin(_))
}
