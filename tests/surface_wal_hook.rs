//! The WAL hook of the newer surfaces, whose signature differs by version so the shared parity
//! cases cannot hold it: 0.40 takes a `fn(&Wal, c_int)`, 0.43 an `FnMut(&mut Wal, c_int)` on
//! `&mut self` returning `Result`. Both go through the core's closure slot; each test checks
//! the callback sees the commit's pages and database name, and can checkpoint.
use std::ffi::c_int;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

fn temp_path(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("wal.db")
}

static PAGES_0_40: AtomicI32 = AtomicI32::new(0);

fn record_0_40(wal: &dbcompat::v0_40::hooks::Wal, pages: c_int) -> dbcompat::v0_40::Result<()> {
    assert_eq!(wal.name(), c"main");
    PAGES_0_40.store(pages, Ordering::SeqCst);
    wal.checkpoint()
}

#[test]
fn wal_hook_0_40_takes_a_fn_and_checkpoints() -> dbcompat::v0_40::Result<()> {
    use dbcompat::v0_40::Connection;
    let db = Connection::open(temp_path("wal-0-40"))?;
    let mode: String = db.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    assert_eq!(mode, "wal");
    db.wal_hook(Some(record_0_40));
    db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
    assert!(PAGES_0_40.load(Ordering::SeqCst) > 0);
    // The hook checkpointed: the log was copied back, so a fresh reader sees the row.
    let n: i64 = db.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
    assert_eq!(n, 1);
    db.wal_hook(None);
    Ok(())
}

#[test]
fn wal_hook_0_43_takes_a_closure_on_mut_self() -> dbcompat::v0_43::Result<()> {
    use dbcompat::v0_43::wal::CheckpointMode;
    use dbcompat::v0_43::{Connection, Error};
    let mut db = Connection::open(temp_path("wal-0-43"))?;
    let mode: String = db.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    assert_eq!(mode, "wal");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    db.wal_hook(Some(
        move |wal: &mut dbcompat::v0_43::hooks::Wal, pages: c_int| {
            let (log_frames, done) = wal.checkpoint_v2(CheckpointMode::PASSIVE)?;
            log.lock()
                .unwrap()
                .push((wal.name().to_owned(), pages, log_frames, done));
            Ok(())
        },
    ))?;
    db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
    let seen_now = seen.lock().unwrap().clone();
    assert!(!seen_now.is_empty());
    for (name, pages, log_frames, done) in seen_now {
        assert_eq!(name.as_c_str(), c"main");
        assert!(
            pages > 0 && log_frames == done,
            "{pages} {log_frames} {done}"
        );
    }
    // An error from the hook fails the committing statement, after the commit (as SQLite
    // documents for the WAL hook).
    db.wal_hook(Some(|_: &mut dbcompat::v0_43::hooks::Wal, _: c_int| {
        Err(Error::SqliteFailure(
            dbcompat::v0_43::ffi::Error::new(dbcompat::v0_43::ffi::SQLITE_FULL),
            None,
        ))
    }))?;
    let err = db.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
    assert!(matches!(err, Error::SqliteFailure(..)), "{err:?}");
    let n: i64 = db.query_row("SELECT count(*) FROM t WHERE x = 2", [], |r| r.get(0))?;
    assert_eq!(n, 1);
    db.wal_hook(
        None::<fn(&mut dbcompat::v0_43::hooks::Wal, c_int) -> dbcompat::v0_43::Result<()>>,
    )?;
    db.execute("INSERT INTO t VALUES (3)", [])?;
    Ok(())
}
