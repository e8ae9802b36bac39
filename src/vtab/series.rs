//! The `generate_series(start, stop, step)` table-valued function (feature `series`), with
//! the behaviour of rusqlite's (and SQLite's `series.c`): `stop` defaults to 4294967295 and
//! `step` to 1, a NULL argument gives no rows, a negative step counts down, and an
//! `ORDER BY value` on a bounded series is served without sorting.
//!
//! ## Backends
//! Local connections only: `load_module` on a remote connection returns the local-only
//! `SqliteFailure` (`ApiMisuse`).

use super::{
    eponymous_only_module, Context, IndexConstraintOp, IndexInfo, VTab, VTabConfig, VTabConnection,
    VTabCursor, Values,
};
use crate::error::error_from_sqlite_code;
use crate::types::Type;
use crate::{ffi, Connection, Result};
use std::ffi::c_int;
use std::marker::PhantomData;

/// Registers the `generate_series` module on `conn`.
///
/// # Failure
/// On a remote connection, the local-only `SqliteFailure` (`ApiMisuse`).
pub fn load_module(conn: &Connection) -> Result<()> {
    conn.create_module(
        "generate_series",
        eponymous_only_module::<SeriesTab>(),
        None,
    )
}

const START_COLUMN: c_int = 1;
const STOP_COLUMN: c_int = 2;
const STEP_COLUMN: c_int = 3;

bitflags::bitflags! {
    /// The plan chosen by `best_index`, passed to `filter` as idxNum.
    #[derive(Clone, Copy)]
    struct Plan: c_int {
        const START = 1;
        const STOP = 2;
        const STEP = 4;
        const DESC = 8;
        const ASC = 16;
    }
}

#[repr(C)]
struct SeriesTab {
    base: super::sqlite3_vtab,
}

unsafe impl<'vtab> VTab<'vtab> for SeriesTab {
    type Aux = ();
    type Cursor = SeriesCursor<'vtab>;

    fn connect(db: &mut VTabConnection, _: Option<&()>, _: &[&[u8]]) -> Result<(String, Self)> {
        db.config(VTabConfig::Innocuous)?;
        let table = SeriesTab {
            base: Default::default(),
        };
        Ok((
            "CREATE TABLE x(value,start hidden,stop hidden,step hidden)".to_owned(),
            table,
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> Result<()> {
        let mut plan = Plan::empty();
        let mut unusable = Plan::empty();
        // The constraint index giving start, stop and step, in filter's argument order.
        let mut args: [Option<usize>; 3] = [None; 3];
        for (i, constraint) in info.constraints().enumerate() {
            let (slot, flag) = match constraint.column() {
                START_COLUMN => (0, Plan::START),
                STOP_COLUMN => (1, Plan::STOP),
                STEP_COLUMN => (2, Plan::STEP),
                _ => continue,
            };
            if !constraint.is_usable() {
                unusable |= flag;
            } else if constraint.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ {
                plan |= flag;
                args[slot] = Some(i);
            }
        }
        let mut argv_index = 0;
        for constraint in args.into_iter().flatten() {
            argv_index += 1;
            let mut usage = info.constraint_usage(constraint);
            usage.set_argv_index(argv_index);
            usage.set_omit(true);
        }
        if !(unusable - plan).is_empty() {
            // A plan without a hidden-column value it needs: make the planner pick another.
            return Err(error_from_sqlite_code(ffi::SQLITE_CONSTRAINT, None));
        }
        if plan.contains(Plan::START | Plan::STOP) {
            let cost = if plan.contains(Plan::STEP) { 1.0 } else { 2.0 };
            info.set_estimated_cost(cost);
            info.set_estimated_rows(1000);
            let first = info
                .order_bys()
                .next()
                .map(|o| (o.column(), o.is_order_by_desc()));
            if let Some((0, desc)) = first {
                plan |= if desc { Plan::DESC } else { Plan::ASC };
                info.set_order_by_consumed(true);
            }
        } else {
            // An unbounded span is huge: steer the planner away from it.
            info.set_estimated_rows(2_147_483_647);
        }
        info.set_idx_num(plan.bits());
        Ok(())
    }

    fn open(&'vtab mut self) -> Result<SeriesCursor<'vtab>> {
        Ok(SeriesCursor {
            base: Default::default(),
            descending: false,
            done: false,
            row_id: 0,
            value: 0,
            min_value: 0,
            max_value: 0,
            step: 0,
            phantom: PhantomData,
        })
    }
}

#[repr(C)]
struct SeriesCursor<'vtab> {
    base: super::sqlite3_vtab_cursor,
    descending: bool,
    /// Set when the next value would overflow an i64.
    done: bool,
    row_id: i64,
    value: i64,
    min_value: i64,
    max_value: i64,
    step: i64,
    phantom: PhantomData<&'vtab SeriesTab>,
}

unsafe impl VTabCursor for SeriesCursor<'_> {
    fn filter(&mut self, idx_num: c_int, _: Option<&str>, args: &Values<'_>) -> Result<()> {
        let mut plan = Plan::from_bits_truncate(idx_num);
        let mut next_arg = 0;
        let mut arg = |present: bool, default: i64| -> Result<i64> {
            if !present {
                return Ok(default);
            }
            next_arg += 1;
            Ok(args.get::<Option<i64>>(next_arg - 1)?.unwrap_or(0))
        };
        self.min_value = arg(plan.contains(Plan::START), 0)?;
        self.max_value = arg(plan.contains(Plan::STOP), 0xffff_ffff)?;
        let step = arg(plan.contains(Plan::STEP), 1)?;
        self.step = match step {
            0 => 1,
            s if s < 0 => {
                if !plan.contains(Plan::ASC) {
                    plan |= Plan::DESC;
                }
                s.checked_neg().unwrap_or(i64::MAX)
            }
            s => s,
        };
        if args.iter().any(|v| v.data_type() == Type::Null) {
            // Any NULL argument: no rows.
            self.min_value = 1;
            self.max_value = 0;
        }
        self.descending = plan.contains(Plan::DESC);
        self.done = false;
        self.value = if self.descending {
            // Start from the last value of the ascending series (SQLite's arithmetic, in i128
            // so no span overflows; rusqlite's remainder is signed when stop < start).
            let span = i128::from(self.max_value) - i128::from(self.min_value);
            let first = i128::from(self.max_value) - span % i128::from(self.step);
            i64::try_from(first).unwrap_or_else(|_| {
                self.done = true;
                self.max_value
            })
        } else {
            self.min_value
        };
        self.row_id = 1;
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        let next = if self.descending {
            self.value.checked_sub(self.step)
        } else {
            self.value.checked_add(self.step)
        };
        match next {
            Some(v) => self.value = v,
            None => self.done = true,
        }
        self.row_id += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.done
            || if self.descending {
                self.value < self.min_value
            } else {
                self.value > self.max_value
            }
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> Result<()> {
        let value = match i {
            START_COLUMN => self.min_value,
            STOP_COLUMN => self.max_value,
            STEP_COLUMN => self.step,
            _ => self.value,
        };
        ctx.set_result(&value)
    }

    fn rowid(&self) -> Result<i64> {
        Ok(self.row_id)
    }
}
