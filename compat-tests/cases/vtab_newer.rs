//! User virtual-table modules written against rusqlite 0.36+'s `vtab` traits (`connect` with the
//! module, database and table names apart and a `CStr` declaration, `best_index -> bool`,
//! `Filters`/`Inserts`/`Updates`, `Module`'s const constructors, `TransactionVTab`), compiled
//! under the newer surfaces only. A read-only counting table with a hidden constraint column,
//! a probe of what `IndexInfo` reports, a writable key-value table, and the same table told
//! of transactions. Calls both 0.40 and 0.43 accept (`set_result(&v)`); per-version
//! expectations by `SURFACE`.

use rusqlite::types::ValueRef;
use rusqlite::vtab::{
    sqlite3_vtab, sqlite3_vtab_cursor, Context, CreateVTab, Filters, IndexConstraintOp, IndexInfo,
    Inserts, Module, TransactionVTab, UpdateVTab, Updates, VTab, VTabConnection, VTabCursor,
    VTabKind,
};
use rusqlite::{Connection, Error, ErrorCode, Result};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// `(code, message)` of a `SqliteFailure`, panicking on any other variant.
fn failure<T: std::fmt::Debug>(r: Result<T>) -> (ErrorCode, String) {
    match r {
        Err(Error::SqliteFailure(e, msg)) => (e.code, msg.unwrap_or_default()),
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
}

/// The integers `start..n` as column `value`; `n` is the module argument (else the module's
/// aux). The hidden column `start` is taken as an `=` constraint by `best_index`; with the
/// argument `strict` a scan without it is refused (`Ok(false)`). Column `origin` is
/// "module/database/table" as `connect` received them.
#[repr(C)]
struct CountTab {
    base: sqlite3_vtab,
    n: i64,
    strict: bool,
    origin: String,
}

#[repr(C)]
struct CountCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    table: &'vtab CountTab,
    start: i64,
    row: i64,
}

fn text(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| Error::ModuleError(e.to_string()))
}

unsafe impl<'vtab> VTab<'vtab> for CountTab {
    type Aux = i64;
    type Cursor = CountCursor<'vtab>;

    fn connect(
        _db: &mut VTabConnection,
        aux: Option<&i64>,
        module_name: &[u8],
        database_name: &[u8],
        table_name: &[u8],
        args: &[&[u8]],
    ) -> Result<(Cow<'static, CStr>, Self)> {
        let mut n = aux.copied().unwrap_or(3);
        let mut strict = false;
        for arg in args {
            match text(arg)?.trim() {
                "strict" => strict = true,
                other => {
                    n = other
                        .parse()
                        .map_err(|_| Error::ModuleError(format!("bad count: {other}")))?
                }
            }
        }
        let origin = format!(
            "{}/{}/{}",
            text(module_name)?,
            text(database_name)?,
            text(table_name)?
        );
        let table = CountTab {
            base: sqlite3_vtab::default(),
            n,
            strict,
            origin,
        };
        Ok((
            Cow::Borrowed(c"CREATE TABLE x(value INTEGER, origin TEXT, start HIDDEN)"),
            table,
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<bool> {
        let mut constrained = false;
        for (constraint, mut usage) in info.constraints_and_usages() {
            if constraint.column() == 2
                && constraint.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
                && constraint.is_usable()
            {
                usage.set_argv_index(1);
                usage.set_omit(true);
                constrained = true;
            }
        }
        if self.strict && !constrained {
            return Ok(false);
        }
        info.set_idx_num(c_int::from(constrained));
        info.set_idx_cstr(if constrained { c"start" } else { c"scan" });
        info.set_estimated_cost(if constrained { 1.0 } else { 100.0 });
        Ok(true)
    }

    fn open(&'vtab mut self) -> Result<CountCursor<'vtab>> {
        Ok(CountCursor {
            base: sqlite3_vtab_cursor::default(),
            table: self,
            start: 0,
            row: 0,
        })
    }
}

impl CreateVTab<'_> for CountTab {
    const KIND: VTabKind = VTabKind::Default;
}

unsafe impl VTabCursor for CountCursor<'_> {
    fn filter(&mut self, idx_num: c_int, idx_str: Option<&str>, args: &Filters<'_>) -> Result<()> {
        assert_eq!(idx_str, Some(if idx_num == 1 { "start" } else { "scan" }));
        self.start = if idx_num == 1 { args.get::<i64>(0)? } else { 0 };
        self.row = self.start;
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.row += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.row >= self.table.n
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()> {
        match i {
            0 => ctx.set_result(&self.row),
            1 => ctx.set_result(&self.table.origin),
            _ => ctx.set_result(&self.start),
        }
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.row)
    }
}

const COUNTING: Module<CountTab> = Module::read_only_module();

type Rows = Rc<RefCell<BTreeMap<i64, (String, String)>>>;
type Log = Arc<Mutex<Vec<String>>>;

/// Rows `(rowid, value, note)` kept in memory; writes go through `UpdateVTab`, and an UPDATE
/// that leaves `note` alone keeps it (`Context::no_change` / `Updates::no_change`). Each write
/// and transaction step is logged to the aux log.
#[repr(C)]
struct KvTab {
    base: sqlite3_vtab,
    db: *mut rusqlite::ffi::sqlite3,
    rows: Rows,
    log: Log,
}

#[repr(C)]
struct KvCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    rows: Vec<(i64, String, String)>,
    at: usize,
    phantom: PhantomData<&'vtab KvTab>,
}

impl KvTab {
    fn log(&self, entry: String) {
        self.log.lock().unwrap().push(entry);
    }
}

unsafe impl<'vtab> VTab<'vtab> for KvTab {
    type Aux = Log;
    type Cursor = KvCursor<'vtab>;

