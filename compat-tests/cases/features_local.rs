//! The feature-gated APIs that drive the local engine directly: user functions and aggregates,
//! hooks and the authorizer, the progress handler, online backup, incremental blob I/O,
//! run-time limits, tracing, extension loading and auto-extensions. A remote server cannot
//! run Rust callbacks or hand out engine handles, so every case is local-only.
// `trace` and `profile` are deprecated in rusqlite 0.34 but still part of its API.
#![allow(deprecated)]
use crate::support::{one, temp_db_path};
use rusqlite::backup::{Backup, Progress, StepResult};
use rusqlite::blob::ZeroBlob;
use rusqlite::functions::{Aggregate, Context, FunctionFlags, SqlFnArg, SubType};
use rusqlite::hooks::{Action, AuthAction, AuthContext, Authorization, TransactionOperation};
use rusqlite::limits::Limit;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::types::{ToSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{
    ffi, Connection, DatabaseName, Error, ErrorCode, LoadExtensionGuard, OptionalExtension,
};
use std::ffi::{c_char, c_int};
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `(code, extended_code, message)` of a SqliteFailure, panicking on any other variant.
fn parts(e: &Error) -> (ErrorCode, i32, String) {
    match e {
        Error::SqliteFailure(err, msg) => {
            (err.code, err.extended_code, msg.clone().unwrap_or_default())
        }
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
}

/// `parts` of the error a result must hold.
fn err_parts<T>(r: rusqlite::Result<T>) -> (ErrorCode, i32, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => parts(&e),
    }
}

fn flags() -> FunctionFlags {
    FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC
}

/// A shared event log for hooks (which must be `Send + 'static`).
fn log<T>() -> Arc<Mutex<Vec<T>>> {
    Arc::new(Mutex::new(Vec::new()))
}

fn taken<T>(l: &Arc<Mutex<Vec<T>>>) -> Vec<T> {
    std::mem::take(&mut *l.lock().unwrap())
}

struct Sum;

impl Aggregate<i64, Option<i64>> for Sum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<i64> {
        Ok(0)
    }
    fn step(&self, ctx: &mut Context<'_>, acc: &mut i64) -> rusqlite::Result<()> {
        *acc += ctx.get::<i64>(0)?;
        Ok(())
    }
    fn finalize(&self, _: &mut Context<'_>, acc: Option<i64>) -> rusqlite::Result<Option<i64>> {
        Ok(acc)
    }
}

/// Joins text values with ','; counts how many groups were initialised.
struct Join(Arc<AtomicUsize>);

impl Aggregate<Vec<String>, String> for Join {
    fn init(&self, ctx: &mut Context<'_>) -> rusqlite::Result<Vec<String>> {
        assert_eq!(ctx.len(), 1);
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(Vec::new())
    }
    fn step(&self, ctx: &mut Context<'_>, acc: &mut Vec<String>) -> rusqlite::Result<()> {
        acc.push(ctx.get::<String>(0)?);
        Ok(())
    }
    fn finalize(
        &self,
        ctx: &mut Context<'_>,
        acc: Option<Vec<String>>,
    ) -> rusqlite::Result<String> {
        assert!(ctx.is_empty());
        Ok(acc.map_or_else(|| "<empty>".to_string(), |v| v.join(",")))
    }
}

/// Fails in `step` on a negative value, or panics on zero.
struct Picky;

impl Aggregate<i64, i64> for Picky {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<i64> {
        Ok(0)
    }
    fn step(&self, ctx: &mut Context<'_>, acc: &mut i64) -> rusqlite::Result<()> {
        let v = ctx.get::<i64>(0)?;
        if v == 0 {
            panic!("zero");
        }
        if v < 0 {
            return Err(Error::UserFunctionError(format!("negative: {v}").into()));
        }
        *acc += v;
        Ok(())
    }
    fn finalize(&self, _: &mut Context<'_>, acc: Option<i64>) -> rusqlite::Result<i64> {
        Ok(acc.unwrap_or(-1))
    }
}

static TRACED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static PROFILED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static EVENTS_V2: Mutex<Vec<String>> = Mutex::new(Vec::new());
static WAL_PAGES: Mutex<Vec<(String, i32)>> = Mutex::new(Vec::new());
static AUTO_EXT_CALLS: AtomicUsize = AtomicUsize::new(0);
static PROGRESS: Mutex<Vec<(i32, i32)>> = Mutex::new(Vec::new());

fn tracer(sql: &str) {
    TRACED.lock().unwrap().push(sql.to_string());
}

fn profiler(sql: &str, _: Duration) {
    PROFILED.lock().unwrap().push(sql.to_string());
}

fn tracer_v2(e: TraceEvent<'_>) {
    let s = match e {
        TraceEvent::Stmt(s, sql) => format!("stmt {sql} | {}", s.sql()),
        TraceEvent::Profile(s, _) => format!("profile {}", s.sql()),
        TraceEvent::Row(s) => format!("row {}", s.expanded_sql().unwrap_or_default()),
        TraceEvent::Close(c) => format!("close autocommit={}", c.is_autocommit()),
        _ => "other".to_string(),
    };
    EVENTS_V2.lock().unwrap().push(s);
}

fn wal_recorder(wal: &rusqlite::hooks::Wal, pages: c_int) -> rusqlite::Result<()> {
    let name = match wal.name() {
        DatabaseName::Main => "main".to_string(),
        other => format!("{other:?}"),
    };
    WAL_PAGES.lock().unwrap().push((name, pages));
    Ok(())
}

fn record_progress(p: Progress) {
    PROGRESS.lock().unwrap().push((p.remaining, p.pagecount));
}

unsafe extern "C" fn counting_extension(
    _db: *mut ffi::sqlite3,
    _pz_err_msg: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    AUTO_EXT_CALLS.fetch_add(1, Ordering::SeqCst);
    ffi::SQLITE_OK
}

unsafe extern "C" fn failing_extension(
    _db: *mut ffi::sqlite3,
    _pz_err_msg: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    ffi::SQLITE_CORRUPT
}

fn db_with_blob(size: i32) -> rusqlite::Result<(Connection, i64)> {
    let db = crate::open()?;
    db.execute_batch("CREATE TABLE b (content BLOB)")?;
    db.execute("INSERT INTO b VALUES (?1)", [ZeroBlob(size)])?;
    let rowid = db.last_insert_rowid();
    Ok((db, rowid))
}

