//! Rewrites hrana-server's statement errors into the codes and messages sqld sends.
//!
//! hrana-server 0.1.0 (`types::map_sql_error`) reduces every rusqlite error to one of
//! `CONSTRAINT_VIOLATION`, `PERMISSION_DENIED`, `QUERY_TIMEOUT`, `UNKNOWN` (any other
//! `SqliteFailure`, and non-SQLite rusqlite errors with the message "SQL execution error"),
//! `SQL_PARSE_ERROR` (rusqlite `SqlInputError`: a prepare error with a byte offset) and its own
//! `INVALID_ARGUMENT` / `INTERNAL`. The SQLite result code itself is dropped.
//!
//! We get it back from SQLite's error log (`sqlite3_config(SQLITE_CONFIG_LOG)`): SQLite calls
//! the log callback, on the failing thread, with the *extended* result code and a text that
//! contains the error message ("abort at 7 in [INSERT ...]: UNIQUE constraint failed: t.a",
//! "no such table: nope in \"SELECT ...\"", "statement aborts at 3: [..] database is locked").
//! Every Hrana request runs on one worker thread, so a thread-local buffer collects the entries
//! of that request; each error of the response is matched (in execution order) to the first
//! unused entry whose text contains its message. Errors SQLite does not log fall back to a table
//! of well-known messages.

use serde_json::Value;
use std::cell::RefCell;
use std::os::raw::c_int;
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorMode {
    /// Exactly sqld's strings: `SQLITE_<PRIMARY>` (code 1 is `SQLITE_UNKNOWN`, as in sqld),
    /// `SQL_INPUT_ERROR`, `SQL_PARSE_ERROR`, `SQL_MANY_STATEMENTS`, `ARGS_INVALID`.
    Sqld,
    /// Like `Sqld`, but SQLite result codes carry the full extended name
    /// (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT`, `SQLITE_ERROR`, ...).
    Extended,
    /// hrana-server's own codes and messages, untouched.
    Raw,
}

impl ErrorMode {
    pub fn parse(s: &str) -> Option<ErrorMode> {
        match s {
            "sqld" => Some(ErrorMode::Sqld),
            "extended" => Some(ErrorMode::Extended),
            "raw" => Some(ErrorMode::Raw),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SQLite error log capture
// ---------------------------------------------------------------------------------------------

const MAX_LOG_ENTRIES: usize = 4096;

thread_local! {
    static SQLITE_LOG: RefCell<Vec<(i32, String)>> = const { RefCell::new(Vec::new()) };
}

fn log_callback(code: c_int, msg: &str) {
    SQLITE_LOG.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            if l.len() < MAX_LOG_ENTRIES {
                l.push((code, msg.to_owned()));
            }
        }
    });
}

/// Must run before the first SQLite connection is opened (sqlite3_config is only allowed
/// before sqlite3_initialize).
pub fn install_sqlite_log() {
    // SAFETY: called once at startup, before any other SQLite call; the callback only touches
    // thread-local state and never calls into SQLite.
    if let Err(e) = unsafe { rusqlite::trace::config_log(Some(log_callback)) } {
        eprintln!("dbcompat-test-server: warning: cannot install the SQLite error log ({e}); error codes fall back to message matching");
    }
}

/// Forget the entries collected so far on this thread (call before each Hrana request).
pub fn clear_thread_log() {
    SQLITE_LOG.with(|l| l.borrow_mut().clear());
}

