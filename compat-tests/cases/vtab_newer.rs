//! User virtual-table modules written against rusqlite 0.36+'s `vtab` traits, compiled under the
//! newer surfaces only: read-only ones here (`connect` with the module, database and table names
//! apart and a `CStr` declaration, `best_index -> bool`, `Filters`, `IndexInfo`'s 0.38+
//! questions, `Module::read_only_module` as a `const`); the writable ones are in
//! vtab_writes_newer.rs. A counting table with a hidden constraint column, and a probe of what
//! `IndexInfo` reports. Calls both 0.40 and 0.43 accept (`set_result(&v)`); per-version
//! expectations by `SURFACE`.

use rusqlite::vtab::{
    sqlite3_vtab, sqlite3_vtab_cursor, Context, CreateVTab, Filters, IndexConstraintOp, IndexInfo,
    Module, VTab, VTabConnection, VTabCursor, VTabKind,
};
use rusqlite::{Error, ErrorCode, Result};
use std::borrow::Cow;
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

/// A log a module appends to (its aux: `Send + Sync`).
pub(super) type Log = Arc<Mutex<Vec<String>>>;

/// Empties `log` and returns what it held.
pub(super) fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

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
}