cases! {
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_halves() {
        let db = crate::open()?;
        db.create_scalar_function("halve", 1, flags(), |ctx| {
            let v = ctx.get::<f64>(0)?;
            Ok(v / 2.0)
        })?;
        assert_eq!(one::<f64>(&db, "SELECT halve(6)")?, 3.0);
        let (_, _, msg) = err_parts(one::<f64>(&db, "SELECT halve('5')"));
        assert_eq!(msg, "Invalid function parameter type Text at index 0");
        assert_eq!(one::<String>(&db, "SELECT typeof(halve(1))")?, "real");
        Ok(())
    }

    /// Deterministic functions may appear in an index expression; others may not.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_deterministic_flag() {
        let db = crate::open()?;
        db.create_scalar_function("det", 1, flags(), |ctx| ctx.get::<i64>(0).map(|v| v * 10))?;
        db.create_scalar_function("nondet", 1, FunctionFlags::SQLITE_UTF8, |ctx| ctx.get::<i64>(0))?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)")?;
        db.execute_batch("CREATE INDEX t_det ON t(det(x))")?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t WHERE det(x) = 20")?, 2);
        let e = db.execute_batch("CREATE INDEX t_nondet ON t(nondet(x))").unwrap_err();
        assert!(matches!(e, Error::SqlInputError { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "non-deterministic functions prohibited in index expressions in CREATE INDEX t_nondet ON t(nondet(x)) at offset 27"
        );
        assert_eq!(FunctionFlags::default().bits(), FunctionFlags::SQLITE_UTF8.bits());
        Ok(())
    }

    /// Every SQLite type reaches the closure as the matching ValueRef.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_args_of_each_type() {
        let db = crate::open()?;
        db.create_scalar_function("describe", -1, flags(), |ctx| {
            let mut out = Vec::new();
            for i in 0..ctx.len() {
                out.push(match ctx.get_raw(i) {
                    ValueRef::Null => "null".to_string(),
                    ValueRef::Integer(v) => format!("int {v}"),
                    ValueRef::Real(v) => format!("real {v}"),
                    ValueRef::Text(t) => format!("text {}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("blob {b:?}"),
                });
            }
            Ok(out.join("; "))
        })?;
        let s: String = db.query_row(
            "SELECT describe(NULL, 42, 1.5, 'hé', x'0102', x'', '', ?1)",
            [i64::MIN],
            |r| r.get(0),
        )?;
        assert_eq!(
            s,
            "null; int 42; real 1.5; text hé; blob [1, 2]; blob []; text ; int -9223372036854775808"
        );
        assert_eq!(one::<String>(&db, "SELECT describe()")?, "");
        Ok(())
    }

    /// `Context::get` converts like `Row::get`, including Option and Vec<u8>.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_typed_args() {
        let db = crate::open()?;
        db.create_scalar_function("typed", 4, flags(), |ctx| {
            let a: i64 = ctx.get(0)?;
            let b: String = ctx.get(1)?;
            let c: Vec<u8> = ctx.get(2)?;
            let d: Option<i32> = ctx.get(3)?;
            Ok(format!("{a}|{b}|{c:?}|{d:?}"))
        })?;
        assert_eq!(one::<String>(&db, "SELECT typed(7, 'x', x'ff', NULL)")?, "7|x|[255]|None");
        assert_eq!(one::<String>(&db, "SELECT typed(7, 'x', x'', 3)")?, "7|x|[]|Some(3)");
        Ok(())
    }

    /// A wrong argument type fails the statement with the error's text.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_invalid_parameter_type() {
        let db = crate::open()?;
        db.create_scalar_function("needs_int", 1, flags(), |ctx| ctx.get::<i64>(0))?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT needs_int('abc')"));
        assert_eq!((code, ext), (ErrorCode::Unknown, 1));
        assert_eq!(msg, "Invalid function parameter type Text at index 0");
        let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT needs_int(x'00')"));
        assert_eq!(msg, "Invalid function parameter type Blob at index 0");
        db.create_scalar_function("needs_i8", 1, flags(), |ctx| ctx.get::<i8>(0))?;
        let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT needs_i8(1000)"));
        assert_eq!(msg, "Integer 1000 out of range at index 0");
        Ok(())
    }

    /// Errors returned by the closure: UserFunctionError text, and a SqliteFailure's own code.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_closure_errors() {
        let db = crate::open()?;
        db.create_scalar_function("boom", 0, flags(), |_| -> rusqlite::Result<i64> {
            Err(Error::UserFunctionError("boom happened".into()))
        })?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT boom()"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "boom happened"));
        db.create_scalar_function("busy", 0, flags(), |_| -> rusqlite::Result<i64> {
            Err(Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_BUSY), Some("custom busy".into())))
        })?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT busy()"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "custom busy"));
        db.create_scalar_function("silent", 0, flags(), |_| -> rusqlite::Result<i64> {
            Err(Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_FULL), None))
        })?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT silent()"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::DiskFull, 13, "database or disk is full"));
        db.create_scalar_function("other", 0, flags(), |_| -> rusqlite::Result<i64> {
            Err(Error::QueryReturnedNoRows)
        })?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT other()"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "Query returned no rows"));
        Ok(())
    }

    /// A panic inside the closure fails the statement; the connection stays usable.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_panic_is_an_error() {
        let db = crate::open()?;
        db.create_scalar_function("panics", 0, flags(), |_| -> rusqlite::Result<i64> {
            panic!("inside a function")
        })?;
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT panics()"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "unwinding panic"));
        // Out-of-range argument access panics in rusqlite too; same outcome.
        db.create_scalar_function("oob", 0, flags(), |ctx| ctx.get::<i64>(3))?;
        let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT oob()"));
        assert_eq!(msg, "unwinding panic");
        assert_eq!(one::<i64>(&db, "SELECT 1")?, 1);
        Ok(())
    }

    /// NULL, empty text, empty blob, ZeroBlob and big integers as results.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_result_values() {
        let db = crate::open()?;
        db.create_scalar_function("none", 0, flags(), |_| Ok(None::<i64>))?;
        db.create_scalar_function("empty_text", 0, flags(), |_| Ok(String::new()))?;
        db.create_scalar_function("empty_blob", 0, flags(), |_| Ok(Vec::<u8>::new()))?;
        db.create_scalar_function("zeros", 1, flags(), |ctx| Ok(ZeroBlob(ctx.get(0)?)))?;
        db.create_scalar_function("big", 0, flags(), |_| Ok(i64::MAX))?;
        db.create_scalar_function("val", 0, flags(), |_| Ok(Value::Blob(vec![9, 8])))?;
        db.create_scalar_function("flag", 0, flags(), |_| Ok(true))?;
        let row: (String, String, String, String, String, String) = db.query_row(
            "SELECT typeof(none()), typeof(empty_text()), typeof(empty_blob()), \
             hex(zeros(3)), typeof(big()), hex(val())",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        assert_eq!(
            row,
            ("null".into(), "text".into(), "blob".into(), "000000".into(), "integer".into(), "0908".into())
        );
        assert_eq!(one::<i64>(&db, "SELECT big()")?, i64::MAX);
        assert_eq!(one::<i64>(&db, "SELECT flag()")?, 1);
        assert_eq!(one::<i64>(&db, "SELECT length(empty_text())")?, 0);
        Ok(())
    }

    /// `-1` accepts any count; a fixed count refuses others at prepare time.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn scalar_function_arg_counts() {
        let db = crate::open()?;
        db.create_scalar_function("nargs", -1, flags(), |ctx| Ok(ctx.len() as i64))?;
        assert_eq!(one::<i64>(&db, "SELECT nargs()")?, 0);
        assert_eq!(one::<i64>(&db, "SELECT nargs(1, 2, 3)")?, 3);
        db.create_scalar_function("two", 2, flags(), |_| Ok(2))?;
        let e = one::<i64>(&db, "SELECT two(1)").unwrap_err();
        assert_eq!(e.to_string(), "wrong number of arguments to function two() in SELECT two(1) at offset 7");
        // Overloads by argument count coexist.
        db.create_scalar_function("two", 1, flags(), |_| Ok(1))?;
        assert_eq!(one::<i64>(&db, "SELECT two(1) + two(1, 2)")?, 3);
        Ok(())
    }

    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn remove_function_then_missing() {
        let db = crate::open()?;
        db.create_scalar_function("gone", 0, flags(), |_| Ok(1))?;
        assert_eq!(one::<i64>(&db, "SELECT gone()")?, 1);
        db.remove_function("gone", 0)?;
        let e = one::<i64>(&db, "SELECT gone()").unwrap_err();
        assert_eq!(e.to_string(), "no such function: gone in SELECT gone() at offset 7");
        // Removing something never registered is not an error.
        db.remove_function("never_there", 3)?;
        Ok(())
    }

    /// Registration errors: NUL in the name, an argument count out of range.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn create_function_bad_arguments() {
        let db = crate::open()?;
        let e = db.create_scalar_function("a\0b", 0, flags(), |_| Ok(1)).unwrap_err();
        assert!(matches!(e, Error::NulError(_)), "{e:?}");
        let (code, ext, msg) = err_parts(db.create_scalar_function("many", -2, flags(), |_| Ok(1)));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::ApiMisuse, 21, "bad parameter or other API misuse"));
        Ok(())
    }

    /// The closure is dropped when the function is replaced and when the connection closes.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn function_closure_dropped() {
        let token = Arc::new(());
        let db = crate::open()?;
        let t = token.clone();
        db.create_scalar_function("keep", 0, flags(), move |_| Ok(Arc::strong_count(&t) as i64))?;
        assert_eq!(one::<i64>(&db, "SELECT keep()")?, 2);
        db.create_scalar_function("keep", 0, flags(), |_| Ok(0))?;
        assert_eq!(Arc::strong_count(&token), 1);
        let t = token.clone();
        db.create_scalar_function("keep2", 0, flags(), move |_| Ok(Arc::strong_count(&t) as i64))?;
        assert_eq!(Arc::strong_count(&token), 2);
        drop(db);
        assert_eq!(Arc::strong_count(&token), 1);
        Ok(())
    }

    /// Auxiliary data is created once per constant argument and typed.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn function_aux_data() {
        let db = crate::open()?;
        let made = Arc::new(AtomicUsize::new(0));
        let m = made.clone();
        db.create_scalar_function("matches", 2, flags(), move |ctx| {
            let pattern: Arc<String> = ctx.get_or_create_aux(0, |v| -> Result<_, Error> {
                m.fetch_add(1, Ordering::SeqCst);
                Ok(v.as_str()?.to_uppercase())
            })?;
            Ok(ctx.get::<String>(1)?.to_uppercase().contains(pattern.as_str()))
        })?;
        db.execute_batch("CREATE TABLE w(s); INSERT INTO w VALUES ('alpha'), ('beta'), ('gamma'), ('delta')")?;
        let n: i64 = one(&db, "SELECT count(*) FROM w WHERE matches('ta', s)")?;
        assert_eq!(n, 2);
        assert_eq!(made.load(Ordering::SeqCst), 1);
        db.create_scalar_function("aux_type", 2, flags(), |ctx| {
            if !ctx.get::<bool>(1)? {
                ctx.set_aux::<i64>(0, 100)?;
                Ok("set".to_string())
            } else {
                let wrong = ctx.get_aux::<String>(0).unwrap_err();
                let right = ctx.get_aux::<i64>(0)?.map(|v| *v);
                Ok(format!("{wrong} / {right:?}"))
            }
        })?;
        let mut stmt = db.prepare("SELECT aux_type(0, i) FROM (SELECT 0 AS i UNION ALL SELECT 1)")?;
        let got: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(got, ["set", "get_aux called with wrong type / Some(100)"]);
        Ok(())
    }

    /// Result subtypes, and returning an argument unchanged with `get_arg`.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn function_subtypes_and_get_arg() {
        fn get_subtype(ctx: &Context<'_>) -> rusqlite::Result<i64> {
            Ok(i64::from(ctx.get_subtype(0)))
        }
        fn set_subtype(ctx: &Context<'_>) -> rusqlite::Result<(SqlFnArg, SubType)> {
            Ok((ctx.get_arg(0), Some(ctx.get::<u32>(1)?)))
        }
        fn same(ctx: &Context<'_>) -> rusqlite::Result<SqlFnArg> {
            Ok(ctx.get_arg(0))
        }
        let db = crate::open()?;
        db.create_scalar_function("get_subtype", 1, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_SUBTYPE, get_subtype)?;
        db.create_scalar_function("set_subtype", 2, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_RESULT_SUBTYPE, set_subtype)?;
        db.create_scalar_function("same", 1, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_RESULT_SUBTYPE, same)?;
        assert_eq!(one::<i64>(&db, "SELECT get_subtype('hello')")?, 0);
        assert_eq!(one::<i64>(&db, "SELECT get_subtype(set_subtype('hello', 123))")?, 123);
        assert_eq!(one::<String>(&db, "SELECT set_subtype('hello', 5)")?, "hello");
        // JSON's subtype survives a pass-through, so the object nests instead of quoting.
        assert_eq!(one::<String>(&db, "SELECT json_object('a', same(json('[1,2]')))")?, r#"{"a":[1,2]}"#);
        assert_eq!(one::<i64>(&db, "SELECT same(41) + 1")?, 42);
        Ok(())
    }

    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn aggregate_sum_and_empty_group() {
        let db = crate::open()?;
        db.create_aggregate_function("my_sum", 1, flags(), Sum)?;
        db.execute_batch("CREATE TABLE n(g, v); INSERT INTO n VALUES (1, 1), (1, 2), (2, 10), (2, 20), (2, 30)")?;
        assert_eq!(one::<Option<i64>>(&db, "SELECT my_sum(v) FROM n")?, Some(63));
        assert_eq!(one::<Option<i64>>(&db, "SELECT my_sum(v) FROM n WHERE 0")?, None);
        let mut stmt = db.prepare("SELECT g, my_sum(v) FROM n GROUP BY g ORDER BY g")?;
        let rows: Vec<(i64, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        assert_eq!(rows, [(1, 3), (2, 60)]);
        Ok(())
    }

    /// `init` runs once per non-empty group; `finalize` sees `None` for an empty input.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn aggregate_init_and_finalize_calls() {
        let db = crate::open()?;
        let inits = Arc::new(AtomicUsize::new(0));
        db.create_aggregate_function("joined", 1, flags(), Join(inits.clone()))?;
        db.execute_batch("CREATE TABLE s(g, v); INSERT INTO s VALUES (1, 'a'), (1, 'b'), (2, 'c')")?;
        let mut stmt = db.prepare("SELECT joined(v) FROM s GROUP BY g ORDER BY g")?;
        let got: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(got, ["a,b", "c"]);
        assert_eq!(inits.load(Ordering::SeqCst), 2);
        assert_eq!(one::<String>(&db, "SELECT joined(v) FROM s WHERE 0")?, "<empty>");
        assert_eq!(inits.load(Ordering::SeqCst), 2);
        Ok(())
    }

    /// An error or a panic inside `step` fails the query.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn aggregate_step_errors() {
        let db = crate::open()?;
        db.create_aggregate_function("picky", 1, flags(), Picky)?;
        assert_eq!(one::<i64>(&db, "SELECT picky(v) FROM (SELECT 1 AS v UNION ALL SELECT 2)")?, 3);
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT picky(v) FROM (SELECT 1 AS v UNION ALL SELECT -4)"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "negative: -4"));
        let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT picky(v) FROM (SELECT 0 AS v)"));
        assert_eq!(msg, "unwinding panic");
        let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT picky('x')"));
        assert_eq!(msg, "Invalid function parameter type Text at index 0");
        Ok(())
    }

    /// The exact (action, database, table, rowid) events of inserts, updates and deletes.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn update_hook_events() {
        let db = crate::open()?;
        let events = log();
        let e = events.clone();
        db.update_hook(Some(move |a: Action, d: &str, t: &str, id: i64| {
            e.lock().unwrap().push((a, d.to_string(), t.to_string(), id));
        }));
        db.execute_batch("CREATE TABLE foo(t TEXT); CREATE TEMP TABLE tmp(x)")?;
        db.execute_batch("INSERT INTO foo VALUES ('a'), ('b'); UPDATE foo SET t = 'c' WHERE rowid = 2; DELETE FROM foo WHERE rowid = 1; INSERT INTO tmp VALUES (5)")?;
        let s = |a, d: &str, t: &str, id| (a, d.to_string(), t.to_string(), id);
        assert_eq!(
            taken(&events),
            [
                s(Action::SQLITE_INSERT, "main", "foo", 1),
                s(Action::SQLITE_INSERT, "main", "foo", 2),
                s(Action::SQLITE_UPDATE, "main", "foo", 2),
                s(Action::SQLITE_DELETE, "main", "foo", 1),
                s(Action::SQLITE_INSERT, "temp", "tmp", 1),
            ]
        );
        db.update_hook(None::<fn(Action, &str, &str, i64)>);
        db.execute_batch("INSERT INTO foo VALUES ('z')")?;
        assert!(taken(&events).is_empty());
        assert_eq!(Action::from(18), Action::SQLITE_INSERT);
        assert_eq!(Action::from(99), Action::UNKNOWN);
        Ok(())
    }

    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn commit_and_rollback_hooks() {
        let db = crate::open()?;
        let events = log();
        let (c, r) = (events.clone(), events.clone());
        db.commit_hook(Some(move || {
            c.lock().unwrap().push("commit");
            false
        }));
        db.rollback_hook(Some(move || r.lock().unwrap().push("rollback")));
        db.execute_batch("CREATE TABLE foo(x)")?;
        db.execute_batch("BEGIN; INSERT INTO foo VALUES (1); COMMIT")?;
        db.execute_batch("BEGIN; INSERT INTO foo VALUES (2); ROLLBACK")?;
        db.execute_batch("SELECT * FROM foo")?;
        assert_eq!(taken(&events), ["commit", "commit", "rollback"]);
        db.commit_hook(None::<fn() -> bool>);
        db.rollback_hook(None::<fn()>);
        db.execute_batch("BEGIN; INSERT INTO foo VALUES (3); ROLLBACK")?;
        assert!(taken(&events).is_empty());
        Ok(())
    }

    /// A commit hook returning true turns the COMMIT into a rollback and an error.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn commit_hook_veto() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE foo(x)")?;
        let rolled = Arc::new(AtomicUsize::new(0));
        let r = rolled.clone();
        db.commit_hook(Some(|| true));
        db.rollback_hook(Some(move || {
            r.fetch_add(1, Ordering::SeqCst);
        }));
        let (code, ext, msg) = err_parts(db.execute_batch("BEGIN; INSERT INTO foo VALUES (1); COMMIT"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::ConstraintViolation, 531, "constraint failed"));
        assert_eq!(rolled.load(Ordering::SeqCst), 1);
        assert!(db.is_autocommit());
        db.commit_hook(None::<fn() -> bool>);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM foo")?, 0);
        // A panicking commit hook counts as "false": the commit goes through.
        db.commit_hook(Some(|| -> bool { panic!("in commit hook") }));
        db.execute("INSERT INTO foo VALUES (2)", [])?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM foo")?, 1);
        Ok(())
    }

    /// Replacing a hook drops the old closure; closing the connection drops all of them.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn hook_closures_dropped() {
        let token = Arc::new(());
        let db = crate::open()?;
        let (a, b, c, d, e) = (token.clone(), token.clone(), token.clone(), token.clone(), token.clone());
        db.commit_hook(Some(move || Arc::strong_count(&a) == 0));
        db.rollback_hook(Some(move || drop(b.clone())));
        db.update_hook(Some(move |_: Action, _: &str, _: &str, _: i64| drop(c.clone())));
        db.progress_handler(100, Some(move || Arc::strong_count(&d) == 0));
        db.authorizer(Some(move |_: AuthContext<'_>| {
            drop(e.clone());
            Authorization::Allow
        }));
        assert_eq!(Arc::strong_count(&token), 6);
        db.commit_hook(Some(|| false));
        assert_eq!(Arc::strong_count(&token), 5);
        db.rollback_hook(None::<fn()>);
        assert_eq!(Arc::strong_count(&token), 4);
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        drop(db);
        assert_eq!(Arc::strong_count(&token), 1);
        Ok(())
    }

    /// Closing with a transaction open rolls it back without calling the hooks.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn hooks_not_called_on_close() {
        let path = temp_db_path("hooks-close");
        let events = log();
        {
            let db = Connection::open(&path)?;
            db.execute_batch("CREATE TABLE t(x)")?;
            let (r, u) = (events.clone(), events.clone());
            db.rollback_hook(Some(move || r.lock().unwrap().push("rollback".to_string())));
            db.update_hook(Some(move |_: Action, _: &str, t: &str, _: i64| {
                u.lock().unwrap().push(format!("update {t}"))
            }));
            db.execute_batch("BEGIN; INSERT INTO t VALUES (1)")?;
            assert!(!db.is_autocommit());
        }
        assert_eq!(taken(&events), ["update t"]);
        let db = Connection::open(&path)?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 0);
        Ok(())
    }

    /// A progress handler returning true interrupts the statement.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn progress_handler_interrupts() {
        let db = crate::open()?;
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        db.progress_handler(1, Some(move || {
            c.fetch_add(1, Ordering::SeqCst);
            false
        }));
        db.execute_batch("CREATE TABLE foo(t TEXT)")?;
        assert!(calls.load(Ordering::SeqCst) > 0);
        db.progress_handler(10, Some(|| true));
        let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000) SELECT count(*) FROM c";
        let (code, ext, msg) = err_parts(one::<i64>(&db, sql));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::OperationInterrupted, 9, "interrupted"));
        db.progress_handler(0, None::<fn() -> bool>);
        assert_eq!(one::<i64>(&db, sql)?, 100000);
        Ok(())
    }

    /// The authorizer sees each action; Deny fails the prepare, Ignore reads NULL.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn authorizer_deny_and_ignore() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE foo(public TEXT, private TEXT); INSERT INTO foo VALUES ('pub', 'priv'); CREATE TABLE secret(x)")?;
        let seen = log();
        let s = seen.clone();
        db.authorizer(Some(move |ctx: AuthContext<'_>| {
            s.lock().unwrap().push(format!("{:?} db={:?} by={:?}", ctx.action, ctx.database_name, ctx.accessor));
            match ctx.action {
                AuthAction::Read { table_name: "secret", .. } => Authorization::Deny,
                AuthAction::Read { column_name: "private", .. } => Authorization::Ignore,
                _ => Authorization::Allow,
            }
        }));
        let row: (String, Option<String>) = db.query_row("SELECT public, private FROM foo", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(row, ("pub".to_string(), None));
        assert_eq!(
            taken(&seen),
            [
                "Select db=None by=None",
                "Read { table_name: \"foo\", column_name: \"public\" } db=Some(\"main\") by=None",
                "Read { table_name: \"foo\", column_name: \"private\" } db=Some(\"main\") by=None",
            ]
        );
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT x FROM secret"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::AuthorizationForStatementDenied, 23, "access to secret.x is prohibited"));
        db.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
        assert_eq!(one::<i64>(&db, "SELECT x FROM secret").optional()?, None);
        Ok(())
    }

    /// Actions other than reads: inserts, pragmas, transactions, functions, and Deny on DDL.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn authorizer_actions() {
        let db = crate::open()?;
        let seen = log();
        let s = seen.clone();
        db.authorizer(Some(move |ctx: AuthContext<'_>| {
            s.lock().unwrap().push(format!("{:?}", ctx.action));
            match ctx.action {
                AuthAction::DropTable { .. } => Authorization::Deny,
                _ => Authorization::Allow,
            }
        }));
        db.execute_batch("CREATE TABLE t(x)")?;
        let created = taken(&seen);
        assert!(created.contains(&"CreateTable { table_name: \"t\" }".to_string()), "{created:?}");
        db.execute_batch("BEGIN; INSERT INTO t VALUES (abs(-1)); COMMIT; PRAGMA user_version = 3")?;
        let got = taken(&seen);
        let expect = [
            format!("{:?}", AuthAction::Transaction { operation: TransactionOperation::Begin }),
            "Insert { table_name: \"t\" }".to_string(),
            "Function { function_name: \"abs\" }".to_string(),
            "Transaction { operation: Unknown }".to_string(),
            "Pragma { pragma_name: \"user_version\", pragma_value: Some(\"3\") }".to_string(),
        ];
        assert_eq!(got, expect);
        let (code, ext, msg) = err_parts(db.execute_batch("DROP TABLE t"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::AuthorizationForStatementDenied, 23, "not authorized"));
        // A panicking authorizer answers SQLITE_ERROR, which is SQLITE_DENY's value.
        db.authorizer(Some(|_: AuthContext<'_>| -> Authorization { panic!("authorizer") }));
        let (code, ext, msg) = err_parts(db.execute_batch("SELECT 1"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::AuthorizationForStatementDenied, 23, "not authorized"));
        Ok(())
    }

    /// The WAL hook runs after each commit in WAL mode, for the main database.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn wal_hook_after_commit() {
        let path = temp_db_path("wal-hook");
        let db = Connection::open(&path)?;
        let mode: String = db.query_row("PRAGMA journal_mode = wal", [], |r| r.get(0))?;
        assert_eq!(mode, "wal");
        db.wal_hook(Some(wal_recorder));
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        let got = std::mem::take(&mut *WAL_PAGES.lock().unwrap());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|(name, pages)| name == "main" && *pages > 0), "{got:?}");
        db.wal_hook(None);
        db.execute_batch("INSERT INTO t VALUES (2)")?;
        assert!(WAL_PAGES.lock().unwrap().is_empty());
        Ok(())
    }

    /// backup() to a file, restore() into another connection, with progress callbacks.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn backup_to_file_and_restore() {
        let src = crate::open()?;
        src.execute_batch("CREATE TABLE foo AS SELECT 42 AS x; INSERT INTO foo VALUES (43)")?;
        let path = temp_db_path("backup");
        PROGRESS.lock().unwrap().clear();
        src.backup(DatabaseName::Main, &path, Some(record_progress))?;
        let p = std::mem::take(&mut *PROGRESS.lock().unwrap());
        assert_eq!(p.last().map(|x| x.0), Some(0));
        assert!(p.last().unwrap().1 >= 2, "{p:?}");
        let check = Connection::open(&path)?;
        assert_eq!(one::<i64>(&check, "SELECT sum(x) FROM foo")?, 85);
        drop(check);
        let mut dst = crate::open()?;
        dst.restore(DatabaseName::Main, &path, Some(|_: Progress| {}))?;
        assert_eq!(one::<i64>(&dst, "SELECT sum(x) FROM foo")?, 85);
        dst.restore(DatabaseName::Main, &path, None::<fn(Progress)>)?;
        Ok(())
    }

    /// Backup::step page by page, progress, and StepResult::Done.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn backup_step_by_step() {
        let src = crate::open()?;
        src.execute_batch("CREATE TABLE big(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT 2000) INSERT INTO big SELECT randomblob(100) FROM c")?;
        let pages: i64 = one(&src, "PRAGMA page_count")?;
        let mut dst = crate::open()?;
        {
            let backup = Backup::new(&src, &mut dst)?;
            assert_eq!(backup.step(1)?, StepResult::More);
            let p = backup.progress();
            assert_eq!((p.pagecount as i64, p.remaining as i64), (pages, pages - 1));
            assert_eq!(backup.step(5)?, StepResult::More);
            assert_eq!(backup.progress().remaining as i64, pages - 6);
            assert_eq!(backup.step(-1)?, StepResult::Done);
            assert_eq!(backup.progress().remaining, 0);
        }
        assert_eq!(one::<i64>(&dst, "SELECT count(*) FROM big")?, 2000);
        let mut dst2 = crate::open()?;
        Backup::new_with_names(&src, DatabaseName::Main, &mut dst2, DatabaseName::Main)?
            .run_to_completion(3, Duration::ZERO, Some(record_progress))?;
        assert_eq!(one::<i64>(&dst2, "SELECT count(*) FROM big")?, 2000);
        Ok(())
    }

    /// Backup errors: an unknown source database, and a destination inside a transaction.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn backup_errors() {
        let src = crate::open()?;
        let mut dst = crate::open()?;
        let r = Backup::new_with_names(&src, DatabaseName::Attached("nope"), &mut dst, DatabaseName::Main);
        let (code, ext, msg) = parts(&r.err().expect("error"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "unknown database nope"));
        dst.execute_batch("CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES (1)")?;
        let r = Backup::new(&src, &mut dst);
        let (code, ext, msg) = parts(&r.err().expect("error"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "destination database is in use"));
        Ok(())
    }

    /// blob_open with Read/Write/Seek on a ZeroBlob-sized value.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn blob_read_write_seek() {
        let (db, rowid) = db_with_blob(10)?;
        let mut blob = db.blob_open(DatabaseName::Main, "b", "content", rowid, false)?;
        assert_eq!((blob.len(), blob.size(), blob.is_empty()), (10, 10, false));
        assert_eq!(blob.write(b"Clob")?, 4);
        assert_eq!(blob.write(b"567890xxxxxx")?, 6);
        assert_eq!(blob.write(b"5678")?, 0);
        blob.flush()?;
        blob.close()?;
        let mut blob = db.blob_open(DatabaseName::Main, "b", "content", rowid, true)?;
        let mut bytes = [0u8; 5];
        assert_eq!(blob.read(&mut bytes[..])?, 5);
        assert_eq!(&bytes, b"Clob5");
        assert_eq!(blob.read(&mut bytes[..])?, 5);
        assert_eq!(&bytes, b"67890");
        assert_eq!(blob.read(&mut bytes[..])?, 0);
        assert_eq!(blob.seek(SeekFrom::Start(2))?, 2);
        assert_eq!(blob.read(&mut bytes[..])?, 5);
        assert_eq!(&bytes, b"ob567");
        assert_eq!(blob.seek(SeekFrom::Current(-1))?, 6);
        assert_eq!(blob.read(&mut bytes[..])?, 4);
        assert_eq!(&bytes, b"78907");
        assert_eq!(blob.seek(SeekFrom::End(-6))?, 4);
        assert_eq!(blob.read(&mut bytes[..])?, 5);
        assert_eq!(&bytes, b"56789");
        let e = blob.seek(SeekFrom::Current(-100)).unwrap_err();
        assert_eq!((e.kind(), e.to_string()), (std::io::ErrorKind::InvalidInput, "invalid seek to negative position".to_string()));
        let e = blob.seek(SeekFrom::End(1)).unwrap_err();
        assert_eq!(e.to_string(), "invalid seek to position past end of blob");
        let mut all = Vec::new();
        blob.seek(SeekFrom::Start(0))?;
        blob.read_to_end(&mut all)?;
        assert_eq!(all, b"Clob567890");
        // Writing through a read-only handle is an engine error inside an io::Error.
        blob.seek(SeekFrom::Start(0))?;
        let e = blob.write(b"x").unwrap_err();
        let inner = e.into_inner().unwrap().downcast::<Error>().unwrap();
        assert_eq!(parts(&inner), (ErrorCode::ReadOnly, 8, "attempt to write a readonly database".to_string()));
        Ok(())
    }

    /// Positional I/O: read_at, read_at_exact, write_at and BlobSizeError.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn blob_positional_io() {
        let (db, rowid) = db_with_blob(10)?;
        let mut blob = db.blob_open(DatabaseName::Main, "b", "content", rowid, false)?;
        blob.write_at(b"ABCDEF", 2)?;
        let mut buf = [0u8; 10];
        blob.read_at_exact(&mut buf, 0)?;
        assert_eq!(&buf, b"\0\0ABCDEF\0\0");
        assert!(matches!(blob.write_at(b"too long", 5), Err(Error::BlobSizeError)));
        assert!(matches!(blob.read_at_exact(&mut buf, 1), Err(Error::BlobSizeError)));
        assert_eq!(blob.read_at(&mut buf, 8)?, 2);
        assert_eq!(blob.read_at(&mut buf, 10)?, 0);
        assert_eq!(blob.read_at(&mut buf, 100)?, 0);
        blob.write_all_at(b"Z", 9)?;
        assert_eq!(Error::BlobSizeError.to_string(), "Blob size is insufficient");
        // the std::io position is untouched by positional calls
        let mut first = [0u8; 3];
        assert_eq!(blob.read(&mut first)?, 3);
        assert_eq!(&first, b"\0\0A");
        drop(blob);
        assert_eq!(one::<String>(&db, "SELECT hex(content) FROM b")?, "0000414243444546005A");
        Ok(())
    }

    /// blob_open errors and reopen onto another row.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn blob_open_errors_and_reopen() {
        let (db, rowid) = db_with_blob(4)?;
        db.execute("INSERT INTO b VALUES (?1)", [ZeroBlob(64)])?;
        let second = db.last_insert_rowid();
        let mut blob = db.blob_open(DatabaseName::Main, "b", "content", rowid, true)?;
        assert_eq!(blob.len(), 4);
        blob.reopen(second)?;
        assert_eq!(blob.len(), 64);
        let (code, ext, msg) = err_parts(blob.reopen(999));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "no such rowid: 999"));
        drop(blob);
        let (code, ext, msg) = err_parts(db.blob_open(DatabaseName::Main, "b", "content", 999, true));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "no such rowid: 999"));
        let (_, _, msg) = err_parts(db.blob_open(DatabaseName::Main, "nope", "content", rowid, true));
        assert_eq!(msg, "no such table: main.nope");
        let (_, _, msg) = err_parts(db.blob_open(DatabaseName::Main, "b", "nope", rowid, true));
        assert_eq!(msg, "no such column: \"nope\"");
        db.execute("INSERT INTO b VALUES (5)", [])?;
        let int_row = db.last_insert_rowid();
        let (_, _, msg) = err_parts(db.blob_open(DatabaseName::Main, "b", "content", int_row, true));
        assert_eq!(msg, "cannot open value of type integer");
        let e = db.blob_open(DatabaseName::Main, "b\0", "content", rowid, true).err().unwrap();
        assert!(matches!(e, Error::NulError(_)));
        Ok(())
    }

    /// ZeroBlob binds as a blob of zeros and converts to ToSqlOutput::ZeroBlob.
    fn zeroblob_parameter() {
        let db = crate::open()?;
        let (t, n): (String, i64) = db.query_row("SELECT typeof(?1), length(?1)", [ZeroBlob(7)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!((t.as_str(), n), ("blob", 7));
        assert_eq!(ZeroBlob(3).to_sql()?, ToSqlOutput::ZeroBlob(3));
        assert_eq!(one::<Vec<u8>>(&db, "SELECT zeroblob(0)")?, Vec::<u8>::new());
        let v: Vec<u8> = db.query_row("SELECT ?1", [ZeroBlob(0)], |r| r.get(0))?;
        assert!(v.is_empty());
        Ok(())
    }

    /// limit/set_limit return values, the limit taking effect, and invalid values.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn limits_get_and_set() {
        let db = crate::open()?;
        db.set_limit(Limit::SQLITE_LIMIT_LENGTH, 1024)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_LENGTH)?, 1024);
        assert_eq!(db.set_limit(Limit::SQLITE_LIMIT_LENGTH, 2048)?, 1024);
        db.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 1024)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_SQL_LENGTH)?, 1024);
        db.set_limit(Limit::SQLITE_LIMIT_COLUMN, 64)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_COLUMN)?, 64);
        db.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 256)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_EXPR_DEPTH)?, 256);
        db.set_limit(Limit::SQLITE_LIMIT_COMPOUND_SELECT, 32)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_COMPOUND_SELECT)?, 32);
        db.set_limit(Limit::SQLITE_LIMIT_FUNCTION_ARG, 32)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_FUNCTION_ARG)?, 32);
        db.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 2)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_ATTACHED)?, 2);
        db.set_limit(Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 128)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH)?, 128);
        db.set_limit(Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 99)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_VARIABLE_NUMBER)?, 99);
        db.set_limit(Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 32)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_TRIGGER_DEPTH)?, 32);
        db.set_limit(Limit::SQLITE_LIMIT_WORKER_THREADS, 2)?;
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_WORKER_THREADS)?, 2);
        let (code, ext, msg) = err_parts(db.set_limit(Limit::SQLITE_LIMIT_LENGTH, -1));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::ParameterOutOfRange, 25, "-1 is invalid"));
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_LENGTH)?, 2048);
        Ok(())
    }

    /// A lowered limit makes statements fail with the engine's error.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn limits_take_effect() {
        let db = crate::open()?;
        db.set_limit(Limit::SQLITE_LIMIT_LENGTH, 10)?;
        let (code, ext, msg) = err_parts(one::<Vec<u8>>(&db, "SELECT zeroblob(100)"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::TooBig, 18, "string or blob too big"));
        db.set_limit(Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 2)?;
        let e = db.prepare("SELECT ?3").unwrap_err();
        // rusqlite reports this prepare error with SQLite's generic text.
        assert_eq!(e.to_string(), "SQL logic error in SELECT ?3 at offset 7");
        let (_, _, msg) = err_parts(db.set_limit(Limit::SQLITE_LIMIT_COLUMN, -5));
        assert_eq!(msg, "-5 is invalid");
        Ok(())
    }

    /// execute_batch holds the rest of the batch, at each statement, against
    /// SQLITE_LIMIT_SQL_LENGTH (SQLite does so for text that is not NUL-terminated): a batch
    /// longer than the limit fails at its first statement, with nothing applied; a long batch
    /// of short statements runs whole under a limit above its length.
    #[local_only("run-time limits are the local engine's")]
    fn execute_batch_against_the_sql_length_limit() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        db.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 100)?;
        let under = "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);";
        db.execute_batch(under)?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 2);
        let over = format!("{under} {under} {under}");
        let (code, ext, msg) = err_parts(db.execute_batch(&over));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::TooBig, 18, "statement too long"));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 2);
        db.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 1_000_000)?;
        db.execute_batch(&"INSERT INTO t VALUES (3);\n".repeat(20_000))?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 20_002);
        Ok(())
    }

    /// trace sees each statement with parameters expanded; profile sees finished ones.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn trace_and_profile() {
        let mut db = crate::open()?;
        TRACED.lock().unwrap().clear();
        PROFILED.lock().unwrap().clear();
        db.trace(Some(tracer));
        let _ = db.query_row("SELECT ?1", [1i32], |_| Ok(()));
        let _ = db.query_row("SELECT ?1", ["hello"], |_| Ok(()));
        db.trace(None);
        let _ = db.query_row("SELECT ?1", [2i32], |_| Ok(()));
        assert_eq!(*TRACED.lock().unwrap(), ["SELECT 1", "SELECT 'hello'"]);
        db.profile(Some(profiler));
        db.execute_batch("PRAGMA application_id = 1")?;
        db.profile(None);
        db.execute_batch("PRAGMA application_id = 2")?;
        assert_eq!(*PROFILED.lock().unwrap(), ["PRAGMA application_id = 1"]);
        Ok(())
    }

    /// trace_v2 reports the events of its mask, and the close event on drop.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn trace_v2_events() {
        let db = crate::open()?;
        EVENTS_V2.lock().unwrap().clear();
        db.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT | TraceEventCodes::SQLITE_TRACE_ROW, Some(tracer_v2));
        let _: i64 = db.query_row("SELECT ?1 + 1", [41], |r| r.get(0))?;
        db.trace_v2(TraceEventCodes::SQLITE_TRACE_PROFILE | TraceEventCodes::SQLITE_TRACE_CLOSE, Some(tracer_v2));
        db.execute_batch("CREATE TABLE t(x)")?;
        drop(db);
        assert_eq!(
            *EVENTS_V2.lock().unwrap(),
            [
                "stmt SELECT ?1 + 1 | SELECT ?1 + 1",
                "row SELECT 41 + 1",
                "profile CREATE TABLE t(x)",
                "close autocommit=true",
            ]
        );
        assert_eq!(TraceEventCodes::all().bits(), 0x0f);
        let db = crate::open()?;
        db.trace_v2(TraceEventCodes::empty(), None);
        Ok(())
    }

    /// Loading a missing library: the loader's own error, NUL checks, and the guard turning
    /// loading (for the C API and for SQL) off again.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn load_extension_missing_file() {
        let db = crate::open()?;
        let path = "/nonexistent/dir/no_such_extension";
        let missing = format!("{path}.so: cannot open shared object file: No such file or directory");
        // The SQL function is off by default.
        let (code, ext, msg) = err_parts(one::<i64>(&db, "SELECT load_extension('/nonexistent/x')"));
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "not authorized"));
        {
            let _guard = unsafe { LoadExtensionGuard::new(&db)? };
            let (code, ext, msg) = err_parts(unsafe { db.load_extension(path, None) });
            assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, missing.as_str()));
            let (_, _, msg) = err_parts(unsafe { db.load_extension(path, Some("my_init")) });
            assert_eq!(msg, missing);
            let e = unsafe { db.load_extension(path, Some("bad\0entry")) }.unwrap_err();
            assert!(matches!(e, Error::NulError(_)));
            let (_, _, msg) = err_parts(one::<i64>(&db, "SELECT load_extension('/nonexistent/x')"));
            assert_eq!(msg, "/nonexistent/x.so: cannot open shared object file: No such file or directory");
        }
        // The guard disabled loading, for the C API too.
        let (code, ext, msg) = err_parts(unsafe { db.load_extension(path, None) });
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::Unknown, 1, "not authorized"));
        unsafe { db.load_extension_enable()? };
        let (_, _, msg) = err_parts(unsafe { db.load_extension(path, None) });
        assert_eq!(msg, missing);
        db.load_extension_disable()?;
        Ok(())
    }

    /// A registered auto-extension runs for each new connection until cancelled; a failing
    /// one makes opening fail.
    #[local_only("Rust callbacks and engine handles exist only for local connections")]
    fn auto_extension_register_cancel_reset() {
        use rusqlite::auto_extension::{cancel_auto_extension, register_auto_extension, reset_auto_extension};
        AUTO_EXT_CALLS.store(0, Ordering::SeqCst);
        unsafe { register_auto_extension(counting_extension)? };
        let _a = crate::open()?;
        let _b = crate::open()?;
        assert_eq!(AUTO_EXT_CALLS.load(Ordering::SeqCst), 2);
        assert!(cancel_auto_extension(counting_extension));
        assert!(!cancel_auto_extension(counting_extension));
        let _c = crate::open()?;
        assert_eq!(AUTO_EXT_CALLS.load(Ordering::SeqCst), 2);
        unsafe { register_auto_extension(failing_extension)? };
        let e = Connection::open_in_memory().unwrap_err();
        reset_auto_extension();
        let (code, ext, msg) = parts(&e);
        assert_eq!((code, ext, msg.as_str()), (ErrorCode::DatabaseCorrupt, 11, "automatic extension loading failed: "));
        let _d = crate::open()?;
        Ok(())
    }

    /// Types and values of the hook enums match rusqlite's.
    fn hook_and_function_enum_values() {
        assert_eq!(Action::SQLITE_DELETE as i32, 9);
        assert_eq!(Action::SQLITE_INSERT as i32, 18);
        assert_eq!(Action::SQLITE_UPDATE as i32, 23);
        assert_eq!(Limit::SQLITE_LIMIT_WORKER_THREADS as i32, 11);
        assert_eq!(FunctionFlags::SQLITE_DETERMINISTIC.bits(), 0x800);
        assert_eq!(FunctionFlags::SQLITE_DIRECTONLY.bits(), 0x80000);
        assert_eq!(TraceEventCodes::SQLITE_TRACE_PROFILE.bits(), 2);
        assert_eq!(format!("{:?}", Authorization::Ignore), "Ignore");
        assert_ne!(StepResult::Busy, StepResult::Locked);
        Ok(())
    }
}
