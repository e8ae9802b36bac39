//! The prepared statement cache behind [`Connection::prepare_cached`]: an LRU of real backend
//! statements keyed by the trimmed SQL text, 16 entries by default, as in rusqlite. On remote
//! connections it also saves the server round trip that preparing costs.

use crate::backend::Stmt;
use crate::{Connection, PrepFlags, Result, Statement};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

impl Connection {
    /// Prepares `sql`, or takes the statement from the cache if it was prepared before. The
    /// statement goes back to the cache, with its bindings cleared, when the returned
    /// [`CachedStatement`] is dropped.
    pub fn prepare_cached(&self, sql: &str) -> Result<CachedStatement<'_>> {
        self.cache.get(self, sql, false)
    }

    /// `prepare_cached` with rusqlite 0.35+'s rule: a second statement is `MultipleStatement`
    /// (checked once, when the statement is first prepared).
    #[cfg(feature = "cache")]
    pub(crate) fn prepare_cached_first_only(&self, sql: &str) -> Result<CachedStatement<'_>> {
        self.cache.get(self, sql, true)
    }

    /// Sets how many statements the cache keeps (0 disables caching).
    pub fn set_prepared_statement_cache_capacity(&self, capacity: usize) {
        self.cache.set_capacity(capacity);
    }

    /// Finalizes every cached statement.
    pub fn flush_prepared_statement_cache(&self) {
        self.cache.flush();
    }
}

/// The cache: most recently used at the back. A linear scan over at most a few dozen keys is
/// cheaper than hashing the SQL.
pub(crate) struct StatementCache(RefCell<Lru>);

struct Lru {
    capacity: usize,
    entries: VecDeque<(Box<str>, Stmt)>,
}

impl StatementCache {
    pub(crate) fn with_capacity(capacity: usize) -> StatementCache {
        StatementCache(RefCell::new(Lru {
            capacity,
            entries: VecDeque::with_capacity(capacity),
        }))
    }

    fn set_capacity(&self, capacity: usize) {
        let mut lru = self.0.borrow_mut();
        lru.capacity = capacity;
        while lru.entries.len() > capacity {
            lru.entries.pop_front();
        }
    }

    fn flush(&self) {
        // Take the entries out first so statements are finalized outside the borrow.
        let entries = std::mem::take(&mut self.0.borrow_mut().entries);
        drop(entries);
    }

    fn get<'conn>(
        &'conn self,
        conn: &'conn Connection,
        sql: &str,
        reject_second_statement: bool,
    ) -> Result<CachedStatement<'conn>> {
        let key = sql.trim();
        let cached = {
            let mut lru = self.0.borrow_mut();
            let pos = lru.entries.iter().rposition(|(k, _)| &**k == key);
            pos.and_then(|p| lru.entries.remove(p))
        };
        let (key, stmt) = match cached {
            Some((key, stmt)) => (key, stmt),
            None => {
                let (stmt, tail) = conn
                    .backend()
                    .prepare(key, PrepFlags::SQLITE_PREPARE_PERSISTENT.bits())?;
                if reject_second_statement {
                    conn.reject_second_statement(key, tail)?;
                }
                (Box::from(key), stmt)
            }
        };
        Ok(CachedStatement {
            stmt: Some(Statement::new(conn, stmt)),
            key,
            cache: self,
        })
    }

    fn put_back(&self, key: Box<str>, stmt: Stmt) {
        // Empty SQL gives no real statement; rusqlite doesn't cache those either.
        if stmt.is_null() {
            return;
        }
        stmt.reset();
        stmt.clear_bindings();
        let evicted = {
            let mut lru = self.0.borrow_mut();
            if lru.capacity == 0 {
                Some((key, stmt))
            } else {
                lru.entries.push_back((key, stmt));
                if lru.entries.len() > lru.capacity {
                    lru.entries.pop_front()
                } else {
                    None
                }
            }
        };
        drop(evicted);
    }
}

/// A statement borrowed from the cache; derefs to [`Statement`].
pub struct CachedStatement<'conn> {
    stmt: Option<Statement<'conn>>,
    key: Box<str>,
    cache: &'conn StatementCache,
}

impl<'conn> Deref for CachedStatement<'conn> {
    type Target = Statement<'conn>;

    fn deref(&self) -> &Statement<'conn> {
        self.stmt.as_ref().expect("statement present until drop")
    }
}

impl<'conn> DerefMut for CachedStatement<'conn> {
    fn deref_mut(&mut self) -> &mut Statement<'conn> {
        self.stmt.as_mut().expect("statement present until drop")
    }
}

impl Drop for CachedStatement<'_> {
    fn drop(&mut self) {
        if let Some(stmt) = self.stmt.take() {
            let key = std::mem::take(&mut self.key);
            self.cache.put_back(key, stmt.into_backend());
        }
    }
}

impl CachedStatement<'_> {
    /// Drops the statement for good instead of returning it to the cache.
    pub fn discard(mut self) {
        self.stmt = None;
    }
}
