//! The rest of rusqlite 0.34's surface: virtual tables (`rarray`, `generate_series`, `csv`
//! and a user-defined module), `serialize`, `config::DbConfig`, `to_sqlite_error` and the
//! `rusqlite-macros` macros. Modules and images live inside the local engine, so those cases
//! are local-only; on a remote connection the same calls return the local-only error.
use crate::support::{one, temp_db_path};
use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::vtab::array::{self, Array};
use rusqlite::vtab::{
    self, eponymous_only_module, read_only_module, sqlite3_vtab, sqlite3_vtab_cursor, Context,
    CreateVTab, IndexConstraintOp, IndexInfo, VTab, VTabConnection, VTabCursor, VTabKind, Values,
};
use rusqlite::{ffi, Connection, DatabaseName, Error, ErrorCode};
use std::ffi::{c_char, c_int};
use std::marker::PhantomData;
use std::rc::Rc;

/// A read-only table of the squares 1..=n, n given as the module argument (`squares(5)`),
/// with an index on `x = ?` so the planner's constraint handling is exercised too.
#[repr(C)]
struct Squares {
    base: sqlite3_vtab,
    n: i64,
}

unsafe impl<'vtab> VTab<'vtab> for Squares {
    type Aux = i64;
    type Cursor = SquaresCursor<'vtab>;

    fn connect(
        _: &mut VTabConnection,
        aux: Option<&i64>,
        args: &[&[u8]],
    ) -> rusqlite::Result<(String, Squares)> {
        let n = match args.get(3) {
            Some(arg) => std::str::from_utf8(arg)?
                .trim()
                .parse()
                .map_err(|_| Error::ModuleError("n must be an integer".into()))?,
            None => *aux.unwrap_or(&3),
        };
        let table = Squares {
            base: sqlite3_vtab::default(),
            n,
        };
        Ok(("CREATE TABLE x(x INTEGER, sq INTEGER)".to_owned(), table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<()> {
        let mut eq = false;
        for (c, mut usage) in info.constraints_and_usages() {
            if c.is_usable()
                && c.column() == 0
                && c.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
            {
                usage.set_argv_index(1);
                usage.set_omit(true);
                eq = true;
            }
        }
        info.set_idx_num(c_int::from(eq));
        info.set_estimated_cost(if eq { 1.0 } else { self.n as f64 });
        Ok(())
    }

    fn open(&'vtab mut self) -> rusqlite::Result<SquaresCursor<'vtab>> {
        Ok(SquaresCursor {
            base: sqlite3_vtab_cursor::default(),
            x: 0,
            last: 0,
            phantom: PhantomData,
        })
    }
}

impl CreateVTab<'_> for Squares {
    const KIND: VTabKind = VTabKind::Default;
}

#[repr(C)]
struct SquaresCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    x: i64,
    last: i64,
    phantom: PhantomData<&'vtab Squares>,
}

impl SquaresCursor<'_> {
    fn table(&self) -> &Squares {
        // SAFETY: the engine sets pVtab to the table the cursor was opened on.
        unsafe { &*(self.base.pVtab as *const Squares) }
    }
}

unsafe impl VTabCursor for SquaresCursor<'_> {
    fn filter(
        &mut self,
        idx_num: c_int,
        _: Option<&str>,
        args: &Values<'_>,
    ) -> rusqlite::Result<()> {
        let n = self.table().n;
        if idx_num == 1 {
            let x: i64 = args.get(0)?;
            (self.x, self.last) = if (1..=n).contains(&x) { (x, x) } else { (1, 0) };
        } else {
            (self.x, self.last) = (1, n);
        }
        Ok(())
    }
    fn next(&mut self) -> rusqlite::Result<()> {
        self.x += 1;
        Ok(())
    }
    fn eof(&self) -> bool {
        self.x > self.last
    }
    fn column(&self, ctx: &mut Context, i: c_int) -> rusqlite::Result<()> {
        match i {
            0 => ctx.set_result(&self.x),
            1 => ctx.set_result(&(self.x * self.x)),
            _ => Err(Error::ModuleError(format!("no column {i}"))),
        }
    }
    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(self.x)
    }
}

fn squares(db: &Connection) -> rusqlite::Result<()> {
    db.create_module("squares", read_only_module::<Squares>(), Some(4))
}

fn csv_file(tag: &str, contents: &str) -> std::path::PathBuf {
    let path = temp_db_path(tag).with_extension("csv");
    std::fs::write(&path, contents).expect("write csv");
    path
}

