//! The store's value types and their SQL conversions: a `NoteKind` enum stored as TEXT and
//! two newtypes (`NoteId` over INTEGER, `Tags` over comma-separated TEXT).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::Row;
use std::fmt;
use std::str::FromStr;

/// What a note is. Stored as lower-case TEXT (`'fact'`, `'todo'`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoteKind {
    /// Something learned.
    Fact,
    /// Something to do.
    Todo,
    /// A dated diary entry.
    Journal,
    /// A pointer to somewhere else.
    Link,
}

impl NoteKind {
    /// Every kind, in display order.
    pub const ALL: [NoteKind; 4] = [
        NoteKind::Fact,
        NoteKind::Todo,
        NoteKind::Journal,
        NoteKind::Link,
    ];

    /// The TEXT stored in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Fact => "fact",
            NoteKind::Todo => "todo",
            NoteKind::Journal => "journal",
            NoteKind::Link => "link",
        }
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for TEXT that names no [`NoteKind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown note kind {:?}", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for NoteKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<NoteKind, UnknownKind> {
        NoteKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

impl ToSql for NoteKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for NoteKind {
    /// TEXT naming a kind. Other TEXT is `FromSqlError::Other(UnknownKind)`; a non-TEXT value
    /// is `FromSqlError::InvalidType` (from `as_str`).
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e: UnknownKind| FromSqlError::Other(Box::new(e)))
    }
}

/// The rowid of a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(pub i64);

impl fmt::Display for NoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl ToSql for NoteId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for NoteId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(NoteId)
    }
}

/// A note's tags, stored as one TEXT column: `"rust,db"`. Tags are trimmed, non-empty and free
/// of commas; the empty set is the empty string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    /// Tags from a list; blank entries are dropped, commas inside a tag become `-`.
    pub fn new<I, S>(tags: I) -> Tags
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Tags(
            tags.into_iter()
                .map(|t| t.as_ref().trim().replace(',', "-"))
                .filter(|t| !t.is_empty())
                .collect(),
        )
    }

    /// The tags, in order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Whether `tag` is one of them.
    pub fn contains(&self, tag: &str) -> bool {
        self.0.iter().any(|t| t == tag)
    }

    fn joined(&self) -> String {
        self.0.join(",")
    }
}

impl fmt::Display for Tags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.joined())
    }
}

impl ToSql for Tags {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.joined()))
    }
}

impl FromSql for Tags {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Tags::new(value.as_str()?.split(',')))
    }
}

/// A note as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub id: NoteId,
    pub slug: String,
    pub kind: NoteKind,
    pub title: String,
    pub body: String,
    pub tags: Tags,
    pub created_at: i64,
    pub updated_at: i64,
    pub pinned: bool,
    pub score: f64,
}

impl Note {
    /// The column list that [`Note::from_row`] reads, for `SELECT {COLUMNS} FROM notes`.
    pub const COLUMNS: &'static str =
        "id, slug, kind, title, body, tags, created_at, updated_at, pinned, score";

    /// Maps a row selected with [`Note::COLUMNS`], reading columns by name.
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Note> {
        Ok(Note {
            id: row.get("id")?,
            slug: row.get("slug")?,
            kind: row.get("kind")?,
            title: row.get("title")?,
            body: row.get("body")?,
            tags: row.get("tags")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            pinned: row.get("pinned")?,
            score: row.get("score")?,
        })
    }
}

/// The fields a caller supplies; the store adds the id and the timestamps.
#[derive(Clone, Debug, PartialEq)]
pub struct NewNote {
    pub slug: String,
    pub kind: NoteKind,
    pub title: String,
    pub body: String,
    pub tags: Tags,
    pub pinned: bool,
    pub score: f64,
}

impl NewNote {
    /// A note with no tags, unpinned, score 0.
    pub fn new(slug: &str, kind: NoteKind, title: &str, body: &str) -> NewNote {
        NewNote {
            slug: slug.to_owned(),
            kind,
            title: title.to_owned(),
            body: body.to_owned(),
            tags: Tags::default(),
            pinned: false,
            score: 0.0,
        }
    }

    /// With these tags.
    pub fn tags<I, S>(mut self, tags: I) -> NewNote
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.tags = Tags::new(tags);
        self
    }

    /// Pinned or not.
    pub fn pinned(mut self, pinned: bool) -> NewNote {
        self.pinned = pinned;
        self
    }

    /// With this score.
    pub fn score(mut self, score: f64) -> NewNote {
        self.score = score;
        self
    }
}

/// One full-text search result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub id: NoteId,
    pub kind: NoteKind,
    /// The title with matched terms wrapped in `<…>` (`highlight()`).
    pub title: String,
    /// A short excerpt of the body with matched terms wrapped in `[…]` (`snippet()`).
    pub snippet: String,
    /// `bm25(notes_fts)`: lower is better.
    pub rank: f64,
}
