//! A small store written against plain rusqlite 0.43; the tests run it on dbcompat.
use rusqlite::{named_params, params, Connection, OptionalExtension, Result};

/// A note store.
pub struct Notes {
    conn: Connection,
}

impl Notes {
    /// Opens (and migrates) the store at `path`: a file, `:memory:`, or with dbcompat a URL.
    pub fn open(path: &str) -> Result<Notes> {
        let mut conn = Connection::open(path)?;
        let tx = conn.transaction()?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS f043_note(id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, body TEXT);",
        )?;
        tx.commit()?;
        Ok(Notes { conn })
    }

    /// Adds a note and returns its id.
    pub fn add(&self, title: &str, body: Option<&str>) -> Result<i64> {
        let mut stmt = self
            .conn
            .prepare_cached("INSERT INTO f043_note(title, body) VALUES (:title, :body)")?;
        stmt.execute(named_params! {":title": title, ":body": body})?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The body of the note titled `title`, if there is such a note.
    pub fn body(&self, title: &str) -> Result<Option<Option<String>>> {
        self.conn
            .query_one(
                "SELECT body FROM f043_note WHERE title = ?1",
                params![title],
                |r| r.get(0),
            )
            .optional()
    }

    /// All titles, in order.
    pub fn titles(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT title FROM f043_note ORDER BY title")?;
        let titles = stmt.query_map([], |r| r.get(0))?.collect();
        titles
    }

    /// The connection, for the tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