fn sqlite_failure(e: &Error) -> Option<(ErrorCode, Option<String>)> {
    match e {
        Error::SqliteFailure(err, msg) => Some((err.code, msg.clone())),
        _ => None,
    }
}

cases! {
    #[local_only("rarray() binds a pointer into the local engine")]
    fn rarray_in_list() {
        let db = crate::open()?;
        array::load_module(&db)?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e');")?;
        let ids: Array = Rc::new(vec![Value::from(2), Value::from(4), Value::from(9)]);
        let mut stmt = db.prepare("SELECT name FROM t WHERE id IN rarray(?1) ORDER BY id")?;
        let names: Vec<String> = stmt.query_map([&ids], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(names, ["b", "d"]);
        // The same statement with a new list, and with an empty one.
        let ids: Array = Rc::new(vec![Value::from(5)]);
        let names: Vec<String> = stmt.query_map([&ids], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(names, ["e"]);
        let none: Array = Rc::new(Vec::new());
        assert_eq!(stmt.query_map([&none], |r| r.get::<_, String>(0))?.count(), 0);
        // Mixed types come back as they went in.
        let mixed: Array = Rc::new(vec![Value::from("x".to_owned()), Value::Null, Value::from(1.5)]);
        let got: Vec<Value> = db
            .prepare("SELECT value FROM rarray(?1)")?
            .query_map([&mixed], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        assert_eq!(got, [Value::from("x".to_owned()), Value::Null, Value::Real(1.5)]);
        // The statement keeps its last binding alive until it is finalized.
        assert_eq!(Rc::strong_count(&none), 2);
        drop(stmt);
        assert_eq!(Rc::strong_count(&none), 1);
        assert_eq!(Rc::strong_count(&ids), 1);
        Ok(())
    }

    #[local_only("rarray() binds a pointer into the local engine")]
    fn rarray_without_argument_is_empty() {
        let db = crate::open()?;
        array::load_module(&db)?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM rarray()")?, 0);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM rarray(NULL)")?, 0);
        Ok(())
    }

    #[local_only("generate_series is a module inside the local engine")]
    fn series_values() {
        let db = crate::open()?;
        vtab::series::load_module(&db)?;
        let collect = |sql: &str| -> rusqlite::Result<Vec<i64>> {
            db.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
        };
        assert_eq!(collect("SELECT value FROM generate_series(1, 10, 3)")?, [1, 4, 7, 10]);
        assert_eq!(collect("SELECT value FROM generate_series(0, 20, 5) ORDER BY value DESC")?, [20, 15, 10, 5, 0]);
        assert_eq!(collect("SELECT value FROM generate_series(10, 1, -4)")?, Vec::<i64>::new());
        assert_eq!(collect("SELECT value FROM generate_series(1, 10, -4)")?, [9, 5, 1]);
        assert_eq!(collect("SELECT value FROM generate_series(5, 3)")?, Vec::<i64>::new());
        assert_eq!(collect("SELECT value FROM generate_series(1, NULL)")?, Vec::<i64>::new());
        assert_eq!(collect("SELECT value FROM generate_series(2, 4, 0)")?, [2, 3, 4]);
        // Without stop, the series ends at 4294967295.
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM generate_series(4294967290)")?, 6);
        assert_eq!(
            one::<String>(&db, "SELECT start || stop || step FROM generate_series(1, 2, 1) LIMIT 1")?,
            "121"
        );
        // Hidden columns used as a join target.
        assert_eq!(
            one::<i64>(&db, "SELECT sum(s.value) FROM generate_series(1, 3) AS n, generate_series AS s
                             WHERE s.start = n.value AND s.stop = 3")?,
            14
        );
        Ok(())
    }

    #[local_only("the csv module reads a file from the local engine's process")]
    fn csvtab_over_file() {
        let db = crate::open()?;
        vtab::csvtab::load_module(&db)?;
        let path = csv_file("csvtab", "id,name,score\n1,ann,9.5\n2,\"bob, jr\",7\n3,cy,\n");
        db.execute_batch(&format!(
            "CREATE VIRTUAL TABLE temp.people USING csv(filename='{}', header=yes)",
            path.display()
        ))?;
        let rows: Vec<(String, String, String)> = db
            .prepare("SELECT id, name, score FROM people")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        assert_eq!(rows, [
            ("1".to_owned(), "ann".to_owned(), "9.5".to_owned()),
            ("2".to_owned(), "bob, jr".to_owned(), "7".to_owned()),
            ("3".to_owned(), "cy".to_owned(), String::new()),
        ]);
        // Columns are TEXT; SQL converts as usual.
        assert_eq!(one::<f64>(&db, "SELECT sum(score) FROM people")?, 16.5);
        assert_eq!(one::<i64>(&db, "SELECT max(rowid) FROM people")?, 3);
        // Without a header the columns are c0, c1, ...; a custom delimiter.
        let path2 = csv_file("csvtab", "a;1\nb;2\n");
        db.execute_batch(&format!(
            "CREATE VIRTUAL TABLE temp.raw USING csv(filename='{}', delimiter=';')",
            path2.display()
        ))?;
        assert_eq!(one::<String>(&db, "SELECT group_concat(c0 || c1, ',') FROM raw")?, "a1,b2");
        // Argument errors are ModuleError texts reported by the engine.
        let err = db
            .execute_batch("CREATE VIRTUAL TABLE temp.bad USING csv(filename='/no/such/file.csv')")
            .unwrap_err();
        let (code, msg) = sqlite_failure(&err).expect("SqliteFailure");
        assert_eq!(code, ErrorCode::Unknown);
        assert!(msg.unwrap_or_default().contains("file '/no/such/file.csv' does not exist"));
        let err = db
            .execute_batch(&format!(
                "CREATE VIRTUAL TABLE temp.bad USING csv(filename='{}', header=maybe)",
                path2.display()
            ))
            .unwrap_err();
        let (_, msg) = sqlite_failure(&err).expect("SqliteFailure");
        assert!(msg.unwrap_or_default().contains("unrecognized argument to 'header': maybe"));
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(path2);
        Ok(())
    }

    #[local_only("user-defined modules run inside the local engine")]
    fn user_read_only_vtab() {
        let db = crate::open()?;
        squares(&db)?;
        db.execute_batch("CREATE VIRTUAL TABLE temp.sq USING squares(5);
                          CREATE VIRTUAL TABLE temp.sq_default USING squares;")?;
        assert_eq!(one::<i64>(&db, "SELECT sum(sq) FROM sq")?, 55);
        assert_eq!(one::<i64>(&db, "SELECT sq FROM sq WHERE x = 3")?, 9);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM sq WHERE x = 30")?, 0);
        // The aux value is the default n.
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM sq_default")?, 4);
        // A read-only module refuses writes with the engine's error.
        let err = db.execute("INSERT INTO sq VALUES (1, 1)", []).unwrap_err();
        let (code, msg) = sqlite_failure(&err).expect("SqliteFailure");
        assert_eq!(code, ErrorCode::Unknown);
        assert_eq!(msg.as_deref(), Some("table sq may not be modified"));
        // An error from connect reaches the statement.
        let err = db.execute_batch("CREATE VIRTUAL TABLE temp.bad USING squares(x)").unwrap_err();
        let (_, msg) = sqlite_failure(&err).expect("SqliteFailure");
        assert_eq!(msg.as_deref(), Some("n must be an integer"));
        db.execute_batch("DROP TABLE sq")?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM temp.sqlite_master WHERE name = 'sq'")?, 0);
        Ok(())
    }

    #[local_only("user-defined modules run inside the local engine")]
    fn eponymous_only_module_by_name() {
        let db = crate::open()?;
        db.create_module("squares_fn", eponymous_only_module::<Squares>(), Some(3))?;
        assert_eq!(one::<String>(&db, "SELECT group_concat(sq, '') FROM squares_fn")?, "149");
        let err = db.execute_batch("CREATE VIRTUAL TABLE temp.t USING squares_fn").unwrap_err();
        let (_, msg) = sqlite_failure(&err).expect("SqliteFailure");
        assert_eq!(msg.as_deref(), Some("no such module: squares_fn"));
        Ok(())
    }

    fn vtab_helpers() {
        assert_eq!(vtab::dequote("'a b'"), "a b");
        assert_eq!(vtab::dequote("\"x\""), "x");
        assert_eq!(vtab::dequote("'x\""), "'x\"");
        assert_eq!(vtab::dequote("'"), "'");
        assert_eq!(vtab::escape_double_quote("a\"b"), "a\"\"b");
        assert_eq!(vtab::parse_boolean("ON"), Some(true));
        assert_eq!(vtab::parse_boolean("0"), Some(false));
        assert_eq!(vtab::parse_boolean("maybe"), None);
        assert_eq!(vtab::parameter(b" filename = 'x.csv' ")?, ("filename", "x.csv"));
        match vtab::parameter(b"novalue") {
            Err(Error::ModuleError(m)) => assert_eq!(m, "illegal argument: 'novalue'"),
            other => panic!("expected ModuleError, got {other:?}"),
        }
        assert_eq!(
            IndexConstraintOp::from(2),
            IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
        );
        assert_eq!(
            IndexConstraintOp::from(151),
            IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_FUNCTION(151)
        );
        Ok(())
    }

    #[local_only("serialize reads the local engine's pages")]
    fn serialize_round_trip() {
        let src = crate::open()?;
        src.execute_batch("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one'), (2, x'0203');")?;
        let image = src.serialize(DatabaseName::Main)?;
        assert_eq!(&image[..16], b"SQLite format 3\0");
        let bytes = image.to_vec();
        drop(image);
        let mut dst = Connection::open_in_memory()?;
        dst.deserialize_read_exact(DatabaseName::Main, &bytes[..], bytes.len(), false)?;
        assert_eq!(one::<i64>(&dst, "SELECT sum(a) FROM t")?, 3);
        assert_eq!(one::<Vec<u8>>(&dst, "SELECT b FROM t WHERE a = 2")?, [2, 3]);
        // Writable and resizable: grows past the original image.
        dst.execute_batch(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<300)
             INSERT INTO t SELECT x, randomblob(100) FROM c",
        )?;
        assert_eq!(one::<i64>(&dst, "SELECT count(*) FROM t")?, 302);
        // A read-only image refuses writes.
        let mut ro = Connection::open_in_memory()?;
        ro.deserialize_read_exact(DatabaseName::Main, &bytes[..], bytes.len(), true)?;
        assert_eq!(one::<i64>(&ro, "SELECT count(*) FROM t")?, 2);
        let err = ro.execute("INSERT INTO t VALUES (3, 3)", []).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ReadOnly));
        // A short reader is CannotOpen / SQLITE_IOERR with the I/O text.
        let mut short = Connection::open_in_memory()?;
        match short.deserialize_read_exact(DatabaseName::Main, &bytes[..10], bytes.len(), false) {
            Err(Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!((e.code, e.extended_code), (ErrorCode::CannotOpen, ffi::SQLITE_IOERR));
                assert_eq!(msg, "failed to fill whole buffer");
            }
            other => panic!("expected an I/O SqliteFailure, got {other:?}"),
        }
        // A schema that does not exist.
        assert!(src.serialize(DatabaseName::Attached("nope")).is_err());
        Ok(())
    }

    #[local_only("serialize reads the local engine's pages")]
    fn serialize_file_database_is_a_copy() {
        let path = temp_db_path("serialize");
        let db = Connection::open(&path)?;
        db.execute_batch("CREATE TABLE f(x); INSERT INTO f VALUES (42);")?;
        let image = db.serialize(DatabaseName::Main)?;
        assert!(matches!(image, rusqlite::serialize::Data::Owned(_)));
        let mut copy = Connection::open_in_memory()?;
        copy.deserialize_read_exact(DatabaseName::Main, &image[..], image.len(), true)?;
        assert_eq!(one::<i64>(&copy, "SELECT x FROM f")?, 42);
        Ok(())
    }

    #[local_only("sqlite3_db_config is a local engine call")]
    fn db_config_through_config_module() {
        let db = crate::open()?;
        assert!(db.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER)?);
        assert!(!db.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?);
        assert!(!db.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER)?);
        // Triggers off: the trigger exists but does not fire.
        db.execute_batch("CREATE TABLE t(x); CREATE TABLE log(x);
                          CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x); END;
                          INSERT INTO t VALUES (1);")?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM log")?, 0);
        assert!(db.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?);
        db.execute("INSERT INTO t VALUES (2)", [])?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM log")?, 2);
        Ok(())
    }

    fn to_sqlite_error_codes_and_messages() {
        let mut msg: *mut c_char = std::ptr::null_mut();
        let read = |msg: *mut c_char| -> String {
            // SAFETY: set by to_sqlite_error from sqlite3_malloc; freed right after.
            let s = unsafe { std::ffi::CStr::from_ptr(msg) }.to_string_lossy().into_owned();
            unsafe { ffi::sqlite3_free(msg.cast()) };
            s
        };
        let busy = Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_BUSY_SNAPSHOT), Some("snap".into()));
        // SAFETY: `msg` is a valid out pointer.
        assert_eq!(unsafe { rusqlite::to_sqlite_error(&busy, &mut msg) }, ffi::SQLITE_BUSY_SNAPSHOT);
        assert_eq!(read(msg), "snap");
        msg = std::ptr::null_mut();
        let bare = Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_FULL), None);
        assert_eq!(unsafe { rusqlite::to_sqlite_error(&bare, &mut msg) }, ffi::SQLITE_FULL);
        assert!(msg.is_null());
        let other = Error::ModuleError("bad module".into());
        assert_eq!(unsafe { rusqlite::to_sqlite_error(&other, &mut msg) }, ffi::SQLITE_ERROR);
        assert_eq!(read(msg), "bad module");
        Ok(())
    }

    fn prepare_and_bind_macros() {
        fn run(db: &Connection) -> rusqlite::Result<(String, i64, bool)> {
            let name = "Lisa";
            let age = 8;
            let smart = true;
            let mut stmt = rusqlite::prepare_and_bind!(db, "SELECT $name, @age, :smart");
            let row = stmt.raw_query().next()?.map(|r| (r.get(0), r.get(1), r.get(2)));
            let (a, b, c) = row.ok_or(Error::QueryReturnedNoRows)?;
            let first = (a?, b?, c?);
            let x = 5;
            let mut cached = rusqlite::prepare_cached_and_bind!(db, "SELECT :x * 2");
            let doubled: i64 = cached.raw_query().next()?.ok_or(Error::QueryReturnedNoRows)?.get(0)?;
            assert_eq!(doubled, 10);
            Ok(first)
        }
        let db = crate::open()?;
        assert_eq!(run(&db)?, ("Lisa".to_owned(), 8, true));
        Ok(())
    }

    fn jiff_civil_types_round_trip_as_text() {
        use jiff::civil::{Date, DateTime, Time};
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE j(d, t, dt)")?;
        let date = Date::constant(2016, 2, 23);
        let time = Time::constant(23, 56, 4, 123_000_000);
        let datetime = DateTime::constant(2016, 2, 23, 23, 56, 4, 0);
        db.execute("INSERT INTO j VALUES (?1, ?2, ?3)", (date, time, datetime))?;
        let text: (String, String, String) =
            db.query_row("SELECT d, t, dt FROM j", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        assert_eq!(text, ("2016-02-23".into(), "23:56:04.123".into(), "2016-02-23T23:56:04".into()));
        let back: (Date, Time, DateTime) =
            db.query_row("SELECT d, t, dt FROM j", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        assert_eq!(back, (date, time, datetime));
        // Space-separated and bare-date forms parse too; garbage is a conversion failure.
        assert_eq!(one::<DateTime>(&db, "SELECT '2016-02-23 01:02:03'")?, DateTime::constant(2016, 2, 23, 1, 2, 3, 0));
        match one::<Date>(&db, "SELECT 'not a date'") {
            Err(Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, _)) => {}
            other => panic!("expected FromSqlConversionFailure, got {other:?}"),
        }
        match one::<Date>(&db, "SELECT 1") {
            Err(Error::InvalidColumnType(0, _, rusqlite::types::Type::Integer)) => {}
            other => panic!("expected InvalidColumnType, got {other:?}"),
        }
        Ok(())
    }


    fn i128_blob_round_trip_and_order() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE big(x BLOB)")?;
        for v in [i128::MIN, -5, 0, 7, i128::MAX] {
            db.execute("INSERT INTO big VALUES (?1)", [v])?;
        }
        let sorted: Vec<i128> = db
            .prepare("SELECT x FROM big ORDER BY x")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        assert_eq!(sorted, [i128::MIN, -5, 0, 7, i128::MAX]);
        assert_eq!(one::<Vec<u8>>(&db, "SELECT x FROM big WHERE rowid = 3")?, {
            let mut zero = vec![0u8; 16];
            zero[0] = 0x80;
            zero
        });
        let nz: std::num::NonZeroI128 = db.query_row("SELECT x FROM big WHERE rowid = 4", [], |r| r.get(0))?;
        assert_eq!(nz.get(), 7);
        match one::<i128>(&db, "SELECT x'0102'") {
            Err(Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, e)) => {
                assert_eq!(e.to_string(), "Cannot read 16 byte value out of 2 byte blob");
            }
            other => panic!("expected FromSqlConversionFailure, got {other:?}"),
        }
        Ok(())
    }

}
