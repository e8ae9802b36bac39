//! Window functions and collations. rusqlite gates these behind its `window` and `collation`
//! features, which the `real_rusqlite` dev-dependency does not enable yet; this module is
//! registered in `cases/mod.rs` once it does (dbcompat always has both).
use crate::support::one;
use rusqlite::functions::{Aggregate, Context, FunctionFlags, WindowAggregate};
use rusqlite::{Error, ErrorCode};
use std::cmp::Ordering;
use std::sync::Arc;

struct WinSum;

impl Aggregate<i64, Option<i64>> for WinSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<i64> {
        Ok(0)
    }
    fn step(&self, ctx: &mut Context<'_>, acc: &mut i64) -> rusqlite::Result<()> {
        *acc += ctx.get::<i64>(0)?;
        Ok(())
    }
    fn finalize(&self, _: &mut Context<'_>, acc: Option<i64>) -> rusqlite::Result<Option<i64>> {
        Ok(acc)
    }
}

impl WindowAggregate<i64, Option<i64>> for WinSum {
    fn value(&self, acc: Option<&mut i64>) -> rusqlite::Result<Option<i64>> {
        Ok(acc.copied())
    }
    fn inverse(&self, ctx: &mut Context<'_>, acc: &mut i64) -> rusqlite::Result<()> {
        let v = ctx.get::<i64>(0)?;
        if v == 13 {
            return Err(Error::UserFunctionError("cannot remove 13".into()));
        }
        *acc -= v;
        Ok(())
    }
}

fn flags() -> FunctionFlags {
    FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC
}

fn window_db() -> rusqlite::Result<rusqlite::Connection> {
    let db = crate::open()?;
    db.create_window_function("sumint", 1, flags(), WinSum)?;
    db.execute_batch(
        "CREATE TABLE t3(x, y);
         INSERT INTO t3 VALUES ('a', 4), ('b', 5), ('c', 3), ('d', 8), ('e', 1);",
    )?;
    Ok(db)
}

/// `(code, extended_code, message)` of a SqliteFailure, panicking on any other variant.
fn parts(e: &Error) -> (ErrorCode, i32, String) {
    match e {
        Error::SqliteFailure(err, msg) => {
            (err.code, err.extended_code, msg.clone().unwrap_or_default())
        }
        other => panic!("expected SqliteFailure, got {other:?}"),
    }
}

fn reverse(a: &str, b: &str) -> Ordering {
    b.cmp(a)
}

cases! {
    /// rusqlite's own window test: a sliding sum uses step, inverse and value.
    #[local_only("Rust callbacks exist only for local connections")]
    fn window_function_sliding_sum() {
        let db = window_db()?;
        let mut stmt = db.prepare(
            "SELECT x, sumint(y) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s
             FROM t3 ORDER BY x",
        )?;
        let got: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let expected = [("a", 9), ("b", 12), ("c", 16), ("d", 12), ("e", 9)];
        assert_eq!(got, expected.map(|(x, s)| (x.to_string(), s)));
        // Still an ordinary aggregate without OVER.
        assert_eq!(one::<i64>(&db, "SELECT sumint(y) FROM t3")?, 21);
        assert_eq!(one::<Option<i64>>(&db, "SELECT sumint(y) FROM t3 WHERE 0")?, None);
        Ok(())
    }

    /// Running totals (no inverse needed) and an error from inverse.
    #[local_only("Rust callbacks exist only for local connections")]
    fn window_function_running_total_and_error() {
        let db = window_db()?;
        let mut stmt = db.prepare("SELECT sumint(y) OVER (ORDER BY x) FROM t3 ORDER BY x")?;
        let got: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(got, [4, 9, 12, 20, 21]);
        db.execute_batch("UPDATE t3 SET y = 13 WHERE x = 'a'")?;
        let mut stmt = db.prepare(
            "SELECT sumint(y) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t3",
        )?;
        let e = stmt
            .query_map([], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::Unknown, 1, "cannot remove 13".to_string()));
        Ok(())
    }

    /// A custom collation orders, compares and deduplicates.
    #[local_only("Rust callbacks exist only for local connections")]
    fn collation_orders_and_compares() {
        let db = crate::open()?;
        db.create_collation("reverse", reverse)?;
        db.create_collation("nocase_rs", |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase()))?;
        db.execute_batch("CREATE TABLE c(s); INSERT INTO c VALUES ('b'), ('A'), ('c'), ('a')")?;
        let mut stmt = db.prepare("SELECT s FROM c ORDER BY s COLLATE reverse")?;
        let got: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(got, ["c", "b", "a", "A"]);
        assert_eq!(one::<i64>(&db, "SELECT 'a' < 'b' COLLATE reverse")?, 0);
        assert_eq!(one::<i64>(&db, "SELECT count(DISTINCT s COLLATE nocase_rs) FROM c")?, 3);
        assert_eq!(one::<i64>(&db, "SELECT 'Maße' = 'MASSE' COLLATE nocase_rs")?, 0);
        Ok(())
    }

    /// Removing a collation makes it unknown; names with NUL are refused.
    #[local_only("Rust callbacks exist only for local connections")]
    fn collation_remove_and_errors() {
        let db = crate::open()?;
        db.create_collation("reverse", reverse)?;
        assert_eq!(one::<i64>(&db, "SELECT 'a' < 'b' COLLATE reverse")?, 0);
        db.remove_collation("reverse")?;
        let e = one::<i64>(&db, "SELECT 'a' < 'b' COLLATE reverse").unwrap_err();
        assert_eq!(parts(&e), (ErrorCode::Unknown, 257, "no such collation sequence: reverse".to_string()));
        assert!(matches!(db.create_collation("a\0b", reverse), Err(Error::NulError(_))));
        assert!(matches!(db.remove_collation("a\0b"), Err(Error::NulError(_))));
        // A panicking comparison counts as "less" and does not abort.
        db.create_collation("boom", |_: &str, _: &str| -> Ordering { panic!("collation") })?;
        assert_eq!(one::<i64>(&db, "SELECT 'x' < 'x' COLLATE boom")?, 1);
        Ok(())
    }

    /// The comparison closure is dropped when replaced and when the connection closes.
    #[local_only("Rust callbacks exist only for local connections")]
    fn collation_closure_dropped() {
        let token = Arc::new(());
        let db = crate::open()?;
        let t = token.clone();
        db.create_collation("k", move |a: &str, b: &str| {
            let _ = &t;
            a.cmp(b)
        })?;
        assert_eq!(Arc::strong_count(&token), 2);
        db.create_collation("k", reverse)?;
        assert_eq!(Arc::strong_count(&token), 1);
        let t = token.clone();
        db.create_collation("k2", move |a: &str, b: &str| {
            let _ = &t;
            a.cmp(b)
        })?;
        drop(db);
        assert_eq!(Arc::strong_count(&token), 1);
        Ok(())
    }
}
