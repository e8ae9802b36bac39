//! Runs generated operations on an in-memory connection and records one line per
//! operation: its description and its exact outcome (`Ok(value)` with `Debug`, or the
//! error's `Debug` and `Display`), followed by the connection counters.
//!
//! Written once against `rusqlite::` paths; each binary aliases the crate under test as
//! `rusqlite`. Nothing here panics on an operation's failure: errors are recorded, and a
//! panic inside the crate under test is caught and recorded as the outcome.
//!
//! Compiled with `cfg(rusqlite_0_43)` (differential/v0_43) it runs against the rusqlite 0.43
//! API: database names are `Name`s, and the few signatures that changed are bridged by small
//! per-version helpers below; every operation runs under both versions.

use crate::ops::{
    Args, Behavior, BindIdx, Col, DropHow, ExecApi, Form, Mode, Op, PragmaOp, Prep, QueryApi,
    RawApi, ReadAs, ScopeEnd, ScopeHow, Val,
};
use crate::ops::{Hooks, LimitKind};
use rusqlite::functions::FunctionFlags;
use rusqlite::limits::Limit;
use rusqlite::types::{Null, ToSql, Value};
use rusqlite::{
    named_params, params, params_from_iter, Connection, DropBehavior, Error, OptionalExtension,
    Params, Row, Savepoint, Statement, Transaction, TransactionBehavior, MAIN_DB,
};
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

/// An attached database's name: `DatabaseName::Attached` in 0.34, a `Name` (`&str`) in 0.43.
#[cfg(not(rusqlite_0_43))]
fn attached(name: &str) -> rusqlite::DatabaseName<'_> {
    rusqlite::DatabaseName::Attached(name)
}

#[cfg(rusqlite_0_43)]
fn attached(name: &str) -> &str {
    name
}

/// At most this many rows are read from one query.
const MAX_ROWS: usize = 40;

/// [`Mode::Remote`]'s first statement, on both sides: a server database keeps the internal
/// `sqlite_sequence` table once any AUTOINCREMENT table existed (it cannot be dropped), so the
/// in-memory reference gets one too, empty, and both start from the same schema.
const REMOTE_PRELUDE: &str =
    "CREATE TABLE prelude_seq (id INTEGER PRIMARY KEY AUTOINCREMENT); DROP TABLE prelude_seq";

/// Runs `ops` on the database `open` gives (a fresh in-memory one, or an emptied server
/// database in [`Mode::Remote`]) and returns the transcript lines.
///
/// Operations that only need `&Connection` catch a panic of the crate under test and
/// record it as their outcome; a panic anywhere else (opening or ending a transaction)
/// ends the transcript with a `PANIC` line.
pub fn run(ops: &[Op], mode: Mode, open: fn() -> rusqlite::Result<Connection>) -> Vec<String> {
    let mut lines = Vec::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut t = Transcript {
            lines: &mut lines,
            log: Arc::default(),
            mode,
        };
        match open() {
            Ok(mut conn) => {
                if mode == Mode::Remote {
                    let outcome = show(conn.execute_batch(REMOTE_PRELUDE));
                    t.record(&conn, &format!("prelude {REMOTE_PRELUDE:?}"), &outcome);
                }
                t.block(&mut conn, ops);
                // Real rusqlite 0.43 leaves its hooks installed on close, and SQLite frees
                // their closures (client data) before it rolls back a transaction still open
                // and calls the rollback hook: a use-after-free (SIGSEGV). 0.34 removes the
                // hooks first, so none is called on close; do the same for 0.43, on both sides.
                #[cfg(rusqlite_0_43)]
                {
                    let outcome = install_hooks(&mut conn, Hooks::Off, &t.log);
                    t.record(&conn, "remove hooks before close", &outcome);
                }
                let n = t.lines.len();
                let closed = match conn.close() {
                    Ok(()) => "Ok(())".to_string(),
                    Err((_, e)) => fmt_err(&e),
                };
                t.lines.push(format!("{n:04} close => {closed}"));
            }
            Err(e) => t.lines.push(format!("open => {}", fmt_err(&e))),
        }
    }));
    if let Err(panic) = result {
        let n = lines.len();
        lines.push(format!("{n:04} {}", panic_text(&*panic)));
    }
    lines
}

struct Transcript<'l> {
    lines: &'l mut Vec<String>,
    /// Hook calls since the last recorded line.
    log: Arc<Mutex<Vec<String>>>,
    mode: Mode,
}

fn push_log(log: &Mutex<Vec<String>>, event: String) {
    if let Ok(mut log) = log.lock() {
        log.push(event);
    }
}

