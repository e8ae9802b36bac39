//! A first end-to-end case: open, create, insert, read back.
use crate::support::one;
use rusqlite::params;

cases! {
    fn open_insert_select() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a INTEGER, b TEXT)")?;
        assert_eq!(db.execute("INSERT INTO t VALUES (?1, ?2)", params![1, "x"])?, 1);
        let b: String = one(&db, "SELECT b FROM t WHERE a = 1")?;
        assert_eq!(b, "x");
        Ok(())
    }
}
