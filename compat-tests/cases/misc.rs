//! Misc: `Batch`, `OpenFlags`, `PrepFlags`, `DatabaseName`, version, interrupt, thread-safety
//! markers, triggers and change counters.
use crate::support::one;
use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::{ffi, Connection, Error, ErrorCode, OpenFlags, PrepFlags};
#[cfg(not(rusqlite_surface))]
use rusqlite::{Batch, DatabaseName};

cases! {
    #[only_0_34("uses `Batch`, which rusqlite 0.40+ keeps but dbcompat's newer surfaces do not expose yet")]
    fn batch_yields_each_statement() {
        let db = crate::open()?;
        let sql = "CREATE TABLE a(x); CREATE TABLE b(y);\n INSERT INTO a VALUES (1); SELECT x FROM a;";
        let mut batch = Batch::new(&db, sql);
        let mut n = 0;
        let mut column_counts = Vec::new();
        while let Some(mut st) = batch.next()? {
            n += 1;
            column_counts.push(st.column_count());
            if st.column_count() == 0 {
                st.execute([])?;
            } else {
                assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 1);
            }
        }
        assert_eq!(n, 4);
        assert_eq!(column_counts, vec![0, 0, 0, 1]);
        assert!(batch.next()?.is_none());
        Ok(())
    }

    #[only_0_34("uses `Batch`, which rusqlite 0.40+ keeps but dbcompat's newer surfaces do not expose yet")]
    fn batch_statements_are_prepared_lazily() {
        let db = crate::open()?;
        // The INSERT can only be prepared after the CREATE ran.
        let mut batch = Batch::new(&db, "CREATE TABLE t(x); INSERT INTO t VALUES (5);");
        let mut first = batch.next()?.unwrap();
        first.execute([])?;
        drop(first);
        let mut second = batch.next()?.unwrap();
        assert_eq!(second.execute([])?, 1);
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 5);
        Ok(())
    }

    #[only_0_34("uses `Batch`, which rusqlite 0.40+ keeps but dbcompat's newer surfaces do not expose yet")]
    fn batch_skips_empty_and_comment_statements() {
        let db = crate::open()?;
        let sql = ";; -- comment\n SELECT 1; /* block */ ; SELECT 2;   ";
        let n = Batch::new(&db, sql).count()?;
        assert_eq!(n, 2);
        assert_eq!(Batch::new(&db, "").count()?, 0);
        assert_eq!(Batch::new(&db, "  -- nothing\n").count()?, 0);
        Ok(())
    }

    #[only_0_34("uses `Batch`, which rusqlite 0.40+ keeps but dbcompat's newer surfaces do not expose yet")]
    fn batch_stops_with_error_on_bad_statement() {
        let db = crate::open()?;
        let mut batch = Batch::new(&db, "SELECT 1; SELEC 2; SELECT 3;");
        let st = batch.next()?.unwrap();
        assert_eq!(st.column_count(), 1);
        drop(st);
        let e = batch.next().unwrap_err();
        match e {
            Error::SqlInputError { msg, sql, offset, .. } => {
                assert_eq!(msg, "near \"SELEC\": syntax error");
                assert_eq!(sql, " SELEC 2; SELECT 3;");
                assert_eq!(offset, 1);
            }
            other => panic!("unexpected error: {other:?}"),
        }
        Ok(())
    }

    #[only_0_34("uses `Batch`, which rusqlite 0.40+ keeps but dbcompat's newer surfaces do not expose yet")]
    fn batch_statement_params() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut batch = Batch::new(&db, "INSERT INTO t VALUES (?1); INSERT INTO t VALUES (?1 * 10);");
        while let Some(mut st) = batch.next()? {
            assert_eq!(st.parameter_count(), 1);
            st.execute([4])?;
        }
        assert_eq!(one::<i64>(&db, "SELECT sum(x) FROM t")?, 44);
        Ok(())
    }

    fn open_flags_bit_values() {
        assert_eq!(OpenFlags::SQLITE_OPEN_READ_ONLY.bits(), 0x1);
        assert_eq!(OpenFlags::SQLITE_OPEN_READ_WRITE.bits(), 0x2);
        assert_eq!(OpenFlags::SQLITE_OPEN_CREATE.bits(), 0x4);
        assert_eq!(OpenFlags::SQLITE_OPEN_URI.bits(), 0x40);
        assert_eq!(OpenFlags::SQLITE_OPEN_MEMORY.bits(), 0x80);
        assert_eq!(OpenFlags::SQLITE_OPEN_NO_MUTEX.bits(), 0x8000);
        assert_eq!(OpenFlags::SQLITE_OPEN_FULL_MUTEX.bits(), 0x1_0000);
        assert_eq!(OpenFlags::SQLITE_OPEN_SHARED_CACHE.bits(), 0x2_0000);
        assert_eq!(OpenFlags::SQLITE_OPEN_PRIVATE_CACHE.bits(), 0x4_0000);
        assert_eq!(OpenFlags::SQLITE_OPEN_NOFOLLOW.bits(), 0x100_0000);
        assert_eq!(OpenFlags::SQLITE_OPEN_EXRESCODE.bits(), 0x200_0000);
        assert_eq!(OpenFlags::SQLITE_OPEN_READ_ONLY.bits(), ffi::SQLITE_OPEN_READONLY);
        assert_eq!(OpenFlags::SQLITE_OPEN_CREATE.bits(), ffi::SQLITE_OPEN_CREATE);
        Ok(())
    }

    fn open_flags_default_and_ops() {
        let d = OpenFlags::default();
        assert_eq!(
            d,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI
        );
        assert_eq!(d.bits(), 0x8046);
        assert!(d.contains(OpenFlags::SQLITE_OPEN_CREATE));
        assert!(!d.contains(OpenFlags::SQLITE_OPEN_READ_ONLY));
        assert!(OpenFlags::empty().is_empty());
        let without_create = d - OpenFlags::SQLITE_OPEN_CREATE;
        assert_eq!(without_create.bits(), 0x8042);
        assert_eq!((d & OpenFlags::SQLITE_OPEN_URI).bits(), 0x40);
        assert_eq!(OpenFlags::from_bits_truncate(0x6), OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE);
        let mut f = OpenFlags::SQLITE_OPEN_READ_ONLY;
        f.insert(OpenFlags::SQLITE_OPEN_URI);
        assert_eq!(f.bits(), 0x41);
        f.remove(OpenFlags::SQLITE_OPEN_READ_ONLY);
        assert_eq!(f, OpenFlags::SQLITE_OPEN_URI);
        Ok(())
    }

    fn open_flags_debug_format() {
        assert_eq!(
            format!("{:?}", OpenFlags::default()),
            "OpenFlags(SQLITE_OPEN_READ_WRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NO_MUTEX)"
        );
        assert_eq!(format!("{:?}", OpenFlags::SQLITE_OPEN_READ_ONLY), "OpenFlags(SQLITE_OPEN_READ_ONLY)");
        Ok(())
    }

    fn open_in_memory_with_memory_flag() {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_MEMORY;
        let db = Connection::open_in_memory_with_flags(flags)?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        let db2 = Connection::open_with_flags(":memory:", OpenFlags::default())?;
        assert_eq!(one::<i64>(&db2, "SELECT count(*) FROM sqlite_master")?, 0);
        Ok(())
    }

    fn prep_flags_values_and_prepare_with_flags() {
        assert_eq!(PrepFlags::default(), PrepFlags::empty());
        assert_eq!(PrepFlags::SQLITE_PREPARE_PERSISTENT.bits(), 0x01);
        assert_eq!(PrepFlags::SQLITE_PREPARE_NO_VTAB.bits(), 0x04);
        assert_eq!(PrepFlags::SQLITE_PREPARE_DONT_LOG.bits(), 0x10);
        let db = crate::open()?;
        let mut st = db.prepare_with_flags("SELECT ?1 + 1", PrepFlags::default())?;
        assert_eq!(st.query_row([1], |r| r.get::<_, i64>(0))?, 2);
        let mut st = db.prepare_with_flags("SELECT 'p'", PrepFlags::SQLITE_PREPARE_PERSISTENT)?;
        assert_eq!(st.query_row([], |r| r.get::<_, String>(0))?, "p");
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn database_name_values() {
        assert_eq!(DatabaseName::Main, rusqlite::MAIN_DB);
        assert_eq!(DatabaseName::Temp, rusqlite::TEMP_DB);
        assert_ne!(DatabaseName::Main, DatabaseName::Temp);
        assert_eq!(DatabaseName::Attached("x"), DatabaseName::Attached("x"));
        assert_eq!(format!("{:?}", DatabaseName::Main), "Main");
        assert_eq!(format!("{:?}", DatabaseName::Attached("aux")), "Attached(\"aux\")");
        let copy = DatabaseName::Temp;
        let other = copy;
        assert_eq!(copy, other);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn temp_schema_is_separate_and_writable() {
        let db = crate::open()?;
        db.execute_batch("CREATE TEMP TABLE tt(x); INSERT INTO tt VALUES (1)")?;
        assert!(!db.is_readonly(DatabaseName::Temp)?);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM sqlite_temp_master WHERE name = 'tt'")?, 1);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM sqlite_master WHERE name = 'tt'")?, 0);
        assert_eq!(one::<i64>(&db, "SELECT x FROM temp.tt")?, 1);
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn attached_database_names() {
        let db = crate::open()?;
        db.execute_batch("ATTACH DATABASE ':memory:' AS aux; CREATE TABLE aux.t(x); INSERT INTO aux.t VALUES (3)")?;
        assert!(!db.is_readonly(DatabaseName::Attached("aux"))?);
        assert_eq!(db.db_name(2)?, "aux");
        assert_eq!(one::<i64>(&db, "SELECT x FROM aux.t")?, 3);
        Ok(())
    }

    fn version_number_in_supported_range() {
        let v = rusqlite::version_number();
        assert!((3_045_000..4_000_000).contains(&v), "{v}");
        let s = rusqlite::version();
        assert!(s.starts_with("3."), "{s}");
        let parts: Vec<i32> = s.split('.').map(|p| p.parse().unwrap()).collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0] * 1_000_000 + parts[1] * 1000 + parts[2], v);
        Ok(())
    }

    #[local_only("a remote server runs its own SQLite: sqlite_version() is the server's, version() the client engine's")]
    fn version_matches_sql_function() {
        let db = crate::open()?;
        assert_eq!(one::<String>(&db, "SELECT sqlite_version()")?, rusqlite::version());
        Ok(())
    }

    fn connection_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Connection>();
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (99)")?;
        let v = std::thread::spawn(move || one::<i64>(&db, "SELECT x FROM t")).join().unwrap()?;
        assert_eq!(v, 99);
        Ok(())
    }

    fn error_is_send_sync_static() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<rusqlite::InterruptHandle>();
        let db = crate::open()?;
        let e = db.prepare("SELECT * FROM nope").unwrap_err();
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
        assert_eq!(boxed.to_string(), "no such table: nope");
        let from_thread = std::thread::spawn(|| Error::QueryReturnedNoRows).join().unwrap();
        assert_eq!(from_thread, Error::QueryReturnedNoRows);
        Ok(())
    }

    fn interrupt_before_query_does_not_affect_it() {
        let db = crate::open()?;
        assert!(!db.is_interrupted());
        let handle = db.get_interrupt_handle();
        handle.interrupt();
        assert!(db.is_interrupted());
        // No statement was running, so the next statement starts normally.
        assert_eq!(one::<i64>(&db, "SELECT 1")?, 1);
        assert!(!db.is_interrupted());
        Ok(())
    }

    #[local_only("stops a statement while the engine runs it; Hrana has no request that interrupts a statement running on the server, so remotely interrupt() takes effect at the next row or statement")]
    fn interrupt_from_another_thread_stops_long_query() {
        let db = crate::open()?;
        let handle = db.get_interrupt_handle();
        let mut st = db.prepare(
            // Bounded so that a missing interrupt fails the case instead of hanging it.
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000) SELECT count(*) FROM c",
        )?;
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            handle.interrupt();
        });
        let e = st.query_row([], |r| r.get::<_, i64>(0)).unwrap_err();
        t.join().unwrap();
        assert_eq!(e.sqlite_error_code(), Some(ErrorCode::OperationInterrupted));
        assert_eq!(e.to_string(), "interrupted");
        drop(st);
        assert_eq!(one::<i64>(&db, "SELECT 2")?, 2);
        Ok(())
    }

    fn interrupt_after_close_is_harmless() {
        let db = crate::open()?;
        let handle = db.get_interrupt_handle();
        db.close().map_err(|(_, e)| e)?;
        handle.interrupt();
        Ok(())
    }

    fn trigger_changes_count_in_total_only() {
        let db = crate::open()?;
        db.execute_batch(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, x);
             CREATE TABLE log(msg);
             CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins ' || NEW.x); END;",
        )?;
        assert_eq!(db.execute("INSERT INTO t(id, x) VALUES (10, 'a')", [])?, 1);
        assert_eq!(db.changes(), 1);
        assert_eq!(db.total_changes(), 2);
        assert_eq!(db.last_insert_rowid(), 10);
        assert_eq!(one::<String>(&db, "SELECT msg FROM log")?, "ins a");
        Ok(())
    }

    #[local_only("a busy handler is a Rust callback the engine calls while it waits for a lock; a server waits by its own busy_timeout and cannot call into the client")]
    #[only_0_34("passes a `fn` to `busy_handler`, which rusqlite 0.41 changed to a closure on `&mut self`")]
    fn busy_handler_set_and_clear() {
        fn retry_never(_: i32) -> bool {
            false
        }
        let db = crate::open()?;
        db.busy_handler(Some(retry_never))?;
        db.busy_handler(None)?;
        // busy_handler(None) also clears the timeout.
        assert_eq!(one::<i64>(&db, "PRAGMA busy_timeout")?, 0);
        Ok(())
    }

    fn ffi_result_code_constants() {
        assert_eq!(ffi::SQLITE_OK, 0);
        assert_eq!(ffi::SQLITE_ERROR, 1);
        assert_eq!(ffi::SQLITE_BUSY, 5);
        assert_eq!(ffi::SQLITE_MISUSE, 21);
        assert_eq!(ffi::SQLITE_CONSTRAINT_UNIQUE, 2067);
        assert_eq!(ffi::SQLITE_CONSTRAINT_NOTNULL, 1299);
        let e = ffi::Error::new(ffi::SQLITE_CONSTRAINT_UNIQUE);
        assert_eq!(e.code, ErrorCode::ConstraintViolation);
        assert_eq!(e.extended_code, 2067);
        assert_eq!(ffi::Error::new(ffi::SQLITE_BUSY).code, ErrorCode::DatabaseBusy);
        Ok(())
    }
}