impl Transcript<'_> {
    fn record(&mut self, conn: &Connection, desc: &str, outcome: &str) {
        let mut counters = format!(
            "changes={} last_rowid={} total={} autocommit={} busy={}",
            conn.changes(),
            conn.last_insert_rowid(),
            conn.total_changes(),
            conn.is_autocommit(),
            conn.is_busy()
        );
        let events: Vec<String> = match self.log.lock() {
            Ok(mut log) => log.drain(..).collect(),
            Err(_) => vec!["log poisoned".to_string()],
        };
        if !events.is_empty() {
            counters.push_str(&format!(" hooks=[{}]", events.join(", ")));
        }
        let n = self.lines.len();
        self.lines
            .push(format!("{n:04} {desc} => {outcome} | {counters}"));
    }

    fn block(&mut self, host: &mut dyn Host, ops: &[Op]) {
        for op in ops {
            match op {
                Op::Scope { how, body, end } => self.scope(host, op, how, body, *end),
                Op::SetTxBehavior(b) => {
                    let outcome = match host.top() {
                        Some(conn) => {
                            conn.set_transaction_behavior(behavior(*b));
                            "Ok(())".to_string()
                        }
                        None => "skipped: not at top level".to_string(),
                    };
                    self.record(host.conn(), &op.describe(), &outcome);
                }
                Op::Hooks(h) => {
                    #[cfg(not(rusqlite_0_43))]
                    let outcome = {
                        let conn = host.conn();
                        guarded(|| install_hooks(conn, *h, &self.log))
                    };
                    // 0.43's hook setters take `&mut Connection`: only the top level has one.
                    #[cfg(rusqlite_0_43)]
                    let outcome = match host.top() {
                        Some(conn) => guarded(|| install_hooks(conn, *h, &self.log)),
                        None => "skipped: not at top level".to_string(),
                    };
                    self.record(host.conn(), &op.describe(), &outcome);
                }
                _ => {
                    let conn = host.conn();
                    let outcome = guarded(|| simple(conn, op, self.mode));
                    self.record(conn, &op.describe(), &outcome);
                }
            }
        }
    }

    fn scope(&mut self, host: &mut dyn Host, op: &Op, how: &ScopeHow, body: &[Op], end: ScopeEnd) {
        // Split so that the borrow of `host` held by the scope ends before `host` is used again.
        let ended = match host.open(how) {
            Ok(mut scope) => {
                self.record(scope.conn(), &op.describe(), "Ok(opened)");
                self.block(&mut scope, body);
                Ok(guarded(move || show(scope.end(end))))
            }
            Err(e) => Err(fmt_err(&e)),
        };
        match ended {
            Ok(outcome) => self.record(host.conn(), &format!("end {end:?}"), &outcome),
            Err(outcome) => {
                self.record(host.conn(), &op.describe(), &outcome);
                // The body still runs, outside any transaction.
                self.block(host, body);
                self.record(host.conn(), &format!("end {end:?}"), "skipped: not opened");
            }
        }
    }
}

/// Where operations run: the connection itself, or an open transaction/savepoint.
trait Host {
    fn conn(&self) -> &Connection;
    fn open(&mut self, how: &ScopeHow) -> rusqlite::Result<Scope<'_>>;
    /// The connection, when this is the top level (for `&mut Connection` methods).
    fn top(&mut self) -> Option<&mut Connection>;
}

enum Scope<'a> {
    Tx(Transaction<'a>),
    Sp(Savepoint<'a>),
}

fn behavior(b: Behavior) -> TransactionBehavior {
    match b {
        Behavior::Deferred => TransactionBehavior::Deferred,
        Behavior::Immediate => TransactionBehavior::Immediate,
        Behavior::Exclusive => TransactionBehavior::Exclusive,
    }
}

fn drop_behavior(d: DropHow) -> DropBehavior {
    match d {
        DropHow::Rollback => DropBehavior::Rollback,
        DropHow::Commit => DropBehavior::Commit,
        DropHow::Ignore => DropBehavior::Ignore,
    }
}

impl Host for Connection {
    fn conn(&self) -> &Connection {
        self
    }

    fn open(&mut self, how: &ScopeHow) -> rusqlite::Result<Scope<'_>> {
        match how {
            ScopeHow::Transaction => self.transaction().map(Scope::Tx),
            ScopeHow::TransactionWith(b) => {
                self.transaction_with_behavior(behavior(*b)).map(Scope::Tx)
            }
            ScopeHow::Unchecked => self.unchecked_transaction().map(Scope::Tx),
            ScopeHow::Savepoint => self.savepoint().map(Scope::Sp),
            ScopeHow::SavepointNamed(name) => self.savepoint_with_name(name.clone()).map(Scope::Sp),
        }
    }

    fn top(&mut self) -> Option<&mut Connection> {
        Some(self)
    }
}

impl Host for Scope<'_> {
    fn conn(&self) -> &Connection {
        match self {
            Scope::Tx(tx) => tx,
            Scope::Sp(sp) => sp,
        }
    }

    fn open(&mut self, how: &ScopeHow) -> rusqlite::Result<Scope<'_>> {
        match how {
            ScopeHow::Transaction => {
                Transaction::new_unchecked(self.conn(), TransactionBehavior::Deferred)
                    .map(Scope::Tx)
            }
            ScopeHow::TransactionWith(b) => {
                Transaction::new_unchecked(self.conn(), behavior(*b)).map(Scope::Tx)
            }
            ScopeHow::Unchecked => self.conn().unchecked_transaction().map(Scope::Tx),
            ScopeHow::Savepoint => match self {
                Scope::Tx(tx) => tx.savepoint().map(Scope::Sp),
                Scope::Sp(sp) => sp.savepoint().map(Scope::Sp),
            },
            ScopeHow::SavepointNamed(name) => match self {
                Scope::Tx(tx) => tx.savepoint_with_name(name.clone()).map(Scope::Sp),
                Scope::Sp(sp) => sp.savepoint_with_name(name.clone()).map(Scope::Sp),
            },
        }
    }

    fn top(&mut self) -> Option<&mut Connection> {
        None
    }
}

impl Scope<'_> {
    fn end(self, end: ScopeEnd) -> rusqlite::Result<()> {
        match (self, end) {
            (Scope::Tx(tx), ScopeEnd::Commit) => tx.commit(),
            (Scope::Tx(tx), ScopeEnd::Rollback | ScopeEnd::RollbackThenCommit) => tx.rollback(),
            (Scope::Tx(tx), ScopeEnd::Finish) => tx.finish(),
            (Scope::Tx(mut tx), ScopeEnd::Drop(d)) => {
                tx.set_drop_behavior(drop_behavior(d));
                drop(tx);
                Ok(())
            }
            (Scope::Tx(tx), ScopeEnd::DropDefault) => {
                drop(tx);
                Ok(())
            }
            (Scope::Sp(sp), ScopeEnd::Commit) => sp.commit(),
            (Scope::Sp(mut sp), ScopeEnd::Rollback) => sp.rollback(),
            (Scope::Sp(mut sp), ScopeEnd::RollbackThenCommit) => {
                sp.rollback()?;
                sp.commit()
            }
            (Scope::Sp(sp), ScopeEnd::Finish) => sp.finish(),
            (Scope::Sp(mut sp), ScopeEnd::Drop(d)) => {
                sp.set_drop_behavior(drop_behavior(d));
                drop(sp);
                Ok(())
            }
            (Scope::Sp(sp), ScopeEnd::DropDefault) => {
                drop(sp);
                Ok(())
            }
        }
    }
}