/// Take the entries collected on this thread since the last clear.
pub fn take_thread_log() -> Vec<(i32, String)> {
    SQLITE_LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

// ---------------------------------------------------------------------------------------------
// Code names
// ---------------------------------------------------------------------------------------------

/// Primary and extended result code names (SQLite 3.49.1 `sqlite3.h`).
pub const CODE_NAMES: &[(i32, &str)] = &[
    (1, "SQLITE_ERROR"),
    (2, "SQLITE_INTERNAL"),
    (3, "SQLITE_PERM"),
    (4, "SQLITE_ABORT"),
    (5, "SQLITE_BUSY"),
    (6, "SQLITE_LOCKED"),
    (7, "SQLITE_NOMEM"),
    (8, "SQLITE_READONLY"),
    (9, "SQLITE_INTERRUPT"),
    (10, "SQLITE_IOERR"),
    (11, "SQLITE_CORRUPT"),
    (12, "SQLITE_NOTFOUND"),
    (13, "SQLITE_FULL"),
    (14, "SQLITE_CANTOPEN"),
    (15, "SQLITE_PROTOCOL"),
    (16, "SQLITE_EMPTY"),
    (17, "SQLITE_SCHEMA"),
    (18, "SQLITE_TOOBIG"),
    (19, "SQLITE_CONSTRAINT"),
    (20, "SQLITE_MISMATCH"),
    (21, "SQLITE_MISUSE"),
    (22, "SQLITE_NOLFS"),
    (23, "SQLITE_AUTH"),
    (24, "SQLITE_FORMAT"),
    (25, "SQLITE_RANGE"),
    (26, "SQLITE_NOTADB"),
    (27, "SQLITE_NOTICE"),
    (28, "SQLITE_WARNING"),
    (257, "SQLITE_ERROR_MISSING_COLLSEQ"),
    (513, "SQLITE_ERROR_RETRY"),
    (769, "SQLITE_ERROR_SNAPSHOT"),
    (266, "SQLITE_IOERR_READ"),
    (522, "SQLITE_IOERR_SHORT_READ"),
    (778, "SQLITE_IOERR_WRITE"),
    (1034, "SQLITE_IOERR_FSYNC"),
    (1290, "SQLITE_IOERR_DIR_FSYNC"),
    (1546, "SQLITE_IOERR_TRUNCATE"),
    (1802, "SQLITE_IOERR_FSTAT"),
    (2058, "SQLITE_IOERR_UNLOCK"),
    (2314, "SQLITE_IOERR_RDLOCK"),
    (2570, "SQLITE_IOERR_DELETE"),
    (2826, "SQLITE_IOERR_BLOCKED"),
    (3082, "SQLITE_IOERR_NOMEM"),
    (3338, "SQLITE_IOERR_ACCESS"),
    (3594, "SQLITE_IOERR_CHECKRESERVEDLOCK"),
    (3850, "SQLITE_IOERR_LOCK"),
    (4106, "SQLITE_IOERR_CLOSE"),
    (4362, "SQLITE_IOERR_DIR_CLOSE"),
    (4618, "SQLITE_IOERR_SHMOPEN"),
    (4874, "SQLITE_IOERR_SHMSIZE"),
    (5130, "SQLITE_IOERR_SHMLOCK"),
    (5386, "SQLITE_IOERR_SHMMAP"),
    (5642, "SQLITE_IOERR_SEEK"),
    (5898, "SQLITE_IOERR_DELETE_NOENT"),
    (6154, "SQLITE_IOERR_MMAP"),
    (6410, "SQLITE_IOERR_GETTEMPPATH"),
    (6666, "SQLITE_IOERR_CONVPATH"),
    (6922, "SQLITE_IOERR_VNODE"),
    (7178, "SQLITE_IOERR_AUTH"),
    (7434, "SQLITE_IOERR_BEGIN_ATOMIC"),
    (7690, "SQLITE_IOERR_COMMIT_ATOMIC"),
    (7946, "SQLITE_IOERR_ROLLBACK_ATOMIC"),
    (8202, "SQLITE_IOERR_DATA"),
    (8458, "SQLITE_IOERR_CORRUPTFS"),
    (8714, "SQLITE_IOERR_IN_PAGE"),
    (262, "SQLITE_LOCKED_SHAREDCACHE"),
    (518, "SQLITE_LOCKED_VTAB"),
    (261, "SQLITE_BUSY_RECOVERY"),
    (517, "SQLITE_BUSY_SNAPSHOT"),
    (773, "SQLITE_BUSY_TIMEOUT"),
    (270, "SQLITE_CANTOPEN_NOTEMPDIR"),
    (526, "SQLITE_CANTOPEN_ISDIR"),
    (782, "SQLITE_CANTOPEN_FULLPATH"),
    (1038, "SQLITE_CANTOPEN_CONVPATH"),
    (1294, "SQLITE_CANTOPEN_DIRTYWAL"),
    (1550, "SQLITE_CANTOPEN_SYMLINK"),
    (267, "SQLITE_CORRUPT_VTAB"),
    (523, "SQLITE_CORRUPT_SEQUENCE"),
    (779, "SQLITE_CORRUPT_INDEX"),
    (264, "SQLITE_READONLY_RECOVERY"),
    (520, "SQLITE_READONLY_CANTLOCK"),
    (776, "SQLITE_READONLY_ROLLBACK"),
    (1032, "SQLITE_READONLY_DBMOVED"),
    (1288, "SQLITE_READONLY_CANTINIT"),
    (1544, "SQLITE_READONLY_DIRECTORY"),
    (516, "SQLITE_ABORT_ROLLBACK"),
    (275, "SQLITE_CONSTRAINT_CHECK"),
    (531, "SQLITE_CONSTRAINT_COMMITHOOK"),
    (787, "SQLITE_CONSTRAINT_FOREIGNKEY"),
    (1043, "SQLITE_CONSTRAINT_FUNCTION"),
    (1299, "SQLITE_CONSTRAINT_NOTNULL"),
    (1555, "SQLITE_CONSTRAINT_PRIMARYKEY"),
    (1811, "SQLITE_CONSTRAINT_TRIGGER"),
    (2067, "SQLITE_CONSTRAINT_UNIQUE"),
    (2323, "SQLITE_CONSTRAINT_VTAB"),
    (2579, "SQLITE_CONSTRAINT_ROWID"),
    (2835, "SQLITE_CONSTRAINT_PINNED"),
    (3091, "SQLITE_CONSTRAINT_DATATYPE"),
    (283, "SQLITE_NOTICE_RECOVER_WAL"),
    (539, "SQLITE_NOTICE_RECOVER_ROLLBACK"),
    (795, "SQLITE_NOTICE_RBU"),
    (284, "SQLITE_WARNING_AUTOINDEX"),
    (279, "SQLITE_AUTH_USER"),
];

/// Full SQLite name of a (primary or extended) result code; unknown extended codes fall back
/// to their primary name.
pub fn code_name(code: i32) -> &'static str {
    CODE_NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .or_else(|| CODE_NAMES.iter().find(|(c, _)| *c == code & 0xff))
        .map(|(_, n)| *n)
        .unwrap_or("SQLITE_UNKNOWN")
}

