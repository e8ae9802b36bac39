//! Cases for APIs only rusqlite 0.41 and later have, compiled under the 0.43 surface alone
//! (`cfg(rusqlite_0_43)`, set by compat-tests/surface-0.43/build.rs).

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Type, ValueRef, Values};
use rusqlite::vtab::{self, sqlite3_vtab, sqlite3_vtab_cursor, Filters, IndexInfo, Module};
use rusqlite::vtab::{VTab, VTabConnection, VTabCursor};
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, Error, ErrorCode, FileControl, DEFAULT_NAME, MAIN_DB};
use std::borrow::Cow;
use std::ffi::{c_int, CStr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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

/// The integers 1..=10 as `value`, eponymous. `best_index` passes an `=` on `value` to
/// `filter` as argument 0, asking for an `IN` list whole (`set_in_constraint`): `idx_num` 1 for
/// an `IN` the engine hands over whole, 2 for a plain value. `filter` reads the list through
/// 0.42+'s `Filters::in_values` (a streaming iterator of `RawValue`s) and logs what it saw.
#[repr(C)]
struct InListTab {
    base: sqlite3_vtab,
    log: Arc<Mutex<Vec<String>>>,
}

#[repr(C)]
struct InListCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    table: &'vtab InListTab,
    rows: Vec<i64>,
    at: usize,
}

unsafe impl<'vtab> VTab<'vtab> for InListTab {
    type Aux = Arc<Mutex<Vec<String>>>;
    type Cursor = InListCursor<'vtab>;

    fn connect(
        _: &mut VTabConnection,
        aux: Option<&Self::Aux>,
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[&[u8]],
    ) -> rusqlite::Result<(Cow<'static, CStr>, Self)> {
        let log = aux.cloned().unwrap_or_default();
        let table = InListTab {
            base: sqlite3_vtab::default(),
            log,
        };
        Ok((Cow::Borrowed(c"CREATE TABLE x(value INTEGER)"), table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<bool> {
        let usable_eq = info.constraints().position(|c| {
            c.column() == 0
                && c.operator() == vtab::IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
                && c.is_usable()
        });
        let Some(idx) = usable_eq else {
            info.set_idx_num(0);
            info.set_estimated_cost(100.0);
            return Ok(true);
        };
        let whole = info.is_in_constraint(idx)? && info.set_in_constraint(idx, true)?;
        let mut usage = info.constraint_usage(idx);
        usage.set_argv_index(1);
        usage.set_omit(true);
        info.set_idx_num(if whole { 1 } else { 2 });
        info.set_estimated_cost(1.0);
        Ok(true)
    }

    fn open(&'vtab mut self) -> rusqlite::Result<InListCursor<'vtab>> {
        let base = sqlite3_vtab_cursor::default();
        Ok(InListCursor {
            base,
            table: self,
            rows: Vec::new(),
            at: 0,
        })
    }
}

unsafe impl VTabCursor for InListCursor<'_> {
    fn filter(
        &mut self,
        idx_num: c_int,
        _: Option<&str>,
        args: &Filters<'_>,
    ) -> rusqlite::Result<()> {
        let wanted: Vec<i64> = match idx_num {
            1 => {
                let mut list = args.in_values(0)?;
                let before = list.get().is_some();
                let mut seen = Vec::new();
                while let Some(value) = list.next()? {
                    seen.push((value.get::<i64>(0)?, value.data_type()));
                }
                seen.sort_by_key(|&(n, _)| n);
                let after = list.get().is_some();
                let entry = format!("IN whole: {seen:?}, current before {before}, after {after}");
                self.table.log.lock().unwrap().push(entry);
                seen.into_iter().map(|(n, _)| n).collect()
            }
            2 => {
                let not_a_list = match args.in_values(0)?.advance() {
                    Err(Error::SqliteFailure(e, msg)) => format!("{:?} {msg:?}", e.code),
                    other => format!("{other:?}"),
                };
                let entry = format!("plain {}: in_values {not_a_list}", args.get::<i64>(0)?);
                self.table.log.lock().unwrap().push(entry);
                // 0.42+: the filter arguments are `types::Values` (`vtab::Values` is that type).
                let values: &Values<'_> = args;
                vec![values.get(0)?]
            }
            _ => (1..=10).collect(),
        };
        self.rows = wanted
            .into_iter()
            .filter(|n| (1..=10).contains(n))
            .collect();
        self.at = 0;
        Ok(())
    }

    fn next(&mut self) -> rusqlite::Result<()> {
        self.at += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.at >= self.rows.len()
    }

    fn column(&self, ctx: &mut vtab::Context, _: c_int) -> rusqlite::Result<()> {
        ctx.set_result(self.rows[self.at])
    }

    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(self.rows[self.at])
    }
}

const IN_LIST: Module<InListTab> = Module::eponymous_only_module();

/// The `value`s `sql` selects from `in_list` with `param` bound, and what `filter` logged.
fn in_list_query(
    db: &Connection,
    log: &Mutex<Vec<String>>,
    sql: &str,
    param: i64,
) -> rusqlite::Result<(Vec<i64>, Vec<String>)> {
    let rows = db
        .prepare(sql)?
        .query_map([param], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, std::mem::take(&mut *log.lock().unwrap())))
}

cases! {
    /// 0.42+'s `vtab::InValues`: an `IN` list taken whole by `best_index` reaches `filter` as
    /// one argument, streamed as `RawValue`s (type and conversion) with no current value before
    /// the first `advance` or after the last; a plain `=` argument is no list (the first
    /// `advance` fails). The rows are the listed values the table holds.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_in_values_streams_raw_values() {
        let db = crate::open()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        db.create_module(c"in_list", &IN_LIST, Some(log.clone()))?;
        let sql = "SELECT value FROM in_list WHERE value IN (?1, 7, 3, 12, 3) ORDER BY value";
        let (rows, seen) = in_list_query(&db, &log, sql, 9)?;
        assert_eq!(rows, [3, 7, 9]);
        assert_eq!(
            seen,
            ["IN whole: [(3, Integer), (7, Integer), (9, Integer), (12, Integer)], \
              current before false, after false"]
        );
        let sql = "SELECT value FROM in_list WHERE value = ?1";
        let (rows, seen) = in_list_query(&db, &log, sql, 5)?;
        assert_eq!(rows, [5]);
        assert_eq!(seen, ["plain 5: in_values Unknown None"]);
        Ok(())
    }

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

    /// `RowIndex` and `BindIndex` are `Copy` (0.41+), so generic code can use an index twice.
    fn row_and_bind_indexes_are_copy() {
        fn read_twice<I: rusqlite::RowIndex>(row: &rusqlite::Row<'_>, idx: I) -> rusqlite::Result<(i64, i64)> {
            Ok((row.get(idx)?, row.get(idx)?))
        }
        fn bind_twice<I: rusqlite::BindIndex>(stmt: &mut rusqlite::Statement<'_>, idx: I) -> rusqlite::Result<()> {
            stmt.raw_bind_parameter(idx, 1)?;
            stmt.raw_bind_parameter(idx, 2)
        }
        let db = crate::open()?;
        let mut stmt = db.prepare("SELECT :v + 0 AS a")?;
        bind_twice(&mut stmt, ":v")?;
        let mut rows = stmt.raw_query();
        let row = rows.next()?.expect("one row");
        assert_eq!(read_twice(row, "a")?, (2, 2));
        assert_eq!(read_twice(row, 0)?, (2, 2));
        Ok(())
    }
}