// ---- formatting ----

/// The error's `Debug`, `Display`, SQLite code and `source()`.
fn fmt_err(e: &Error) -> String {
    use std::error::Error as _;
    format!(
        "Err({e:?} / {:?} / code={:?} / source={:?})",
        e.to_string(),
        e.sqlite_error_code(),
        e.source().map(|s| s.to_string())
    )
}

fn show<T: Debug>(r: rusqlite::Result<T>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => fmt_err(&e),
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let msg = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-string panic".into());
    format!("PANIC({msg:?})")
}

/// Runs `f`, turning a panic into its recorded text.
fn guarded(f: impl FnOnce() -> String) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(s) => s,
        Err(panic) => panic_text(&*panic),
    }
}

// ---- values ----

fn boxed(v: &Val) -> Box<dyn ToSql + '_> {
    match v {
        Val::I64(x) => Box::new(*x),
        Val::I32(x) => Box::new(*x),
        Val::I16(x) => Box::new(*x),
        Val::I8(x) => Box::new(*x),
        Val::U8(x) => Box::new(*x),
        Val::U16(x) => Box::new(*x),
        Val::U32(x) => Box::new(*x),
        Val::U64(x) => Box::new(*x),
        Val::Usize(x) => Box::new(*x),
        Val::Isize(x) => Box::new(*x),
        Val::F64(x) => Box::new(*x),
        Val::F32(x) => Box::new(*x),
        Val::Bool(x) => Box::new(*x),
        Val::Text(s) => Box::new(s.clone()),
        Val::Str(s) => Box::new(s.as_str()),
        Val::Blob(b) => Box::new(b.clone()),
        Val::BlobSlice(b) => Box::new(b.as_slice()),
        Val::BlobArr(a) => Box::new(*a),
        Val::NoneI64 => Box::new(None::<i64>),
        Val::Null => Box::new(Null),
        Val::SomeI64(x) => Box::new(Some(*x)),
        Val::SomeText(s) => Box::new(Some(s.clone())),
        Val::VNull => Box::new(Value::Null),
        Val::VInt(x) => Box::new(Value::Integer(*x)),
        Val::VReal(x) => Box::new(Value::Real(*x)),
        Val::VText(s) => Box::new(Value::Text(s.clone())),
        Val::VBlob(b) => Box::new(Value::Blob(b.clone())),
        #[cfg(not(rusqlite_0_43))]
        Val::ZeroBlob(n) => Box::new(rusqlite::types::ToSqlOutput::ZeroBlob(*n)),
        // 0.43's length is a u64: a negative one becomes too big for SQLite, as it is in 0.34.
        #[cfg(rusqlite_0_43)]
        Val::ZeroBlob(n) => Box::new(rusqlite::types::ToSqlOutput::ZeroBlob(
            u64::try_from(*n).unwrap_or(u64::MAX),
        )),
        Val::ChronoDate(y, m, d) => match chrono::NaiveDate::from_ymd_opt(*y, *m, *d) {
            Some(v) => Box::new(v),
            None => Box::new(Null),
        },
        Val::ChronoTime(h, m, s, n) => match chrono::NaiveTime::from_hms_nano_opt(*h, *m, *s, *n) {
            Some(v) => Box::new(v),
            None => Box::new(Null),
        },
        Val::ChronoDateTime(secs, n) => match chrono::DateTime::from_timestamp(*secs, *n) {
            Some(v) => Box::new(v.naive_utc()),
            None => Box::new(Null),
        },
        Val::ChronoUtc(secs, n) => match chrono::DateTime::from_timestamp(*secs, *n) {
            Some(v) => Box::new(v),
            None => Box::new(Null),
        },
        Val::ChronoFixed(secs, off) => {
            match (
                chrono::DateTime::from_timestamp(*secs, 0),
                chrono::FixedOffset::east_opt(*off),
            ) {
                (Some(v), Some(off)) => Box::new(v.with_timezone(&off)),
                _ => Box::new(Null),
            }
        }
        Val::TimeOffset(secs, n, off) => {
            let v = time::OffsetDateTime::from_unix_timestamp(*secs)
                .ok()
                .and_then(|v| v.replace_nanosecond(*n).ok())
                .zip(time::UtcOffset::from_whole_seconds(*off).ok())
                .map(|(v, off)| v.to_offset(off));
            match v {
                Some(v) => Box::new(v),
                None => Box::new(Null),
            }
        }
        Val::TimeDate(y, d) => match time::Date::from_ordinal_date(*y, *d) {
            Ok(v) => Box::new(v),
            Err(_) => Box::new(Null),
        },
        Val::TimeTime(h, m, s, n) => match time::Time::from_hms_nano(*h, *m, *s, *n) {
            Ok(v) => Box::new(v),
            Err(_) => Box::new(Null),
        },
        Val::TimePrim(y, d, h, m, s) => {
            let v = time::Date::from_ordinal_date(*y, *d)
                .ok()
                .zip(time::Time::from_hms(*h, *m, *s).ok())
                .map(|(d, t)| time::PrimitiveDateTime::new(d, t));
            match v {
                Some(v) => Box::new(v),
                None => Box::new(Null),
            }
        }
        Val::Json(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => Box::new(v),
            Err(_) => Box::new(Null),
        },
        Val::Uuid(b) => Box::new(uuid::Uuid::from_bytes(*b)),
        Val::Url(u) => match url::Url::parse(u) {
            Ok(v) => Box::new(v),
            Err(_) => Box::new(Null),
        },
    }
}

