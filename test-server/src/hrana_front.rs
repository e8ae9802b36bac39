//! Hrana v2/v3 over HTTP: crates.io `hrana-server` behind our HTTP front, with sqld-style
//! error codes (see `errors.rs`) and sqld-like HTTP statuses for request-level failures.

use crate::errors::{self, ErrorMode, Rewriter};
use crate::http::HttpReply;
use hrana_server::{
    handle_cursor, handle_pipeline, ConnectionInfo, CursorRequest, HranaBackend, HranaConfig, HranaError,
    PipelineError, PipelineRequest, SessionManager,
};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};

type Conn = Arc<Mutex<rusqlite::Connection>>;

thread_local! {
    /// Connection opened by `Backend::connection` during the current request on this thread.
    static NEW_CONN: RefCell<Option<Conn>> = const { RefCell::new(None) };
}

pub struct Backend {
    pub path: PathBuf,
    pub busy_timeout_ms: u64,
}

/// Refuse what would checkpoint or reset the WAL inside a replication generation.
fn authorize(ctx: AuthContext<'_>) -> Authorization {
    if let AuthAction::Pragma { pragma_name, pragma_value } = ctx.action {
        let name = pragma_name.to_ascii_lowercase();
        let value = pragma_value.map(|v| v.trim_matches(|c| c == '\'' || c == '"').to_ascii_lowercase());
        let denied = match (name.as_str(), value.as_deref()) {
            ("wal_checkpoint", _) => true,
            ("journal_mode", Some(v)) => v != "wal",
            ("wal_autocheckpoint", Some(v)) => v != "0",
            _ => false,
        };
        if denied {
            return Authorization::Deny;
        }
    }
    Authorization::Allow
}

impl HranaBackend for Backend {
    fn authenticate(&self, _token: &str) -> Result<String, HranaError> {
        // The bearer token is checked by the HTTP front (`--token`).
        Ok("db".into())
    }

    fn connection(&self, _database_id: &str) -> Result<ConnectionInfo, HranaError> {
        let internal = |e: rusqlite::Error| HranaError { message: e.to_string(), code: "INTERNAL".into() };
        let conn = rusqlite::Connection::open(&self.path).map_err(internal)?;
        crate::replica::configure_connection(&conn, self.busy_timeout_ms).map_err(internal)?;
        conn.authorizer(Some(authorize));
        let conn = Arc::new(Mutex::new(conn));
        NEW_CONN.with(|c| *c.borrow_mut() = Some(conn.clone()));
        Ok(ConnectionInfo { conn, query_timer: None })
    }

    fn is_writable(&self, _database_id: &str) -> bool {
        true
    }
}

fn json_reply(status: u16, v: &Value) -> HttpReply {
    HttpReply { status, body: serde_json::to_vec(v).unwrap(), content_type: "application/json" }
}

fn text_reply(status: u16, s: String) -> HttpReply {
    HttpReply { status, body: s.into_bytes(), content_type: "text/plain" }
}

/// SQL of each pipeline request: `Some(vec![sql])` for execute/describe, one entry per step
/// for batch, `None` for sequence (several statements) and the rest.
fn request_sqls(v: &Value) -> Vec<Vec<Option<String>>> {
    let sql_of = |stmt: &Value| stmt.get("sql").and_then(Value::as_str).map(str::to_owned);
    v.get("requests")
        .and_then(Value::as_array)
        .map(|reqs| {
            reqs.iter()
                .map(|r| match r.get("type").and_then(Value::as_str) {
                    Some("execute") => vec![r.get("stmt").and_then(sql_of)],
                    Some("describe") => vec![sql_of(r)],
                    Some("batch") => batch_sqls(r.get("batch")),
                    _ => vec![],
                })
                .collect()
        })
        .unwrap_or_default()
}