    fn connect(
        db: &mut VTabConnection,
        aux: Option<&Log>,
        _module_name: &[u8],
        _database_name: &[u8],
        _table_name: &[u8],
        _args: &[&[u8]],
    ) -> Result<(Cow<'static, CStr>, Self)> {
        let table = KvTab {
            base: sqlite3_vtab::default(),
            // SAFETY: kept only to ask the conflict mode during this connection's xUpdate.
            db: unsafe { db.handle() },
            rows: Rows::default(),
            log: aux.cloned().unwrap_or_default(),
        };
        Ok((
            Cow::Owned(c"CREATE TABLE x(value TEXT, note TEXT)".to_owned()),
            table,
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<bool> {
        info.set_estimated_cost(10.0);
        Ok(true)
    }

    fn open(&'vtab mut self) -> Result<KvCursor<'vtab>> {
        let rows = self
            .rows
            .borrow()
            .iter()
            .map(|(k, (v, n))| (*k, v.clone(), n.clone()))
            .collect();
        Ok(KvCursor {
            base: sqlite3_vtab_cursor::default(),
            rows,
            at: 0,
            phantom: PhantomData,
        })
    }
}

impl CreateVTab<'_> for KvTab {
    const KIND: VTabKind = VTabKind::Default;
}

impl UpdateVTab<'_> for KvTab {
    fn delete(&mut self, arg: ValueRef<'_>) -> Result<()> {
        let rowid = arg.as_i64()?;
        self.rows.borrow_mut().remove(&rowid);
        self.log(format!("delete {rowid}"));
        Ok(())
    }

    fn insert(&mut self, args: &Inserts<'_>) -> Result<i64> {
        // SAFETY: the handle of the connection running this insert.
        let mode = unsafe { args.on_conflict(self.db) };
        let mut rows = self.rows.borrow_mut();
        let rowid = match args.get::<Option<i64>>(1)? {
            Some(rowid) => rowid,
            None => rows.keys().next_back().map_or(1, |last| last + 1),
        };
        rows.insert(
            rowid,
            (
                args.get(2)?,
                args.get::<Option<String>>(3)?.unwrap_or_default(),
            ),
        );
        drop(rows);
        self.log(format!("insert {rowid} {mode:?}"));
        Ok(rowid)
    }

    fn update(&mut self, args: &Updates<'_>) -> Result<()> {
        let (old, new): (i64, i64) = (args.get(0)?, args.get(1)?);
        let mut rows = self.rows.borrow_mut();
        let (_, old_note) = rows.remove(&old).unwrap_or_default();
        let note = if args.no_change(3) {
            old_note
        } else {
            args.get(3)?
        };
        rows.insert(new, (args.get(2)?, note));
        drop(rows);
        self.log(format!(
            "update {old}->{new} note unchanged: {}",
            args.no_change(3)
        ));
        Ok(())
    }
}

impl TransactionVTab<'_> for KvTab {
    fn begin(&mut self) -> Result<()> {
        self.log("begin".into());
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        self.log("sync".into());
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.log("commit".into());
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        self.log("rollback".into());
        Ok(())
    }
}

unsafe impl VTabCursor for KvCursor<'_> {
    fn filter(&mut self, _: c_int, _: Option<&str>, args: &Filters<'_>) -> Result<()> {
        assert!(args.is_empty());
        self.at = 0;
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.at += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.at >= self.rows.len()
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()> {
        let (_, value, note) = &self.rows[self.at];
        match i {
            0 => ctx.set_result(value),
            // Left unset for an UPDATE that does not change it: `Updates::no_change` sees it.
            _ if ctx.no_change() => Ok(()),
            _ => ctx.set_result(note),
        }
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.rows[self.at].0)
    }
}

const KV: Module<KvTab> = Module::update_module();
const KV_TX: Module<KvTab> = Module::update_module_with_tx();

/// The integers 1..=5 as `value`, and `answer` computed through `Context::get_connection`.
/// `best_index` logs what the planner says: the DISTINCT mode, the first constraint's
/// right-hand value, collation and `IN`-ness, and an out-of-range index's error.
#[repr(C)]
struct ProbeTab {
    base: sqlite3_vtab,
    log: Log,
}

#[repr(C)]
struct ProbeCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    row: i64,
    phantom: PhantomData<&'vtab ProbeTab>,
}