/// Evaluates `$body` with `$p` bound to `$args` passed in the form it asks for. Each arm has
/// its own `Params` type, so the body is expanded once per form and arity.
macro_rules! with_params {
    ($args:expr, $p:ident => $body:expr) => {{
        let args: &Args = $args;
        let b: Vec<Box<dyn ToSql + '_>> = args.vals.iter().map(boxed).collect();
        let ints: Vec<i64> = args
            .vals
            .iter()
            .map(|v| if let Val::I64(i) = v { *i } else { 0 })
            .collect();
        match (args.form, b.len()) {
            (Form::Empty, _) => {
                let $p = [];
                $body
            }
            (Form::Unit, _) => {
                let $p = ();
                $body
            }
            (Form::Macro, 0) => {
                let $p = params![];
                $body
            }
            (Form::Macro, 1) => {
                let $p = params![b[0]];
                $body
            }
            (Form::Macro, 2) => {
                let $p = params![b[0], b[1]];
                $body
            }
            (Form::Macro, 3) => {
                let $p = params![b[0], b[1], b[2]];
                $body
            }
            (Form::Macro, 4) => {
                let $p = params![b[0], b[1], b[2], b[3]];
                $body
            }
            (Form::Tuple, 1) => {
                let $p = (&*b[0],);
                $body
            }
            (Form::Tuple, 2) => {
                let $p = (&*b[0], &*b[1]);
                $body
            }
            (Form::Tuple, 3) => {
                let $p = (&*b[0], &*b[1], &*b[2]);
                $body
            }
            (Form::Tuple, 4) => {
                let $p = (&*b[0], &*b[1], &*b[2], &*b[3]);
                $body
            }
            (Form::Array, 1) => {
                let $p = [&*b[0]];
                $body
            }
            (Form::Array, 2) => {
                let $p = [&*b[0], &*b[1]];
                $body
            }
            (Form::Array, 3) => {
                let $p = [&*b[0], &*b[1], &*b[2]];
                $body
            }
            (Form::Array, 4) => {
                let $p = [&*b[0], &*b[1], &*b[2], &*b[3]];
                $body
            }
            (Form::ArrayRef, 1) => {
                let $p = &[&*b[0]];
                $body
            }
            (Form::ArrayRef, 2) => {
                let $p = &[&*b[0], &*b[1]];
                $body
            }
            (Form::ArrayRef, 3) => {
                let $p = &[&*b[0], &*b[1], &*b[2]];
                $body
            }
            (Form::ArrayRef, 4) => {
                let $p = &[&*b[0], &*b[1], &*b[2], &*b[3]];
                $body
            }
            (Form::I64Array, 1) => {
                let $p = [ints[0]];
                $body
            }
            (Form::I64Array, 2) => {
                let $p = [ints[0], ints[1]];
                $body
            }
            (Form::I64Array, 3) => {
                let $p = [ints[0], ints[1], ints[2]];
                $body
            }
            (Form::NamedMacro, 1) => {
                let $p = named_params! {":a": b[0]};
                $body
            }
            (Form::NamedMacro, 2) => {
                let $p = named_params! {":a": b[0], ":b": b[1]};
                $body
            }
            (Form::NamedMacro, 3) => {
                let $p = named_params! {":a": b[0], ":b": b[1], ":c": b[2]};
                $body
            }
            (Form::Iter, _) => {
                let $p = params_from_iter(b.iter());
                $body
            }
            (Form::NamedSlice, _) => {
                let v: Vec<(&str, &dyn ToSql)> = args
                    .names
                    .iter()
                    .map(|n| n.as_str())
                    .zip(b.iter().map(|x| &**x as &dyn ToSql))
                    .collect();
                let $p = &v[..];
                $body
            }
            (Form::IndexedSlice, _) => {
                let v: Vec<(usize, &dyn ToSql)> = args
                    .indexes
                    .iter()
                    .copied()
                    .zip(b.iter().map(|x| &**x as &dyn ToSql))
                    .collect();
                let $p = &v[..];
                $body
            }
            // `Form::Slice`, and any arity the generator normalised to it.
            _ => {
                let v: Vec<&dyn ToSql> = b.iter().map(|x| &**x as &dyn ToSql).collect();
                let $p = &v[..];
                $body
            }
        }
    }};
}

