//! 0.40's `Filters::in_values`, whose iterator the shared parity cases cannot hold (0.42 made it
//! a streaming iterator of `RawValue`s): a table that asks for a whole `IN` list in one
//! filter argument reads its values, distinct and in order; on an argument that is not an `IN`
//! list the first `next` is an error, not undefined behaviour.
use dbcompat::v0_40::fallible_iterator::FallibleIterator;
use dbcompat::v0_40::vtab::{
    sqlite3_vtab, sqlite3_vtab_cursor, Context, CreateVTab, Filters, IndexConstraintOp, IndexInfo,
    Module, VTab, VTabConnection, VTabCursor, VTabKind,
};
use dbcompat::v0_40::{ffi, Connection, Error, ErrorCode, Result};
use std::borrow::Cow;
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

/// The integers 1..=10 as `value`; an `=` or `IN` constraint on it reaches `filter` as one
/// argument, read with `in_values` (an `IN` list, or an error for a plain value).
#[repr(C)]
struct Digits {
    base: sqlite3_vtab,
    log: Log,
}

#[repr(C)]
struct DigitsCursor<'vtab> {
    base: sqlite3_vtab_cursor,
    rows: Vec<i64>,
    at: usize,
    phantom: PhantomData<&'vtab Digits>,
    log: Log,
}

unsafe impl<'vtab> VTab<'vtab> for Digits {
    type Aux = Log;
    type Cursor = DigitsCursor<'vtab>;

    fn connect(
        _: &mut VTabConnection,
        aux: Option<&Log>,
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[&[u8]],
    ) -> Result<(Cow<'static, CStr>, Self)> {
        let log = aux.cloned().unwrap_or_default();
        Ok((
            Cow::Borrowed(c"CREATE TABLE x(value)"),
            Digits {
                base: sqlite3_vtab::default(),
                log,
            },
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<bool> {
        let eq = (0..info.constraints().count()).find(|&i| {
            let c = info.constraints().nth(i).unwrap();
            c.is_usable() && c.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
        });
        if let Some(i) = eq {
            if info.is_in_constraint(i)? {
                assert!(info.set_in_constraint(i, true)?);
            }
            let mut usage = info.constraint_usage(i);
            usage.set_argv_index(1);
            usage.set_omit(true);
            info.set_idx_num(1);
        }
        info.set_estimated_cost(1.0);
        Ok(true)
    }

    fn open(&'vtab mut self) -> Result<DigitsCursor<'vtab>> {
        let log = self.log.clone();
        let base = sqlite3_vtab_cursor::default();
        Ok(DigitsCursor {
            base,
            rows: Vec::new(),
            at: 0,
            phantom: PhantomData,
            log,
        })
    }
}

impl CreateVTab<'_> for Digits {
    const KIND: VTabKind = VTabKind::Eponymous;
}

unsafe impl VTabCursor for DigitsCursor<'_> {
    fn filter(&mut self, idx_num: c_int, _: Option<&str>, args: &Filters<'_>) -> Result<()> {
        self.at = 0;
        self.rows = (1..=10).collect();
        if idx_num == 1 {
            let listed = args
                .in_values(0)?
                .map(|v| Ok(v.as_i64()?))
                .collect::<Vec<i64>>();
            self.log.lock().unwrap().push(format!("{listed:?}"));
            let listed = listed.unwrap_or_else(|_| vec![args.get(0).unwrap()]);
            self.rows.retain(|v| listed.contains(v));
        }
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.at += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.at >= self.rows.len()
    }

    fn column(&self, ctx: &mut Context, _: c_int) -> Result<()> {
        ctx.set_result(&self.rows[self.at])
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.rows[self.at])
    }
}

const DIGITS: Module<Digits> = Module::read_only_module();

/// The values `sql` selects on a new connection with the module registered, and what its
/// filters logged.
fn run(sql: &str) -> Result<(Vec<i64>, Vec<String>)> {
    let db = Connection::open_in_memory()?;
    let log = Log::default();
    db.create_module("digits", &DIGITS, Some(log.clone()))?;
    let values = db
        .prepare(sql)?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_>>()?;
    let logged = std::mem::take(&mut *log.lock().unwrap());
    Ok((values, logged))
}

#[test]
fn in_values_reads_a_whole_in_list() -> Result<()> {
    let (values, logged) = run("SELECT value FROM digits WHERE value IN (7, 3, 12, 3)")?;
    assert_eq!(values, [3, 7]);
    assert_eq!(logged, ["Ok([3, 7, 12])"]);
    Ok(())
}

#[test]
fn in_values_on_a_plain_argument_is_an_error() -> Result<()> {
    let (values, logged) = run("SELECT value FROM digits WHERE value = 4")?;
    assert_eq!(values, [4]);
    let not_a_list = Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_ERROR), None);
    assert_eq!(not_a_list.sqlite_error_code(), Some(ErrorCode::Unknown));
    assert_eq!(logged, [format!("{:?}", Err::<(), _>(not_a_list))]);
    Ok(())
}