unsafe impl<'vtab> VTab<'vtab> for ProbeTab {
    type Aux = Log;
    type Cursor = ProbeCursor<'vtab>;

    fn connect(
        _: &mut VTabConnection,
        aux: Option<&Log>,
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[&[u8]],
    ) -> Result<(Cow<'static, CStr>, Self)> {
        let log = aux.cloned().unwrap_or_default();
        let table = ProbeTab {
            base: sqlite3_vtab::default(),
            log,
        };
        Ok((Cow::Borrowed(c"CREATE TABLE x(value, answer)"), table))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<bool> {
        let mut entry = format!("{:?}", info.distinct());
        if info.constraints().next().is_some() {
            let rhs = info.rhs_value(0)?.map(|v| format!("{v:?}"));
            let in_list = info.is_in_constraint(0)?;
            let taken = info.set_in_constraint(0, false)?;
            entry += &format!(
                " rhs={rhs:?} collation={} in={in_list} {taken}",
                info.collation(0)?
            );
        }
        let (code, msg) = failure(info.is_in_constraint(99));
        entry += &format!(" {code:?} {msg}");
        self.log.lock().unwrap().push(entry);
        info.set_estimated_cost(5.0);
        Ok(true)
    }

    fn open(&'vtab mut self) -> Result<ProbeCursor<'vtab>> {
        Ok(ProbeCursor {
            base: sqlite3_vtab_cursor::default(),
            row: 1,
            phantom: PhantomData,
        })
    }
}

impl CreateVTab<'_> for ProbeTab {
    const KIND: VTabKind = VTabKind::Eponymous;
}

unsafe impl VTabCursor for ProbeCursor<'_> {
    fn filter(&mut self, _: c_int, _: Option<&str>, _: &Filters<'_>) -> Result<()> {
        self.row = 1;
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.row += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.row > 5
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()> {
        if i == 0 {
            return ctx.set_result(&self.row);
        }
        // SAFETY: only reads through the connection running this statement.
        let conn = unsafe { ctx.get_connection()? };
        let answer: i64 = conn.query_row("SELECT 40 + 2", [], |r| r.get(0))?;
        ctx.set_result(&answer)
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.row)
    }
}