/// Reads one column as the requested type; the value is formatted with `Debug`.
fn read_col(row: &Row<'_>, col: &Col, read: ReadAs) -> rusqlite::Result<String> {
    macro_rules! get {
        ($t:ty) => {
            match col {
                Col::Idx(i) => row.get::<_, $t>(*i).map(|v| format!("{v:?}")),
                Col::Name(n) => row.get::<_, $t>(n.as_str()).map(|v| format!("{v:?}")),
            }
        };
    }
    match read {
        ReadAs::I8 => get!(i8),
        ReadAs::U8 => get!(u8),
        ReadAs::I16 => get!(i16),
        ReadAs::U16 => get!(u16),
        ReadAs::I32 => get!(i32),
        ReadAs::U32 => get!(u32),
        ReadAs::I64 => get!(i64),
        ReadAs::U64 => get!(u64),
        ReadAs::Usize => get!(usize),
        ReadAs::Isize => get!(isize),
        ReadAs::F32 => get!(f32),
        ReadAs::F64 => get!(f64),
        ReadAs::Bool => get!(bool),
        ReadAs::String => get!(String),
        ReadAs::BoxStr => get!(Box<str>),
        ReadAs::Bytes => get!(Vec<u8>),
        ReadAs::Arr4 => get!([u8; 4]),
        ReadAs::OptI64 => get!(Option<i64>),
        ReadAs::OptF64 => get!(Option<f64>),
        ReadAs::OptString => get!(Option<String>),
        ReadAs::OptBytes => get!(Option<Vec<u8>>),
        ReadAs::Value => get!(Value),
        ReadAs::ChronoDate => get!(chrono::NaiveDate),
        ReadAs::ChronoTime => get!(chrono::NaiveTime),
        ReadAs::ChronoDateTime => get!(chrono::NaiveDateTime),
        ReadAs::ChronoUtc => get!(chrono::DateTime<chrono::Utc>),
        ReadAs::ChronoFixed => get!(chrono::DateTime<chrono::FixedOffset>),
        ReadAs::TimeOffset => get!(time::OffsetDateTime),
        ReadAs::TimeDate => get!(time::Date),
        ReadAs::TimeTime => get!(time::Time),
        ReadAs::TimePrim => get!(time::PrimitiveDateTime),
        ReadAs::Json => get!(serde_json::Value),
        ReadAs::Uuid => get!(uuid::Uuid),
        ReadAs::Url => get!(url::Url),
        ReadAs::Ref => match col {
            Col::Idx(i) => row.get_ref(*i).map(|v| format!("{v:?}")),
            Col::Name(n) => row.get_ref(n.as_str()).map(|v| format!("{v:?}")),
        },
    }
}

