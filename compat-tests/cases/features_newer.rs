//! The callback and handle modules (`functions`, `hooks`, `trace`, `backup`, `blob`, `limits`,
//! `serialize`) in the forms rusqlite 0.36+ gives them, compiled under the newer surfaces only:
//! `Name`d databases and functions, hook methods returning `Result` (and taking `&mut self` from
//! 0.41), `busy_handler`/`trace_v2` as 0.41 closures or 0.40 `fn` pointers. Each case uses
//! the calls both 0.40 and 0.43 accept and states any per-version expectation by `SURFACE`.
//! The built-in virtual tables (`rarray()`, `generate_series`) and the 0.40 forms of the
//! module-argument helpers (`dequote`, `parameter` returning `Cow`s) are here too.
#![allow(unused_mut)] // `let mut db`: 0.41+ hooks take `&mut self`, 0.40's take `&self`.

use crate::support::{one, temp_db_path};
use rusqlite::backup::{Backup, Progress, StepResult};
use rusqlite::blob::ZeroBlob;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::hooks::Action;
use rusqlite::limits::Limit;
use rusqlite::serialize::Data;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::vtab::array::Array;
use rusqlite::vtab::{dequote, parameter};
use rusqlite::{Connection, Error, ErrorCode, MAIN_DB, TEMP_DB};
use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn flags() -> FunctionFlags {
    FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC
}