/// What sqld (`libsql-server/src/hrana/stmt.rs::sqlite_error_code`) sends for a result code:
/// the primary name via rusqlite's `ErrorCode`, which has no variant for SQLITE_ERROR (1),
/// SQLITE_EMPTY, SQLITE_FORMAT, SQLITE_NOTICE and SQLITE_WARNING, so those become
/// `SQLITE_UNKNOWN`.
pub fn sqld_code_name(code: i32) -> &'static str {
    match code & 0xff {
        1 | 16 | 24 | 27 | 28 => "SQLITE_UNKNOWN",
        p => code_name(p),
    }
}

/// Result code for errors SQLite does not pass to its error log (or when the log could not be
/// matched), derived from the message (the texts of `sqlite3ErrStr` and of the constraint
/// checks).
fn code_from_message(msg: &str) -> Option<i32> {
    const TABLE: &[(&str, i32)] = &[
        ("UNIQUE constraint failed", 2067),
        ("NOT NULL constraint failed", 1299),
        ("CHECK constraint failed", 275),
        ("FOREIGN KEY constraint failed", 787),
        ("PRIMARY KEY constraint failed", 1555),
        ("cannot store", 3091), // STRICT tables: "cannot store TEXT value in INT column t.a"
        ("constraint failed", 19),
        ("database table is locked", 6),
        ("database schema is locked", 6),
        ("database is locked", 5),
        ("attempt to write a readonly database", 8),
        ("interrupted", 9),
        ("disk I/O error", 10),
        ("database disk image is malformed", 11),
        ("database or disk is full", 13),
        ("unable to open database file", 14),
        ("locking protocol", 15),
        ("database schema has changed", 17),
        ("string or blob too big", 18),
        ("datatype mismatch", 20),
        ("bad parameter or other API misuse", 21),
        ("not authorized", 23),
        ("column index out of range", 25),
        ("file is not a database", 26),
        ("out of memory", 7),
        ("query aborted", 4),
    ];
    TABLE.iter().find(|(needle, _)| msg.contains(needle)).map(|(_, c)| *c)
}

/// Messages of SQLite syntax errors (`sqlite3RunParser`); sqld rejects these in its own parser
/// before SQLite sees them and reports `SQL_PARSE_ERROR`.
fn is_syntax_error(msg: &str) -> bool {
    msg.contains("syntax error") || msg.starts_with("unrecognized token") || msg == "incomplete input"
}

// ---------------------------------------------------------------------------------------------
// Rewriting
// ---------------------------------------------------------------------------------------------

pub struct Rewriter<'a> {
    mode: ErrorMode,
    log: Vec<(i32, String)>,
    next: usize,
    conn: Option<&'a Arc<Mutex<rusqlite::Connection>>>,
}