fn batch_sqls(batch: Option<&Value>) -> Vec<Option<String>> {
    batch
        .and_then(|b| b.get("steps"))
        .and_then(Value::as_array)
        .map(|steps| {
            steps
                .iter()
                .map(|s| s.get("stmt").and_then(|st| st.get("sql")).and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn pipeline_error(e: PipelineError) -> HttpReply {
    match e {
        PipelineError::Unauthorized(m) => json_reply(401, &json!({ "message": m, "code": "UNAUTHORIZED" })),
        PipelineError::BadRequest(m) if m.contains("expired") => json_reply(
            400,
            // What sqld/Turso send for an unknown or expired baton.
            &json!({ "message": "The stream has expired due to inactivity", "code": "STREAM_EXPIRED" }),
        ),
        PipelineError::BadRequest(m) => json_reply(400, &json!({ "message": m, "code": "PROTOCOL_ERROR" })),
        PipelineError::ReadOnly(m) => json_reply(403, &json!({ "message": m, "code": "READONLY" })),
        PipelineError::Internal(m) => json_reply(500, &json!({ "message": m, "code": "INTERNAL" })),
    }
}

pub struct Front {
    backend: Backend,
    sessions: SessionManager,
    config: HranaConfig,
    /// baton -> the stream's connection (weak: hrana-server's SessionManager owns it).
    conns: Mutex<HashMap<String, Weak<Mutex<rusqlite::Connection>>>>,
    mode: ErrorMode,
    verbose: bool,
}

impl Front {
    pub fn new(backend: Backend, mode: ErrorMode, stream_ttl: std::time::Duration, verbose: bool) -> Front {
        let config = HranaConfig {
            // hrana-server limits are far below sqld's; don't let tests trip over them.
            max_pipeline_requests: 1_000_000,
            max_batch_steps: 1_000_000,
            max_sql_length: 256 * 1024 * 1024,
            session_ttl: stream_ttl,
            ..HranaConfig::default()
        };
        let sessions = SessionManager::new(&config);
        Front { backend, sessions, config, conns: Mutex::new(HashMap::new()), mode, verbose }
    }

    /// Expire idle streams (rolling back their transactions) and forget dead connections.
    pub fn janitor_tick(&self) {
        self.sessions.cleanup_expired();
        self.conns.lock().unwrap().retain(|_, w| w.strong_count() > 0);
    }

    /// Whether any live Hrana stream has an open transaction.
    pub fn any_in_transaction(&self) -> bool {
        let conns: Vec<Conn> = self.conns.lock().unwrap().values().filter_map(Weak::upgrade).collect();
        conns.iter().any(|c| c.lock().map(|c| !c.is_autocommit()).unwrap_or(false))
    }

    fn trace_log(&self, log: &[(i32, String)]) {
        if self.verbose {
            for (code, text) in log {
                eprintln!("  sqlite log: ({code}) {text}");
            }
        }
    }

    fn take_conn(&self, baton: Option<&str>) -> Option<Conn> {
        baton.and_then(|b| self.conns.lock().unwrap().remove(b)).and_then(|w| w.upgrade())
    }

    fn remember(&self, baton: Option<&str>, conn: Option<&Conn>) {
        if let (Some(b), Some(c)) = (baton, conn) {
            self.conns.lock().unwrap().insert(b.to_owned(), Arc::downgrade(c));
        }
    }

    pub fn pipeline(&self, body: &[u8]) -> HttpReply {
        let mut v: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return text_reply(400, format!("Could not deserialize JSON request body: {e}")),
        };
        pad_blobs(&mut v);
        let baton = v.get("baton").and_then(Value::as_str).map(str::to_owned);
        let sqls = request_sqls(&v);
        let req: PipelineRequest = match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => return text_reply(400, format!("Could not deserialize JSON request body: {e}")),
        };
        // Keep the stream's connection alive until the errors are rewritten, even if the
        // pipeline closes the stream.
        let held = self.take_conn(baton.as_deref());
        NEW_CONN.with(|c| c.borrow_mut().take());
        errors::clear_thread_log();
        let result = handle_pipeline(&self.backend, &self.sessions, &self.config, "", req);
        let log = errors::take_thread_log();
        self.trace_log(&log);
        let conn = held.or_else(|| NEW_CONN.with(|c| c.borrow_mut().take()));
        let resp = match result {
            Ok(r) => r,
            Err(e) => return pipeline_error(e),
        };
        self.remember(resp.baton.as_deref(), conn.as_ref());
        let mut out = serde_json::to_value(&resp).unwrap();
        let mut rw = Rewriter::new(self.mode, log, conn.as_ref());
        if let Some(results) = out.get_mut("results").and_then(Value::as_array_mut) {
            for (i, r) in results.iter_mut().enumerate() {
                let stmt_sqls = sqls.get(i).map(Vec::as_slice).unwrap_or(&[]);
                match r.get("type").and_then(Value::as_str) {
                    Some("error") => {
                        let sql = if stmt_sqls.len() == 1 { stmt_sqls[0].as_deref() } else { None };
                        if let Some(e) = r.get_mut("error") {
                            rw.rewrite(e, sql);
                        }
                    }
                    Some("ok") => {
                        let errs = r
                            .get_mut("response")
                            .filter(|resp| resp.get("type").and_then(Value::as_str) == Some("batch"))
                            .and_then(|resp| resp.get_mut("result"))
                            .and_then(|res| res.get_mut("step_errors"))
                            .and_then(Value::as_array_mut);
                        if let Some(errs) = errs {
                            for (j, e) in errs.iter_mut().enumerate() {
                                if !e.is_null() {
                                    rw.rewrite(e, stmt_sqls.get(j).and_then(|s| s.as_deref()));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        json_reply(200, &out)
    }

    pub fn cursor(&self, body: &[u8]) -> HttpReply {
        let mut v: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return text_reply(400, format!("Could not deserialize JSON request body: {e}")),
        };
        pad_blobs(&mut v);
        let baton = v.get("baton").and_then(Value::as_str).map(str::to_owned);
        let sqls = batch_sqls(v.get("batch"));
        let req: CursorRequest = match serde_json::from_value(v) {
            Ok(r) => r,
            Err(e) => return text_reply(400, format!("Could not deserialize JSON request body: {e}")),
        };
        let held = self.take_conn(baton.as_deref());
        NEW_CONN.with(|c| c.borrow_mut().take());
        errors::clear_thread_log();
        let result = handle_cursor(&self.backend, &self.sessions, &self.config, "", req);
        let log = errors::take_thread_log();
        self.trace_log(&log);
        let conn = held.or_else(|| NEW_CONN.with(|c| c.borrow_mut().take()));
        let resp = match result {
            Ok(r) => r,
            Err(e) => return pipeline_error(e),
        };
        let mut rw = Rewriter::new(self.mode, log, conn.as_ref());
        let mut out = String::with_capacity(resp.ndjson.len() + 64);
        for (n, line) in resp.ndjson.lines().enumerate() {
            // Only the first line (the baton) and step errors are changed; rows pass as they are
            // (parsing and re-serializing every row cost the server time per row).
            if n > 0 && !line.contains("\"step_error\"") {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let mut entry: Value = match serde_json::from_str(line) {
                Ok(e) => e,
                Err(_) => {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
            };
            if n == 0 {
                self.remember(entry.get("baton").and_then(Value::as_str), conn.as_ref());
            } else if entry.get("type").and_then(Value::as_str) == Some("step_error") {
                let step = entry.get("step").and_then(Value::as_u64).unwrap_or(u64::MAX) as usize;
                let sql = sqls.get(step).and_then(|s| s.clone());
                if let Some(e) = entry.get_mut("error") {
                    rw.rewrite(e, sql.as_deref());
                }
            }
            out.push_str(&serde_json::to_string(&entry).unwrap());
            out.push('\n');
        }
        HttpReply { status: 200, body: out.into_bytes(), content_type: "text/plain" }
    }
}

/// libsql sends blob values as unpadded base64 (as the Hrana spec allows and sqld accepts);
/// hrana-server only decodes padded base64, so pad every blob value before parsing.
fn pad_blobs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let is_blob = map.get("type").and_then(Value::as_str) == Some("blob");
            if is_blob {
                if let Some(Value::String(b64)) = map.get_mut("base64") {
                    while b64.len() % 4 != 0 {
                        b64.push('=');
                    }
                }
            }
            for child in map.values_mut() {
                pad_blobs(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(pad_blobs),
        _ => {}
    }
}