/// `(code, message)` of a `SqliteFailure`, panicking on any other variant.
fn failure<T: std::fmt::Debug>(r: rusqlite::Result<T>) -> (ErrorCode, String) {
    match r {
        Err(Error::SqliteFailure(e, msg)) => (e.code, msg.unwrap_or_default()),
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
}

/// An aggregate whose accumulator is `Send` (0.41+ requires it).
struct Product;

impl Aggregate<i64, Option<i64>> for Product {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<i64> {
        Ok(1)
    }
    fn step(&self, ctx: &mut Context<'_>, acc: &mut i64) -> rusqlite::Result<()> {
        *acc *= ctx.get::<i64>(0)?;
        Ok(())
    }
    fn finalize(&self, _: &mut Context<'_>, acc: Option<i64>) -> rusqlite::Result<Option<i64>> {
        Ok(acc)
    }
}

static BUSY_CALLS: AtomicUsize = AtomicUsize::new(0);

fn give_up_after_three(count: i32) -> bool {
    BUSY_CALLS.fetch_add(1, Ordering::SeqCst);
    count < 2
}

static TRACED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record_statement(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(_, sql) = event {
        TRACED.lock().unwrap().push(sql.to_string());
    }
}

cases! {
    /// Function names are `Name`s: a `&str` or a `&CStr`.
    #[local_only("Rust callbacks exist only for local connections")]
    fn scalar_function_named_by_cstr() {
        let db = crate::open()?;
        db.create_scalar_function(c"twice", 1, flags(), |ctx| Ok(ctx.get::<i64>(0)? * 2))?;
        assert_eq!(one::<i64>(&db, "SELECT twice(21)")?, 42);
        db.remove_function(c"twice", 1)?;
        match db.prepare("SELECT twice(1)") {
            Err(Error::SqlInputError { msg, offset, .. }) => {
                assert_eq!((msg.as_str(), offset), ("no such function: twice", 7));
            }
            other => panic!("expected SqlInputError, got {other:?}"),
        }
        Ok(())
    }

    /// A function result of `ToSqlOutput::Arg(i)` is argument `i` itself, subtype included
    /// (JSON nests instead of being quoted).
    #[local_only("Rust callbacks exist only for local connections")]
    fn function_returns_an_argument_by_index() {
        let db = crate::open()?;
        let flags = flags() | FunctionFlags::SQLITE_RESULT_SUBTYPE;
        db.create_scalar_function("second", 2, flags, |_| Ok(ToSqlOutput::Arg(1)))?;
        let nested: String = one(&db, "SELECT json_object('a', second(0, json('[1,2]')))")?;
        assert_eq!(nested, r#"{"a":[1,2]}"#);
        assert_eq!(one::<i64>(&db, "SELECT second('x', 41) + 1")?, 42);
        Ok(())
    }

    /// A type mismatch in `ctx.get` fails the statement with the variant's text: 0.42 renamed
    /// `InvalidFunctionParameterType` to `InvalidParameterType`, and its message with it.
    #[local_only("Rust callbacks exist only for local connections")]
    fn scalar_function_parameter_type_message() {
        let db = crate::open()?;
        db.create_scalar_function("needs_int", 1, flags(), |ctx| ctx.get::<i64>(0))?;
        let (code, msg) = failure(db.query_row("SELECT needs_int('x')", [], |r| r.get::<_, i64>(0)));
        let expected = match crate::SURFACE {
            "0.40" => "Invalid function parameter type Text at index 0",
            _ => "Invalid function or filter parameter type Text at index 0",
        };
        assert_eq!((code, msg.as_str()), (ErrorCode::Unknown, expected));
        Ok(())
    }

    /// An invalid UTF-8 argument read as text is `Utf8Error` naming the argument (0.39+).
    #[local_only("Rust callbacks exist only for local connections")]
    fn scalar_function_utf8_error_names_the_argument() {
        let db = crate::open()?;
        db.create_scalar_function("text_len", 1, flags(), |ctx| {
            match ctx.get::<String>(0) {
                Err(Error::Utf8Error(idx, _)) => Ok(-(idx as i64) - 1),
                other => other.map(|s| s.len() as i64),
            }
        })?;
        assert_eq!(one::<i64>(&db, "SELECT text_len('abc')")?, 3);
        assert_eq!(one::<i64>(&db, "SELECT text_len(CAST(x'ff' AS TEXT))")?, -1);
        Ok(())
    }

    #[local_only("Rust callbacks exist only for local connections")]
    fn aggregate_function_with_send_accumulator() {
        let db = crate::open()?;
        db.create_aggregate_function("product", 1, flags(), Product)?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (2), (3), (7)")?;
        assert_eq!(one::<Option<i64>>(&db, "SELECT product(x) FROM t")?, Some(42));
        assert_eq!(one::<Option<i64>>(&db, "SELECT product(x) FROM t WHERE x > 9")?, None);
        Ok(())
    }

    #[local_only("Rust callbacks exist only for local connections")]
    fn collation_named_by_cstr() {
        let db = crate::open()?;
        db.create_collation(c"backwards", |a: &str, b: &str| b.cmp(a))?;
        db.execute_batch("CREATE TABLE t(s); INSERT INTO t VALUES ('a'), ('c'), ('b')")?;
        let first: String = one(&db, "SELECT s FROM t ORDER BY s COLLATE backwards")?;
        assert_eq!(first, "c");
        db.remove_collation("backwards")?;
        let (_, msg) = failure(db.prepare("SELECT s FROM t ORDER BY s COLLATE backwards"));
        assert_eq!(msg, "no such collation sequence: backwards");
        Ok(())
    }

    /// The hook methods return `Result<()>` (0.38+); the closures see every change.
    #[local_only("Rust callbacks exist only for local connections")]
    fn hooks_return_results_and_see_changes() {
        let mut db = crate::open()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (u, c, r) = (log.clone(), log.clone(), log.clone());
        db.update_hook(Some(move |a: Action, d: &str, t: &str, id: i64| {
            u.lock().unwrap().push(format!("{a:?} {d}.{t} {id}"));
        }))?;
        db.commit_hook(Some(move || {
            c.lock().unwrap().push("commit".to_string());
            false
        }))?;
        db.rollback_hook(Some(move || r.lock().unwrap().push("rollback".to_string())))?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")?;
        db.execute_batch("BEGIN; DELETE FROM t WHERE x = 1; ROLLBACK;")?;
        db.update_hook(None::<fn(Action, &str, &str, i64)>)?;
        db.commit_hook(None::<fn() -> bool>)?;
        db.rollback_hook(None::<fn()>)?;
        db.execute_batch("INSERT INTO t VALUES (2)")?;
        let log = log.lock().unwrap().clone();
        assert_eq!(
            log,
            [
                "commit",
                "SQLITE_INSERT main.t 1",
                "commit",
                "SQLITE_DELETE main.t 1",
                "rollback",
            ]
        );
        Ok(())
    }

    /// A progress handler returning true interrupts the statement.
    #[local_only("Rust callbacks exist only for local connections")]
    fn progress_handler_interrupts() {
        let mut db = crate::open()?;
        db.progress_handler(1, Some(|| true))?;
        let err = db
            .query_row("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::OperationInterrupted));
        db.progress_handler(0, None::<fn() -> bool>)?;
        assert_eq!(one::<i64>(&db, "SELECT 1")?, 1);
        Ok(())
    }

    /// A busy handler is asked with the retry count until it gives up.
    #[local_only("the busy handler is a local engine callback")]
    fn busy_handler_counts_retries() {
        let path = temp_db_path("newer-busy");
        let holder = Connection::open(&path)?;
        holder.execute_batch("CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")?;
        let mut waiter = Connection::open(&path)?;
        BUSY_CALLS.store(0, Ordering::SeqCst);
        waiter.busy_handler(Some(give_up_after_three as fn(i32) -> bool))?;
        let err = waiter.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::DatabaseBusy));
        assert_eq!(BUSY_CALLS.load(Ordering::SeqCst), 3);
        holder.execute_batch("COMMIT")?;
        waiter.busy_handler(None::<fn(i32) -> bool>)?;
        waiter.execute("INSERT INTO t VALUES (2)", [])?;
        Ok(())
    }

    #[local_only("tracing is a local engine callback")]
    fn trace_v2_reports_statements() {
        let mut db = crate::open()?;
        TRACED.lock().unwrap().clear();
        let _ = db.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(record_statement as fn(TraceEvent<'_>)),
        );
        db.execute_batch("CREATE TABLE traced(x)")?;
        let _ = db.trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>);
        db.execute_batch("DROP TABLE traced")?;
        assert_eq!(*TRACED.lock().unwrap(), ["CREATE TABLE traced(x)"]);
        Ok(())
    }

    /// `backup` and `Backup::new_with_names` take `Name`s.
    #[local_only("the backup API copies between local databases")]
    fn backup_to_file_and_step_by_step() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);")?;
        let path = temp_db_path("newer-backup");
        db.backup(MAIN_DB, &path, None::<fn(Progress)>)?;
        let copy = Connection::open(&path)?;
        assert_eq!(one::<i64>(&copy, "SELECT sum(x) FROM t")?, 6);

        let mut dst = Connection::open_in_memory()?;
        {
            let backup = Backup::new_with_names(&db, "main", &mut dst, MAIN_DB)?;
            assert_eq!(backup.step(-1)?, StepResult::Done);
            assert_eq!(backup.progress().remaining, 0);
        }
        assert_eq!(one::<i64>(&dst, "SELECT count(*) FROM t")?, 3);
        Ok(())
    }

    /// `blob_open` takes `Name`s; the handle reads, writes and seeks in place.
    #[local_only("incremental blob I/O needs a local database")]
    fn blob_io_with_names() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE b(x)")?;
        db.execute("INSERT INTO b VALUES (?1)", [ZeroBlob(8)])?;
        let row = db.last_insert_rowid();
        let mut blob = db.blob_open(MAIN_DB, "b", "x", row, false)?;
        assert_eq!(blob.len(), 8);
        blob.write_all(b"abcd")?;
        blob.seek(SeekFrom::Start(2))?;
        let mut buf = [0u8; 4];
        blob.read_exact(&mut buf)?;
        assert_eq!(&buf, b"cd\0\0");
        assert!(matches!(blob.read_at_exact(&mut [0u8; 4], 6), Err(Error::BlobSizeError)));
        blob.close()?;
        let Err(err) = db.blob_open(MAIN_DB, "b", "nope", row, true) else {
            panic!("a missing column opens no blob");
        };
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::Unknown));
        Ok(())
    }

    #[local_only("run-time limits are the local engine's")]
    fn limits_read_and_set() {
        let db = crate::open()?;
        let old = db.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 2)?;
        assert!(old >= 2, "{old}");
        assert_eq!(db.limit(Limit::SQLITE_LIMIT_ATTACHED)?, 2);
        let (code, msg) = failure(db.set_limit(Limit::SQLITE_LIMIT_ATTACHED, -1));
        assert_eq!((code, msg.as_str()), (ErrorCode::ParameterOutOfRange, "-1 is invalid"));
        Ok(())
    }

    /// An `Array` bound to `rarray(?)` is an `IN` list, and reads back as a table in order.
    #[local_only("virtual tables run inside the local engine")]
    fn rarray_in_list() {
        let db = crate::open()?;
        rusqlite::vtab::array::load_module(&db)?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4), ('x')")?;
        let wanted: Array = Rc::new(vec![Value::from(4), Value::from(1), Value::from("x".to_owned())]);
        let mut stmt = db.prepare("SELECT x FROM t WHERE x IN rarray(?1) ORDER BY x")?;
        let found = stmt
            .query_map([&wanted], |r| r.get::<_, Value>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        assert_eq!(found, [Value::from(1), Value::from(4), Value::from("x".to_owned())]);
        let listed = stmt
            .query_map([Rc::new(vec![Value::from(2)])], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        assert_eq!(listed, [2]);
        let values = db
            .prepare("SELECT value FROM rarray(?1)")?
            .query_map([&wanted], |r| r.get::<_, Value>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        assert_eq!(values, *wanted);
        Ok(())
    }

    /// `generate_series(start, stop, step)`, with the step defaulting to 1.
    #[local_only("virtual tables run inside the local engine")]
    fn generate_series_steps() {
        let db = crate::open()?;
        rusqlite::vtab::series::load_module(&db)?;
        let by_five: String = one(&db, "SELECT group_concat(value) FROM generate_series(0, 20, 5)")?;
        assert_eq!(by_five, "0,5,10,15,20");
        let total: i64 = one(&db, "SELECT sum(value) FROM generate_series(1, 10)")?;
        assert_eq!(total, 55);
        let count: i64 = one(&db, "SELECT count(*) FROM generate_series(5, 1)")?;
        assert_eq!(count, 0);
        Ok(())
    }

    /// 0.40's `dequote` strips `"…"`, `'…'`, `` `…` `` and `[…]` and undoubles inner quotes;
    /// `parameter` splits at the first `=` and dequotes the value.
    fn vtab_argument_helpers() {
        assert_eq!(dequote("'it''s'"), "it's");
        assert!(matches!(dequote("\"plain\""), Cow::Borrowed("plain")));
        assert_eq!(dequote("[a b]"), "a b");
        assert_eq!(dequote("`x`"), "x");
        assert_eq!(dequote("'lone'quote'"), "lone'quote");
        assert_eq!(dequote("bare"), "bare");
        assert_eq!(dequote("'"), "'");
        let (key, value) = parameter(b" filename = 'a=b.csv' ")?;
        assert_eq!((key, value.as_ref()), ("filename", "a=b.csv"));
        match parameter(b"header") {
            Err(Error::ModuleError(msg)) => assert_eq!(msg, "illegal argument: 'header'"),
            other => panic!("expected ModuleError, got {other:?}"),
        }
        assert!(matches!(parameter(b"k=\xff"), Err(Error::Utf8Error(..))));
        Ok(())
    }

    /// Pointer passing (feature `pointer`, 0.39+): an `Rc` bound as a pointer reaches a Rust
    /// function through `Context::get_pointer`, whose boxed pointer result the row reads back
    /// with `Row::get_pointer`; SQLite releases both, and to SQL a pointer is NULL. (Only
    /// NULLs and pointers are asked for one: rusqlite debug-asserts that the value is NULL,
    /// where dbcompat, like a release build of rusqlite, answers `None`.)
    #[local_only("user functions and pointers live in the local engine; a remote bind of a pointer is the local-only error (tests/remote_session.rs)")]
    fn pointer_passing_through_a_function() {
        const PTR: &std::ffi::CStr = c"dbcompat_test_ptr";
        let rc = Rc::new(41_i32);
        let db = crate::open()?;
        db.create_scalar_function("plus_one", 1, flags(), |ctx| {
            // SAFETY: every pointer of type PTR in this test points to an i32.
            let arg: Option<&i32> = unsafe { ctx.get_pointer(0, PTR) };
            Ok(match arg {
                Some(v) => ToSqlOutput::new_boxed(v + 1, PTR),
                None => ToSqlOutput::from(rusqlite::types::Null),
            })
        })?;
        {
            let ptr = ToSqlOutput::from_rc(rc.clone(), PTR);
            assert_eq!(Rc::strong_count(&rc), 2);
            let mut stmt = db.prepare("SELECT plus_one(?1), typeof(?1), plus_one(NULL)")?;
            let (got, other_type, sql_type, plain) = stmt.query_row([ptr], |r| {
                // SAFETY: as above.
                unsafe {
                    Ok((
                        r.get_pointer::<_, i32>(0, PTR)?.copied(),
                        r.get_pointer::<_, i32>(0, c"another_type")?.copied(),
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                }
            })?;
            assert_eq!(got, Some(42));
            assert_eq!(other_type, None);
            assert_eq!(sql_type, "null");
            assert_eq!(plain, None);
        }
        // The statement is gone, and SQLite dropped its reference with it.
        assert_eq!(Rc::strong_count(&rc), 1);
        Ok(())
    }

    /// With `csvtab`, a `csv::Error` converts into `Error::ModuleError` holding its text.
    fn csv_error_converts_to_a_module_error() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&b"a,b\nc\n"[..]);
        let csv_error = reader
            .records()
            .find_map(|r| r.err())
            .expect("an unequal record length is an error");
        let text = csv_error.to_string();
        match rusqlite::Error::from(csv_error) {
            rusqlite::Error::ModuleError(message) => assert_eq!(message, text),
            other => panic!("expected ModuleError, got {other:?}"),
        }
        Ok(())
    }

    /// The `csv` module reads a file's rows, with the header naming the columns.
    #[local_only("virtual tables run inside the local engine")]
    fn csvtab_reads_a_file() {
        let path = temp_db_path("newer-csv").with_extension("csv");
        std::fs::write(&path, "id,name\n1,ann\n2,\"b,ob\"\n")?;
        let db = crate::open()?;
        rusqlite::vtab::csvtab::load_module(&db)?;
        let escaped = path.display().to_string().replace('\'', "''");
        db.execute_batch(&format!(
            "CREATE VIRTUAL TABLE people USING csv(filename='{escaped}', header=yes)"
        ))?;
        let names = db
            .prepare("SELECT id, name FROM people ORDER BY id DESC")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        assert_eq!(names, [("2".into(), "b,ob".into()), ("1".into(), "ann".into())]);
        match db.execute_batch("CREATE VIRTUAL TABLE bad USING csv(header=yes)") {
            Err(Error::SqliteFailure(_, Some(msg))) => {
                assert_eq!(msg, "no CSV file specified");
            }
            other => panic!("expected SqliteFailure, got {other:?}"),
        }
        Ok(())
    }

    /// `serialize` and `deserialize_*` take `Name`s; a plain database serializes as a copy,
    /// a deserialized one (SQLite's memdb) without one; a short read is
    /// `SqliteFailure(CannotOpen)`.
    #[local_only("serialization reads and replaces the local engine's pages")]
    fn serialize_round_trip_with_names() {
        let mut src = crate::open()?;
        src.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (4), (5);")?;
        let image = {
            let data = src.serialize(MAIN_DB)?;
            assert!(matches!(data, Data::Owned(_)), "a plain database serializes as a copy");
            data.to_vec()
        };
        let mut dst = Connection::open_in_memory()?;
        dst.deserialize_read_exact("main", &image[..], image.len(), false)?;
        {
            let data = dst.serialize(MAIN_DB)?;
            assert!(matches!(data, Data::Shared(_)), "a memdb serializes in place");
            assert_eq!(&data[..], &image[..]);
        }
        assert_eq!(one::<i64>(&dst, "SELECT sum(x) FROM t")?, 9);
        dst.execute("INSERT INTO t VALUES (6)", [])?;
        assert_eq!(one::<i64>(&dst, "SELECT count(*) FROM t")?, 3);

        let mut ro = Connection::open_in_memory()?;
        ro.deserialize_bytes(MAIN_DB, Box::leak(image.into_boxed_slice()))?;
        assert_eq!(one::<i64>(&ro, "SELECT count(*) FROM t")?, 2);
        let (code, _) = failure(ro.execute("INSERT INTO t VALUES (7)", []));
        assert_eq!(code, ErrorCode::ReadOnly);

        let (code, msg) = failure(dst.deserialize_read_exact(MAIN_DB, &b"short"[..], 1024, true));
        assert_eq!(code, ErrorCode::CannotOpen);
        assert!(!msg.is_empty());
        Ok(())
    }

    /// `prepare_and_bind!` / `prepare_cached_and_bind!` (feature `rusqlite-macros`) bind the
    /// Rust variables the `$name` / `@name` / `:name` parameters name.
    fn prepare_and_bind_captures_variables() {
        let db = crate::open()?;
        let (name, age, smart) = ("Lisa", 8, true);
        let mut stmt = rusqlite::prepare_and_bind!(db, "SELECT $name, @age, :smart");
        let mut rows = stmt.raw_query();
        let row = rows.next()?.expect("one row");
        let got: (String, i64, bool) = (row.get(0)?, row.get(1)?, row.get(2)?);
        assert_eq!(got, ("Lisa".to_owned(), 8, true));
        drop(rows);
        drop(stmt);

        let age = 9;
        let mut stmt = rusqlite::prepare_cached_and_bind!(db, "SELECT @age + 1");
        let mut rows = stmt.raw_query();
        assert_eq!(rows.next()?.expect("one row").get::<_, i64>(0)?, 10);
        Ok(())
    }

    /// `i128` and `NonZeroI128` (feature `i128_blob`) as 16-byte BLOBs that sort like the
    /// integers, and the error for a BLOB of another size.
    fn i128_blob_round_trip_and_order() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE big(x BLOB)")?;
        for v in [i128::MIN, -5, 0, 7, i128::MAX] {
            db.execute("INSERT INTO big VALUES (?1)", [v])?;
        }
        let nz = std::num::NonZeroI128::new(-9).expect("non-zero");
        db.execute("INSERT INTO big VALUES (?1)", [nz])?;
        let sorted: Vec<i128> = db
            .prepare("SELECT x FROM big ORDER BY x")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        assert_eq!(sorted, [i128::MIN, -9, -5, 0, 7, i128::MAX]);
        let mut zero = vec![0u8; 16];
        zero[0] = 0x80;
        assert_eq!(one::<Vec<u8>>(&db, "SELECT x FROM big WHERE rowid = 3")?, zero);
        let seven: std::num::NonZeroI128 =
            db.query_row("SELECT x FROM big WHERE rowid = 4", [], |r| r.get(0))?;
        assert_eq!(seven.get(), 7);
        match db.query_row("SELECT x FROM big WHERE rowid = 3", [], |r| {
            r.get::<_, std::num::NonZeroI128>(0)
        }) {
            Err(Error::IntegralValueOutOfRange(0, 0)) => {}
            other => panic!("expected IntegralValueOutOfRange(0, 0), got {other:?}"),
        }
        match one::<i128>(&db, "SELECT x'0102'") {
            Err(Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, e)) => {
                assert_eq!(e.to_string(), "Cannot read 16 byte value out of 2 byte blob");
            }
            other => panic!("expected FromSqlConversionFailure, got {other:?}"),
        }
        Ok(())
    }

    /// `table_exists` / `column_exists` (0.36+): `sqlite3_table_column_metadata` answered
    /// by the engine (remotely, by the shadow of the server's schema).
    fn table_and_column_exist() {
        let db = crate::open()?;
        db.execute_batch(PEOPLE)?;
        assert!(db.table_exists(None, "people")?);
        assert!(db.table_exists(Some(MAIN_DB), c"people")?);
        assert!(!db.table_exists(Some(TEMP_DB), c"people")?);
        assert!(!db.table_exists(None, "nobody")?);
        assert!(db.column_exists(None, "people", "name")?);
        assert!(db.column_exists(Some("main"), "people", "rowid")?);
        assert!(!db.column_exists(None, "people", "email")?);
        assert!(db.column_exists(Some(TEMP_DB), c"sqlite_master", c"type")?);
        assert!(!db.column_exists(Some(MAIN_DB), c"sqlite_temp_master", c"type")?);
        assert!(matches!(db.table_exists(None, "bad\0name"), Err(Error::NulError(_))));
        Ok(())
    }

    /// `Connection::column_metadata`: declared type, collation, NOT NULL, PRIMARY KEY,
    /// AUTOINCREMENT (`&CStr`s in 0.40, `CString`s in 0.43); no such column is
    /// `SqliteFailure(SQLITE_ERROR)` with SQLite's message.
    fn connection_column_metadata() {
        let db = crate::open()?;
        db.execute_batch(PEOPLE)?;
        let meta = |column: &str| {
            db.column_metadata(None, "people", column)
                .map(|(ty, coll, nn, pk, ai)| (text(ty), text(coll), nn, pk, ai))
        };
        assert_eq!(meta("id")?, (s("INTEGER"), s("BINARY"), false, true, true));
        assert_eq!(meta("name")?, (s("TEXT"), s("NOCASE"), true, false, false));
        assert_eq!(meta("age")?, (None, s("BINARY"), false, false, false));
        assert_eq!(meta("rowid")?, (s("INTEGER"), s("BINARY"), false, true, true));
        let (ty, coll, ..) = db.column_metadata(Some(MAIN_DB), c"sqlite_master", c"type")?;
        assert_eq!((text(ty), text(coll)), (s("TEXT"), s("BINARY")));
        let (code, msg) = failure(meta("email"));
        let expected = (ErrorCode::Unknown, "no such table column: people.email");
        assert_eq!((code, msg.as_str()), expected);
        let (code, msg) = failure(db.column_metadata(None, "nobody", "id"));
        assert_eq!((code, msg.as_str()), (ErrorCode::Unknown, "no such table column: nobody.id"));
        Ok(())
    }

    /// A table another connection creates is found once this one has run a statement (SQLite
    /// notices a schema change only then): the remote shadow schema is reloaded before it
    /// answers "no such table".
    fn column_metadata_sees_other_connections_tables() {
        let path = crate::database("colmeta")?;
        let db = Connection::open(&path)?;
        assert!(!db.table_exists(None, "later")?);
        Connection::open(&path)?.execute_batch("CREATE TABLE later(x REAL NOT NULL)")?;
        let later = "SELECT count(*) FROM sqlite_master WHERE name = 'later'";
        assert_eq!(one::<i64>(&db, later)?, 1);
        assert!(db.table_exists(None, "later")?);
        let (ty, _, not_null, ..) = db.column_metadata(None, "later", "x")?;
        assert_eq!((text(ty), not_null), (s("REAL"), true));
        Ok(())
    }

    /// `columns_with_metadata` and `Statement::column_metadata` (feature `column_metadata`):
    /// where each result column comes from; `None` for expressions and out-of-range indexes.
    fn statement_column_origins() {
        let db = crate::open()?;
        db.execute_batch(PEOPLE)?;
        let stmt = db.prepare("SELECT p.name AS who, age + 1, id FROM people p")?;
        let origins: Vec<_> = stmt
            .columns_with_metadata()
            .into_iter()
            .map(|c| {
                let owned = |n: Option<&str>| n.map(str::to_owned);
                let name = c.name().to_owned();
                (name, owned(c.database_name()), owned(c.table_name()), owned(c.origin_name()))
            })
            .collect();
        assert_eq!(
            origins,
            [
                ("who".to_owned(), s("main"), s("people"), s("name")),
                ("age + 1".to_owned(), None, None, None),
                ("id".to_owned(), s("main"), s("people"), s("id")),
            ]
        );
        let who = stmt.column_metadata(0)?.map(|(d, t, c, ty, coll, nn, pk, ai)| {
            (text(Some(d)), text(Some(t)), text(Some(c)), text(ty), text(coll), nn, pk, ai)
        });
        assert_eq!(
            who,
            Some((s("main"), s("people"), s("name"), s("TEXT"), s("NOCASE"), true, false, false))
        );
        assert!(stmt.column_metadata(1)?.is_none());
        assert!(stmt.column_metadata(5)?.is_none());
        Ok(())
    }
}

/// The table the column metadata cases read.
const PEOPLE: &str = "CREATE TABLE people(\
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE, age)";

/// A name as a `String`, from 0.40's `&CStr` or 0.43's `CString`.
fn text<T: AsRef<std::ffi::CStr>>(name: Option<T>) -> Option<String> {
    name.map(|n| n.as_ref().to_str().expect("UTF-8 name").to_owned())
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}