impl<'a> Rewriter<'a> {
    pub fn new(
        mode: ErrorMode,
        log: Vec<(i32, String)>,
        conn: Option<&'a Arc<Mutex<rusqlite::Connection>>>,
    ) -> Self {
        Rewriter { mode, log, next: 0, conn }
    }

    /// Extended result code logged by SQLite for this message (consumes the log entry).
    fn logged_code(&mut self, msg: &str) -> Option<i32> {
        if msg.is_empty() {
            return None;
        }
        let pos = self.log[self.next..]
            .iter()
            .position(|(code, text)| (code & 0xff) != 27 && (code & 0xff) != 28 && text.contains(msg))?;
        let code = self.log[self.next + pos].0;
        self.next += pos + 1;
        Some(code)
    }

    /// Re-prepare `sql` on the stream's connection to learn what rusqlite reported
    /// (byte offset of an input error, or `MultipleStatement`). Preparing has no side effects.
    fn reprepare(&self, sql: &str) -> Option<rusqlite::Error> {
        let conn = self.conn?.lock().ok()?;
        conn.prepare(sql).err()
    }

    /// Rewrite one Hrana error object (`{"message", "code"}`) in place.
    /// `sql`: the statement's SQL text when it is a single statement (execute, batch step,
    /// describe, cursor step); `None` for `sequence` requests.
    pub fn rewrite(&mut self, err: &mut Value, sql: Option<&str>) {
        if self.mode == ErrorMode::Raw {
            return;
        }
        let Some(obj) = err.as_object_mut() else { return };
        let message = obj.get("message").and_then(Value::as_str).unwrap_or("").to_owned();
        let code = obj.get("code").and_then(Value::as_str).unwrap_or("").to_owned();

        let (new_code, new_message, ext): (String, String, Option<i32>) = match code.as_str() {
            "CONSTRAINT_VIOLATION" | "PERMISSION_DENIED" | "QUERY_TIMEOUT" | "UNKNOWN" => {
                if message == "SQL execution error" {
                    // A non-SQLite rusqlite error; the only one reachable from Hrana is
                    // rusqlite's `MultipleStatement` check in `prepare`.
                    if let Some(rusqlite::Error::MultipleStatement) = sql.and_then(|s| self.reprepare(s)) {
                        (
                            "SQL_MANY_STATEMENTS".into(),
                            "SQL string contains more than one statement".into(),
                            None,
                        )
                    } else {
                        ("SQLITE_UNKNOWN".into(), format!("SQLite error: {message}"), None)
                    }
                } else {
                    let ext = self
                        .logged_code(&message)
                        .or_else(|| code_from_message(&message))
                        .or(match code.as_str() {
                            "CONSTRAINT_VIOLATION" => Some(19),
                            "PERMISSION_DENIED" => Some(23),
                            "QUERY_TIMEOUT" => Some(9),
                            _ => None,
                        });
                    let name = match (ext, self.mode) {
                        (Some(e), ErrorMode::Extended) => code_name(e).to_owned(),
                        (Some(e), _) => sqld_code_name(e).to_owned(),
                        (None, _) => "SQLITE_UNKNOWN".to_owned(),
                    };
                    (name, format!("SQLite error: {message}"), ext)
                }
            }
            "SQL_PARSE_ERROR" => {
                // rusqlite SqlInputError: SQLITE_ERROR from prepare with an error offset.
                let ext = self.logged_code(&message).or(Some(1));
                if is_syntax_error(&message) {
                    ("SQL_PARSE_ERROR".into(), format!("SQL string could not be parsed: {message}"), ext)
                } else {
                    let offset = match sql.and_then(|s| self.reprepare(s)) {
                        Some(rusqlite::Error::SqlInputError { offset, msg, .. }) if msg == message => Some(offset),
                        _ => None,
                    };
                    let text = match offset {
                        Some(o) => format!("SQL input error: {message} (at offset {o})"),
                        None => format!("SQL input error: {message}"),
                    };
                    ("SQL_INPUT_ERROR".into(), text, ext)
                }
            }
            "INVALID_ARGUMENT" => (
                "ARGS_INVALID".into(),
                format!("Arguments do not match SQL parameters: {message}"),
                None,
            ),
            _ => return, // INTERNAL and anything unknown: leave as is
        };
        obj.insert("code".into(), Value::String(new_code));
        obj.insert("message".into(), Value::String(new_message));
        if let Some(e) = ext {
            // Not part of Hrana; libsql ignores unknown fields. For raw-HTTP tests and debugging.
            obj.insert("sqlite_extended_code".into(), Value::from(e));
        }
    }
}
