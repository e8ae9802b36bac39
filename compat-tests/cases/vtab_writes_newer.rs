//! Writable user virtual-table modules written against rusqlite 0.36+'s `vtab` traits
//! (`UpdateVTab` with `Inserts`/`Updates`, `Module::update_module` and
//! `update_module_with_tx` as `const`s, `TransactionVTab`), compiled under the newer surfaces
//! only: a key-value table, plain and told of transactions.

use super::vtab_newer::{take, Log};
use rusqlite::types::ValueRef;
use rusqlite::vtab::{
    sqlite3_vtab, sqlite3_vtab_cursor, Context, CreateVTab, Filters, IndexInfo, Inserts, Module,
    TransactionVTab, UpdateVTab, Updates, VTab, VTabConnection, VTabCursor, VTabKind,
};
use rusqlite::{Connection, Result};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::rc::Rc;

type Rows = Rc<RefCell<BTreeMap<i64, (String, String)>>>;

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

/// The rows of `table` as `(rowid, value, note)`.
fn kv_rows(db: &Connection, table: &str) -> Result<Vec<(i64, String, String)>> {
    db.prepare(&format!(
        "SELECT rowid, value, note FROM {table} ORDER BY rowid"
    ))?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

cases! {
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
