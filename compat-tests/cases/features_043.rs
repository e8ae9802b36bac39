//! Cases for APIs only rusqlite 0.41 and later have, compiled under the 0.43 surface alone
//! (`cfg(rusqlite_0_43)`, set by compat-tests/surface-0.43/build.rs).

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Type, ValueRef, Values};
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, Error, ErrorCode, FileControl, DEFAULT_NAME, MAIN_DB};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// What the `describe` function below sees of its arguments, through `Values`.
fn describe(ctx: &mut Context<'_>) -> rusqlite::Result<String> {
    let counted = (&**ctx).into_iter().count();
    let first = &ctx[0];
    let first = format!(
        "{:?} {} {}",
        first.data_type(),
        first.subtype(),
        first.get::<u8>(0)?
    );
    let null = ValueRef::from(&ctx[1]) == ValueRef::Null;
    let null_as_int = format!("{:?}", ctx[1].get::<u8>(1).unwrap_err());
    let text = format!("{} {:?}", ctx[2].get::<String>(2)?, ctx[2].numeric_type());
    let numeric = ctx[3].numeric_type();
    let values: &Values<'_> = ctx;
    let kinds: Vec<Type> = values.iter().map(|v| v.data_type()).collect();
    Ok(format!(
        "{} {counted} | {first} | {null} {null_as_int} | {text} | {numeric:?} {} {} | {kinds:?}",
        ctx.len(),
        values.get::<i64>(3)?,
        values.get_subtype(3),
    ))
}