const PROBE: Module<ProbeTab> = Module::read_only_module();

/// The rows of `table` as `(rowid, value, note)`.
fn kv_rows(db: &Connection, table: &str) -> Result<Vec<(i64, String, String)>> {
    db.prepare(&format!(
        "SELECT rowid, value, note FROM {table} ORDER BY rowid"
    ))?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

/// Empties `log` and returns what it held.
fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

cases! {
    /// A read-only module: `connect` gets the module, database and table names apart and the
    /// arguments after them; `best_index` takes the hidden column's `=` constraint, which
    /// `filter` reads from `Filters`; the aux is the default count.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_read_only_module_with_constraint() {
        let db = crate::open()?;
        db.create_module(c"counting", &COUNTING, Some(4))?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE five USING counting(5);
             CREATE VIRTUAL TABLE dflt USING counting",
        )?;
        let values = db
            .prepare("SELECT value FROM five")?
            .query_map([], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>>>()?;
        assert_eq!(values, [0, 1, 2, 3, 4]);
        let from_two = db
            .prepare("SELECT value, origin FROM five WHERE start = ?1")?
            .query_map([2], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>>>()?;
        let origin = || "counting/main/five".to_owned();
        assert_eq!(from_two, [(2, origin()), (3, origin()), (4, origin())]);
        let count: i64 = db.query_row("SELECT count(*) FROM dflt", [], |r| r.get(0))?;
        assert_eq!(count, 4);
        Ok(())
    }

    /// Errors from the module reach the statement: a bad argument fails `CREATE VIRTUAL TABLE`
    /// with the module's message, a filter argument of the wrong type fails the query with this
    /// version's parameter-type message, and `best_index` answering `Ok(false)` for every plan
    /// leaves the planner without one.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_module_errors_reach_the_statement() {
        let db = crate::open()?;
        db.create_module("counting", &COUNTING, None)?;
        let created = db.execute_batch("CREATE VIRTUAL TABLE bad USING counting(many)");
        let (code, msg) = failure(created);
        assert_eq!((code, msg.as_str()), (ErrorCode::Unknown, "bad count: many"));

        db.execute_batch("CREATE VIRTUAL TABLE c USING counting(3)")?;
        let sql = "SELECT value FROM c WHERE start = 'x'";
        let (code, msg) = failure(db.query_row(sql, [], |r| r.get::<_, i64>(0)));
        let expected = match crate::SURFACE {
            "0.40" => "Invalid filter parameter type Text at index 0",
            _ => "Invalid function or filter parameter type Text at index 0",
        };
        assert_eq!((code, msg.as_str()), (ErrorCode::Unknown, expected));

        db.execute_batch("CREATE VIRTUAL TABLE s USING counting(3, strict)")?;
        let scan = db.query_row("SELECT count(*) FROM s", [], |r| r.get::<_, i64>(0));
        let (code, msg) = failure(scan);
        assert_eq!((code, msg.as_str()), (ErrorCode::Unknown, "no query solution"));
        let sql = "SELECT count(*) FROM s WHERE start = 1";
        let constrained: i64 = db.query_row(sql, [], |r| r.get(0))?;
        assert_eq!(constrained, 2);
        Ok(())
    }

    /// A writable module: INSERT (with and without a rowid, and its conflict mode), UPDATE
    /// (an untouched column is `no_change`) and DELETE reach `UpdateVTab`; a module made
    /// without `update_module_with_tx` is not told of transactions.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_update_module_writes() {
        let db = crate::open()?;
        let log = Log::default();
        db.create_module("kv", &KV, Some(log.clone()))?;
        db.execute_batch("CREATE VIRTUAL TABLE store USING kv")?;
        db.execute("INSERT INTO store(value, note) VALUES ('a', 'first'), ('b', 'second')", [])?;
        assert_eq!(db.last_insert_rowid(), 2);
        db.execute("INSERT OR IGNORE INTO store(rowid, value) VALUES (10, 'c')", [])?;
        db.execute("UPDATE store SET value = 'B' WHERE rowid = 2", [])?;
        db.execute("UPDATE store SET note = 'n' WHERE rowid = 10", [])?;
        db.execute("DELETE FROM store WHERE value = 'a'", [])?;
        assert_eq!(
            kv_rows(&db, "store")?,
            [(2, "B".into(), "second".into()), (10, "c".into(), "n".into())]
        );
        assert_eq!(
            take(&log),
            [
                "insert 1 Abort",
                "insert 2 Abort",
                "insert 10 Ignore",
                "update 2->2 note unchanged: true",
                "update 10->10 note unchanged: false",
                "delete 1",
            ]
        );
        Ok(())
    }

    /// What `IndexInfo` tells a module (0.38+): `distinct()`, `rhs_value`, `collation`,
    /// `is_in_constraint`/`set_in_constraint` and their out-of-range error (a `COLLATE` on the
    /// constraint hides its value from `rhs_value`); an eponymous table is also a table-valued
    /// function; `Context::get_connection` runs SQL from a column.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_index_info_reports_the_query() {
        let db = crate::open()?;
        let log = Log::default();
        db.create_module("probe", &PROBE, Some(log.clone()))?;
        let sum = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0));
        assert_eq!(sum("SELECT sum(value) FROM probe")?, 15);
        assert_eq!(sum("SELECT count(*) FROM (SELECT DISTINCT value FROM probe)")?, 5);
        assert_eq!(sum("SELECT count(*) FROM (SELECT value FROM probe GROUP BY value)")?, 5);
        assert_eq!(sum("SELECT value FROM probe WHERE value = 4")?, 4);
        assert_eq!(sum("SELECT sum(value) FROM probe WHERE value IN (1, 3)")?, 4);
        assert_eq!(sum("SELECT count(*) FROM probe WHERE value = 'x' COLLATE NOCASE")?, 0);
        assert_eq!(sum("SELECT sum(answer) FROM probe")?, 210);
        let misuse = "ApiMisuse 99 is out of range";
        let expected = [
            format!("Ordered {misuse}"),
            format!("Distinct {misuse}"),
            format!("Grouped {misuse}"),
            format!("Ordered rhs=Some(\"Integer(4)\") collation=BINARY in=false false {misuse}"),
            format!("Ordered rhs=None collation=BINARY in=true true {misuse}"),
            format!("Ordered rhs=None collation=NOCASE in=false false {misuse}"),
            format!("Ordered {misuse}"),
        ];
        assert_eq!(take(&log), expected);
        Ok(())
    }

    /// `Module::update_module_with_tx`: the table's `begin`/`sync`/`commit` and `rollback`
    /// run around the writes of each transaction.
    #[local_only("virtual tables run inside the local engine")]
    fn vtab_transaction_module_steps() {
        let mut db = crate::open()?;
        let log = Log::default();
        db.create_module("kv_tx", &KV_TX, Some(log.clone()))?;
        db.execute_batch("CREATE VIRTUAL TABLE journal USING kv_tx")?;
        take(&log);
        let tx = db.transaction()?;
        tx.execute("INSERT INTO journal(value) VALUES ('kept')", [])?;
        tx.commit()?;
        assert_eq!(take(&log), ["begin", "insert 1 Abort", "sync", "commit"]);
        let tx = db.transaction()?;
        tx.execute("INSERT INTO journal(value) VALUES ('dropped')", [])?;
        tx.rollback()?;
        assert_eq!(take(&log), ["begin", "insert 2 Abort", "rollback"]);
        Ok(())
    }
}