/// Every requested column, each `Ok(..)` or the error: never fails.
fn read_row(row: &Row<'_>, reads: &[(Col, ReadAs)]) -> String {
    let parts: Vec<String> = reads
        .iter()
        .map(|(c, r)| match read_col(row, c, *r) {
            Ok(v) => v,
            Err(e) => fmt_err(&e),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Every requested column; the first failed `get` is the error (`?` semantics).
fn read_row_strict(row: &Row<'_>, reads: &[(Col, ReadAs)]) -> rusqlite::Result<String> {
    let mut parts = Vec::new();
    for (c, r) in reads {
        parts.push(read_col(row, c, *r)?);
    }
    Ok(format!("[{}]", parts.join(", ")))
}

/// Items of a row iterator until the end, an error, or `MAX_ROWS`.
fn drain<I: Iterator<Item = rusqlite::Result<String>>>(it: I) -> String {
    let mut items = Vec::new();
    for item in it.take(MAX_ROWS) {
        match item {
            Ok(s) => items.push(s),
            Err(e) => {
                items.push(fmt_err(&e));
                break;
            }
        }
    }
    format!("Ok(rows [{}])", items.join(", "))
}

fn stmt_query<P: Params>(
    conn: &Connection,
    stmt: &mut Statement<'_>,
    p: P,
    reads: &[(Col, ReadAs)],
    api: QueryApi,
) -> String {
    match api {
        QueryApi::Map => match stmt.query_map(p, |r| Ok(read_row(r, reads))) {
            Ok(it) => drain(it),
            Err(e) => fmt_err(&e),
        },
        QueryApi::AndThen => match stmt.query_and_then(p, |r| read_row_strict(r, reads)) {
            Ok(it) => drain(it),
            Err(e) => fmt_err(&e),
        },
        QueryApi::Next => match stmt.query(p) {
            Ok(mut rows) => {
                let mut items = Vec::new();
                while items.len() < MAX_ROWS {
                    match rows.next() {
                        Ok(Some(r)) => items.push(read_row(r, reads)),
                        Ok(None) => break,
                        Err(e) => {
                            items.push(fmt_err(&e));
                            // What one more `next()` does after an error.
                            let again = match rows.next() {
                                Ok(Some(r)) => read_row(r, reads),
                                Ok(None) => "None".to_string(),
                                Err(e) => fmt_err(&e),
                            };
                            items.push(format!("then {again}"));
                            break;
                        }
                    }
                }
                format!("Ok(rows [{}])", items.join(", "))
            }
            Err(e) => fmt_err(&e),
        },
        QueryApi::Mapped => match stmt.query(p) {
            Ok(rows) => drain(rows.mapped(|r| Ok(read_row(r, reads)))),
            Err(e) => fmt_err(&e),
        },
        QueryApi::StmtRow => show(stmt.query_row(p, |r| Ok(read_row(r, reads)))),
        QueryApi::Exists => show(stmt.exists(p)),
        QueryApi::First => match stmt.query(p) {
            Ok(mut rows) => match rows.next() {
                Ok(Some(r)) => {
                    let row = read_row(r, reads);
                    let busy = conn.is_busy();
                    format!("Ok(first {row} busy={busy})")
                }
                Ok(None) => "Ok(no row)".to_string(),
                Err(e) => fmt_err(&e),
            },
            Err(e) => fmt_err(&e),
        },
        QueryApi::Collect => show(
            stmt.query_map(p, |r| read_row_strict(r, reads))
                .and_then(|it| it.take(MAX_ROWS).collect::<rusqlite::Result<Vec<String>>>()),
        ),
        // Connection-level APIs are handled by the caller; here, run them on the statement.
        QueryApi::ConnRow | QueryApi::ConnRowAndThen => {
            show(stmt.query_row(p, |r| read_row_strict(r, reads)))
        }
        QueryApi::ConnRowOptional => {
            show(stmt.query_row(p, |r| read_row_strict(r, reads)).optional())
        }
    }
}

fn query<P: Params>(
    conn: &Connection,
    sql: &str,
    p: P,
    reads: &[(Col, ReadAs)],
    api: QueryApi,
    prep: Prep,
) -> String {
    match api {
        QueryApi::ConnRow => show(conn.query_row(sql, p, |r| Ok(read_row(r, reads)))),
        QueryApi::ConnRowOptional => show(
            conn.query_row(sql, p, |r| Ok(read_row(r, reads)))
                .optional(),
        ),
        QueryApi::ConnRowAndThen => {
            show(conn.query_row_and_then(sql, p, |r| read_row_strict(r, reads)))
        }
        _ => match prep {
            Prep::Prepare => match conn.prepare(sql) {
                Ok(mut stmt) => stmt_query(conn, &mut stmt, p, reads, api),
                Err(e) => fmt_err(&e),
            },
            Prep::Cached => match conn.prepare_cached(sql) {
                Ok(mut stmt) => stmt_query(conn, &mut stmt, p, reads, api),
                Err(e) => fmt_err(&e),
            },
        },
    }
}

fn exec<P: Params>(conn: &Connection, sql: &str, p: P, api: ExecApi) -> String {
    match api {
        ExecApi::Conn => show(conn.execute(sql, p)),
        ExecApi::Prepared => show(conn.prepare(sql).and_then(|mut s| s.execute(p))),
        ExecApi::Insert => show(conn.prepare(sql).and_then(|mut s| s.insert(p))),
        ExecApi::Cached => show(conn.prepare_cached(sql).and_then(|mut s| s.execute(p))),
        ExecApi::QueryRowValue => show(conn.query_row(sql, p, |r| r.get::<_, Value>(0))),
    }
}

fn stmt_exec<P: Params>(stmt: &mut Statement<'_>, p: P, api: ExecApi) -> String {
    match api {
        ExecApi::Insert => show(stmt.insert(p)),
        _ => show(stmt.execute(p)),
    }
}

/// The column names: a Vec in 0.34, an iterator in 0.43.
#[allow(clippy::useless_conversion)]
fn column_names<'s>(stmt: &'s Statement<'_>) -> Vec<&'s str> {
    stmt.column_names().into_iter().collect()
}

/// The statement's metadata, each call's result in turn.
fn stmt_info(stmt: &Statement<'_>) -> String {
    format!(
        "cols={} names={:?} name0={} name99={} idx_a={} idx_A={} idx_zz={} params={} \
         pidx_a={} pidx_q={} pname1={:?} pname4={:?} readonly={} explain={} expanded={:?}",
        stmt.column_count(),
        column_names(stmt),
        show(stmt.column_name(0)),
        show(stmt.column_name(99)),
        show(stmt.column_index("a")),
        show(stmt.column_index("A")),
        show(stmt.column_index("zz")),
        stmt.parameter_count(),
        show(stmt.parameter_index(":a")),
        show(stmt.parameter_index("?")),
        stmt.parameter_name(1),
        stmt.parameter_name(4),
        stmt.readonly(),
        stmt.is_explain(),
        stmt.expanded_sql(),
    ) + &format!(" columns={:?}", columns(stmt))
}

/// Each column's name and declared type (`columns()` is a Vec in 0.34, an iterator in 0.43).
#[allow(clippy::useless_conversion)]
fn columns(stmt: &Statement<'_>) -> Vec<(String, Option<String>)> {
    stmt.columns()
        .into_iter()
        .map(|c| (c.name().to_string(), c.decl_type().map(str::to_string)))
        .collect()
}

fn raw(conn: &Connection, sql: &str, api: RawApi) -> String {
    match api {
        RawApi::Execute => show(conn.execute(sql, [])),
        RawApi::Batch => show(conn.execute_batch(sql)),
        RawApi::Prepare => match conn.prepare(sql) {
            Ok(stmt) => format!("Ok({})", stmt_info(&stmt)),
            Err(e) => fmt_err(&e),
        },
        RawApi::QueryAll => match conn.prepare(sql) {
            Ok(mut stmt) => match stmt.query([]) {
                Ok(rows) => collect_values(rows),
                Err(e) => fmt_err(&e),
            },
            Err(e) => fmt_err(&e),
        },
        RawApi::BatchIter => {
            use rusqlite::fallible_iterator::FallibleIterator;
            let mut batch = rusqlite::Batch::new(conn, sql);
            let mut parts = Vec::new();
            for _ in 0..10 {
                match batch.next() {
                    Ok(Some(mut stmt)) => {
                        let part = if stmt.column_count() > 0 {
                            collect_values(stmt.raw_query())
                        } else {
                            show(stmt.raw_execute())
                        };
                        parts.push(part);
                    }
                    Ok(None) => {
                        parts.push("end".to_string());
                        break;
                    }
                    Err(e) => {
                        parts.push(fmt_err(&e));
                        break;
                    }
                }
            }
            format!("[{}]", parts.join("; "))
        }
    }
}

/// Every row, every column read as a `Value`.
fn collect_values(mut rows: rusqlite::Rows<'_>) -> String {
    let mut items = Vec::new();
    while items.len() < MAX_ROWS {
        match rows.next() {
            Ok(Some(row)) => {
                let n = row.as_ref().column_count();
                let vals: Vec<String> = (0..n)
                    .map(|i| match row.get::<_, Value>(i) {
                        Ok(v) => format!("{v:?}"),
                        Err(e) => fmt_err(&e),
                    })
                    .collect();
                items.push(format!("[{}]", vals.join(", ")));
            }
            Ok(None) => break,
            Err(e) => {
                items.push(fmt_err(&e));
                break;
            }
        }
    }
    format!("Ok(rows [{}])", items.join(", "))
}

fn raw_bind(
    conn: &Connection,
    sql: &str,
    binds: &[(BindIdx, Val)],
    query: bool,
    clear_and_rerun: bool,
) -> String {
    let mut stmt = match conn.prepare(sql) {
        Ok(s) => s,
        Err(e) => return fmt_err(&e),
    };
    let mut parts = Vec::new();
    for (idx, val) in binds {
        let b = boxed(val);
        let r = match idx {
            BindIdx::Pos(i) => stmt.raw_bind_parameter(*i, &*b),
            BindIdx::Name(n) => stmt.raw_bind_parameter(n.as_str(), &*b),
        };
        parts.push(format!("bind={}", show(r)));
    }
    let run = |stmt: &mut Statement<'_>| -> String {
        if query {
            collect_values(stmt.raw_query())
        } else {
            show(stmt.raw_execute())
        }
    };
    parts.push(format!("run={}", run(&mut stmt)));
    if clear_and_rerun {
        stmt.clear_bindings();
        parts.push(format!("rerun={}", run(&mut stmt)));
    }
    parts.join("; ")
}

fn pragma(conn: &Connection, p: &PragmaOp) -> String {
    let row_values = |row: &Row<'_>| -> rusqlite::Result<String> {
        let n = row.as_ref().column_count();
        let mut vals = Vec::new();
        for i in 0..n {
            vals.push(format!("{:?}", row.get::<_, Value>(i)?));
        }
        Ok(format!("[{}]", vals.join(", ")))
    };
    match p {
        PragmaOp::QueryValue(name) => {
            show(conn.pragma_query_value(None, name, |r| r.get::<_, Value>(0)))
        }
        PragmaOp::Update(name, val) => show(conn.pragma_update(None, name, &*boxed(val))),
        PragmaOp::TableInfo(table) => {
            let mut rows = Vec::new();
            let r = conn.pragma(None, "table_info", table.as_str(), |row| {
                rows.push(row_values(row)?);
                Ok(())
            });
            format!("{} rows={rows:?}", show(r))
        }
        PragmaOp::Query(name) => {
            let mut rows = Vec::new();
            let r = conn.pragma_query(None, name, |row| {
                rows.push(row_values(row)?);
                Ok(())
            });
            format!("{} rows={rows:?}", show(r))
        }
        PragmaOp::JournalMode(mode) => show(conn.pragma_update_and_check(
            None,
            "journal_mode",
            *mode,
            |r| r.get::<_, String>(0),
        )),
    }
}

fn meta(conn: &Connection, mode: Mode) -> String {
    // A remote connection's path is its URL, and its transaction state is tracked from the
    // statements run, exact only for the usual BEGIN / read / write sequence (a failed write
    // or a query of no table inside a transaction differ; docs/turso-backend.md §4).
    let remote = mode == Mode::Remote;
    let not_compared = || "<remote: not compared>".to_string();
    let path = if remote {
        not_compared()
    } else {
        format!("{:?}", conn.path())
    };
    let head = format!(
        "path={path} readonly={} aux_readonly={} nul_readonly={} aux_user_version={} db0={} \
         db1={} db9={} busy={} interrupted={}",
        show(conn.is_readonly(MAIN_DB)),
        show(conn.is_readonly(attached("aux"))),
        show(conn.is_readonly(attached("no\0pe"))),
        show(
            conn.pragma_query_value(Some(attached("aux")), "user_version", |r| r
                .get::<_, i64>(0))
        ),
        show(conn.db_name(0)),
        show(conn.db_name(1)),
        show(conn.db_name(9)),
        conn.is_busy(),
        conn.is_interrupted(),
    );
    // Read last: the reads above can start a transaction.
    let state = if remote {
        not_compared()
    } else {
        show(conn.transaction_state(None::<&str>.map(attached)))
    };
    format!("{head} state={state}")
}

/// The connection a hook setter needs: `&Connection` in 0.34, `&mut Connection` in 0.43.
#[cfg(not(rusqlite_0_43))]
type HookConn<'a> = &'a Connection;
#[cfg(rusqlite_0_43)]
type HookConn<'a> = &'a mut Connection;

/// What a hook setter returns: nothing in 0.34, `Result<()>` in 0.43.
trait HookSet {
    fn outcome(self) -> rusqlite::Result<()>;
}

impl HookSet for () {
    fn outcome(self) -> rusqlite::Result<()> {
        Ok(())
    }
}

impl HookSet for rusqlite::Result<()> {
    fn outcome(self) -> rusqlite::Result<()> {
        self
    }
}

// 0.34's hook setters return `()`, which `HookSet::outcome` turns into `Ok(())`.
#[cfg_attr(not(rusqlite_0_43), allow(clippy::unit_arg))]
fn install_hooks(conn: HookConn<'_>, hooks: Hooks, log: &Arc<Mutex<Vec<String>>>) -> String {
    let set = if hooks == Hooks::Off {
        [
            conn.commit_hook(None::<fn() -> bool>).outcome(),
            conn.rollback_hook(None::<fn()>).outcome(),
            conn.update_hook(None::<fn(rusqlite::hooks::Action, &str, &str, i64)>)
                .outcome(),
        ]
    } else {
        let veto = hooks == Hooks::VetoCommit;
        let (c, r, u) = (Arc::clone(log), Arc::clone(log), Arc::clone(log));
        [
            conn.commit_hook(Some(move || {
                push_log(&c, format!("commit(veto={veto})"));
                veto
            }))
            .outcome(),
            conn.rollback_hook(Some(move || push_log(&r, "rollback".to_string())))
                .outcome(),
            conn.update_hook(Some(
                move |action: rusqlite::hooks::Action, db: &str, table: &str, rowid: i64| {
                    // VACUUM copies through a temporary schema named `vacuum_<random>`, a
                    // different name on every run: keep only the prefix.
                    let db = if db.starts_with("vacuum_") {
                        "vacuum_*"
                    } else {
                        db
                    };
                    push_log(&u, format!("{action:?} {db}.{table} {rowid}"))
                },
            ))
            .outcome(),
        ]
    };
    show(
        set.into_iter()
            .collect::<rusqlite::Result<Vec<()>>>()
            .map(|_| ()),
    )
}

fn register_functions(conn: &Connection) -> String {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let results = [
        conn.create_scalar_function("dbl", 1, flags, |ctx| {
            let x: i64 = ctx.get(0)?;
            x.checked_mul(2)
                .ok_or_else(|| Error::UserFunctionError(format!("dbl overflows on {x}").into()))
        }),
        conn.create_scalar_function("boom", 1, flags, |ctx| {
            let v = ctx.get_raw(0);
            if v == rusqlite::types::ValueRef::Null {
                Ok(None::<i64>)
            } else {
                Err(Error::UserFunctionError(format!("boom on {v:?}").into()))
            }
        }),
        conn.create_scalar_function("tname", 1, flags, |ctx| {
            Ok(format!("{}:{}", ctx.get_raw(0).data_type(), ctx.len()))
        }),
        conn.create_scalar_function("cnt", -1, flags, |ctx| Ok(ctx.len() as i64)),
        conn.create_scalar_function("half", 1, flags, |ctx| {
            let x: Option<f64> = ctx.get(0)?;
            Ok(x.map(|x| x / 2.0))
        }),
    ];
    let parts: Vec<String> = results.into_iter().map(show).collect();
    format!("[{}]", parts.join(", "))
}

fn limit(conn: &Connection, kind: LimitKind, value: Option<i32>) -> String {
    let l = match kind {
        LimitKind::Length => Limit::SQLITE_LIMIT_LENGTH,
        LimitKind::SqlLength => Limit::SQLITE_LIMIT_SQL_LENGTH,
        LimitKind::Column => Limit::SQLITE_LIMIT_COLUMN,
        LimitKind::ExprDepth => Limit::SQLITE_LIMIT_EXPR_DEPTH,
        LimitKind::CompoundSelect => Limit::SQLITE_LIMIT_COMPOUND_SELECT,
        LimitKind::VariableNumber => Limit::SQLITE_LIMIT_VARIABLE_NUMBER,
        LimitKind::Attached => Limit::SQLITE_LIMIT_ATTACHED,
        LimitKind::LikePatternLength => Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
        LimitKind::TriggerDepth => Limit::SQLITE_LIMIT_TRIGGER_DEPTH,
    };
    match value {
        None => show(conn.limit(l)),
        Some(v) => format!("{} now={}", show(conn.set_limit(l, v)), show(conn.limit(l))),
    }
}

fn blob_io(
    conn: &Connection,
    table: usize,
    column: &str,
    rowid: i64,
    read_only: bool,
    write_at: usize,
) -> String {
    use std::io::Read;
    let mut blob = match conn.blob_open(
        MAIN_DB,
        format!("t{table}").as_str(),
        column,
        rowid,
        read_only,
    ) {
        Ok(b) => b,
        Err(e) => return fmt_err(&e),
    };
    let mut parts = vec![format!("size={} len={}", blob.size(), blob.len())];
    let mut all = Vec::new();
    let read = blob.read_to_end(&mut all);
    parts.push(format!("read_to_end={read:?} bytes={all:?}"));
    let mut two = [0u8; 2];
    let exact = blob.read_at_exact(&mut two, 1);
    parts.push(format!("read_at_exact(1)={} {two:?}", show(exact)));
    if !read_only {
        parts.push(format!("write_at={}", show(blob.write_at(b"Z", write_at))));
        parts.push(format!("reopen={}", show(blob.reopen(rowid + 1))));
        parts.push(format!("size={}", blob.size()));
    }
    parts.push(format!("close={}", show(blob.close())));
    format!("Ok({})", parts.join("; "))
}

/// Every operation that needs only `&Connection`.
fn simple(conn: &Connection, op: &Op, mode: Mode) -> String {
    match op {
        Op::Exec { sql, args, api } => with_params!(args, p => exec(conn, sql, p, *api)),
        Op::Query {
            sql,
            args,
            reads,
            api,
            prep,
        } => with_params!(args, p => query(conn, sql, p, reads, *api, *prep)),
        Op::Raw { sql, api } => raw(conn, sql, *api),
        Op::Reuse { sql, sets } => match conn.prepare(sql) {
            Ok(mut stmt) => {
                let parts: Vec<String> = sets
                    .iter()
                    .map(|(args, api)| with_params!(args, p => stmt_exec(&mut stmt, p, *api)))
                    .collect();
                format!("[{}] finalize={}", parts.join("; "), show(stmt.finalize()))
            }
            Err(e) => fmt_err(&e),
        },
        Op::RawBind {
            sql,
            binds,
            query,
            clear_and_rerun,
        } => raw_bind(conn, sql, binds, *query, *clear_and_rerun),
        Op::CachedUnbound { sql } => match conn.prepare_cached(sql) {
            Ok(mut stmt) => {
                if stmt.readonly() {
                    collect_values(stmt.raw_query())
                } else {
                    show(stmt.raw_execute())
                }
            }
            Err(e) => fmt_err(&e),
        },
        Op::CacheCapacity(n) => {
            conn.set_prepared_statement_cache_capacity(*n);
            "Ok(())".to_string()
        }
        Op::CacheFlush => {
            conn.flush_prepared_statement_cache();
            "Ok(())".to_string()
        }
        Op::Pragma(p) => pragma(conn, p),
        Op::Meta => meta(conn, mode),
        Op::RegisterFunctions => register_functions(conn),
        Op::Blob {
            table,
            column,
            rowid,
            read_only,
            write_at,
        } => blob_io(conn, *table, column, *rowid, *read_only, *write_at),
        Op::RemoveFunction(name, n) => {
            // `&str`: 0.43 takes any `Name`, implemented for `&str` only.
            let name: &str = name;
            show(conn.remove_function(name, *n))
        }
        Op::Limit(kind, value) => limit(conn, *kind, *value),
        Op::SetTxBehavior(_) | Op::Scope { .. } | Op::Hooks(_) => {
            "unreachable: handled by the block".to_string()
        }
    }
}