/// Counts its drops: client data is dropped when replaced and when the connection closes.
struct Tracked(Arc<AtomicUsize>, &'static str);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

cases! {
    /// 0.42+: a function's `Context` derefs to `types::Values`: indexing gives a `RawValue`
    /// (type, subtype, numeric affinity, conversion naming the argument), iterating gives
    /// `ValueRef`s.
    #[local_only("Rust callbacks exist only for local connections")]
    fn function_arguments_as_values() {
        let db = crate::open()?;
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
        db.create_scalar_function("describe", 4, flags, describe)?;
        let seen: String = db.query_row("SELECT describe(1, NULL, 'str', '42')", [], |r| r.get(0))?;
        assert_eq!(
            seen,
            "4 4 | Integer 0 1 | true InvalidParameterType(1, Null) | str Text | \
             Integer 42 0 | [Integer, Null, Text, Integer]"
        );
        Ok(())
    }

    /// `file_control` (0.41+) on a database file: settings read back (-1 queries), the data
    /// version moving with another connection's write, an unknown database (`SQLITE_ERROR`)
    /// and an op the in-memory file lacks (`SQLITE_NOTFOUND`), both without a message.
    #[local_only("a remote or replica connection has no database file: SQLITE_NOTFOUND")]
    fn file_control_on_a_database_file() {
        let path = crate::database("fcntl")?;
        let db = Connection::open(&path)?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut persist = -1;
        db.file_control(Some(MAIN_DB), FileControl::PersistWal(&mut persist))?;
        assert_eq!(persist, 0);
        persist = 1;
        db.file_control(Some(MAIN_DB), FileControl::PersistWal(&mut persist))?;
        persist = -1;
        db.file_control(Some("main"), FileControl::PersistWal(&mut persist))?;
        assert_eq!(persist, 1);

        let mut mmap = 0;
        db.file_control(None::<&str>, FileControl::MMapSize(&mut mmap))?;
        mmap = -1;
        db.file_control(None::<&str>, FileControl::MMapSize(&mut mmap))?;
        assert_eq!(mmap, 0);

        let mut chunk = 64 * 1024;
        db.file_control(Some(MAIN_DB), FileControl::ChunkSize(&mut chunk))?;
        let mut hint = 1 << 20;
        db.file_control(Some(MAIN_DB), FileControl::SizeHint(&mut hint))?;
        let mut reserve = -1;
        db.file_control(Some(MAIN_DB), FileControl::ReserveBytes(&mut reserve))?;
        assert_eq!(reserve, 0);

        let mut before = 0;
        db.file_control(Some(MAIN_DB), FileControl::DataVersion(&mut before))?;
        Connection::open(&path)?.execute("INSERT INTO t VALUES (1)", [])?;
        // The pager notices another connection's change when it next reads.
        assert_eq!(db.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))?, 1);
        let mut after = 0;
        db.file_control(Some(MAIN_DB), FileControl::DataVersion(&mut after))?;
        assert_ne!(before, after);

        let mut unused = -1;
        match db.file_control(Some("nope"), FileControl::PersistWal(&mut unused)) {
            Err(Error::SqliteFailure(e, None)) => assert_eq!(e.code, ErrorCode::Unknown),
            other => panic!("expected SqliteFailure(SQLITE_ERROR), got {other:?}"),
        }
        let memory = Connection::open_in_memory()?;
        match memory.file_control(Some(MAIN_DB), FileControl::PersistWal(&mut unused)) {
            Err(Error::SqliteFailure(e, None)) => {
                assert_eq!((e.code, e.extended_code), (ErrorCode::NotFound, 12));
            }
            other => panic!("expected SqliteFailure(SQLITE_NOTFOUND), got {other:?}"),
        }
        Ok(())
    }

    /// `wal_checkpoint_v2` (0.41+): `(-1, -1)` outside WAL mode; in WAL mode the log size and
    /// the frames checkpointed; `TRUNCATE` empties the log; an unknown database is an error.
    #[local_only("a server checkpoints its own log: the core's local-only SqliteFailure")]
    fn wal_checkpoint_v2_reports_frames() {
        let path = crate::database("walckpt")?;
        let db = Connection::open(&path)?;
        assert_eq!(db.wal_checkpoint_v2(DEFAULT_NAME, CheckpointMode::default())?, (-1, -1));
        let mode: String = db.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
        assert_eq!(mode, "wal");
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")?;
        let (log, done) = db.wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE)?;
        assert!(log > 0 && done == log, "{log} frames, {done} checkpointed");
        let truncated = db.wal_checkpoint_v2(Some("main"), CheckpointMode::TRUNCATE)?;
        assert_eq!(truncated, (0, 0));
        match db.wal_checkpoint_v2(Some("nope"), CheckpointMode::FULL) {
            Err(Error::SqliteFailure(e, msg)) => {
                let expected = (ErrorCode::Unknown, Some("unknown database: nope"));
                assert_eq!((e.code, msg.as_deref()), expected);
            }
            other => panic!("expected SqliteFailure(SQLITE_ERROR), got {other:?}"),
        }
        Ok(())
    }

    /// `set_clientdata` / `get_clientdata` (0.41+): data by name, dropped when replaced and
    /// when the connection closes.
    #[local_only("client data lives in the local engine: the core's local-only SqliteFailure")]
    fn client_data_by_name() {
        let drops = Arc::new(AtomicUsize::new(0));
        let db = crate::open()?;
        // SAFETY: every read names the type stored under that name.
        unsafe {
            assert!(db.get_clientdata::<Tracked, _>("k")?.is_none());
            let stored = db.set_clientdata("k", Some(Tracked(drops.clone(), "first")))?;
            assert!(!stored.is_null());
            assert_eq!(db.get_clientdata::<Tracked, _>(c"k")?.map(|t| t.1), Some("first"));
            db.set_clientdata("k", Some(Tracked(drops.clone(), "second")))?;
            assert_eq!(drops.load(Ordering::SeqCst), 1);
            assert_eq!(db.get_clientdata::<Tracked, _>("k")?.map(|t| t.1), Some("second"));
            assert!(db.set_clientdata("k", None::<Tracked>)?.is_null());
            assert_eq!(drops.load(Ordering::SeqCst), 2);
            assert!(db.get_clientdata::<Tracked, _>("k")?.is_none());
            db.set_clientdata("other", Some(Tracked(drops.clone(), "third")))?;
        }
        drop(db);
        assert_eq!(drops.load(Ordering::SeqCst), 3);
        Ok(())
    }
}
