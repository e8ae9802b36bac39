//! Reading a database's schema for a copy: which tables hold rows to copy, which are FTS
//! indexes to rebuild, which are FTS shadow tables to leave alone, and the indexes, views and
//! triggers to create once the rows are in.

use dbcompat::{Connection, OptionalExtension};
use std::collections::HashSet;

/// A table of the copy.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub sql: String,
    pub kind: TableKind,
    /// The name to select the rowid by (`rowid`, `_rowid_` or `oid`, whichever is not a
    /// column); `None` for WITHOUT ROWID tables and virtual tables other than FTS.
    pub rowid: Option<String>,
    /// The columns written by the copy (not generated, not hidden).
    pub insert_columns: Vec<String>,
    /// The columns read for the checksum (generated ones included).
    pub check_columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableKind {
    Ordinary,
    /// An FTS3/4/5 table holding its own text: rows are re-inserted, which rebuilds the index.
    FtsContent {
        module: String,
    },
    /// An external-content FTS table: the index is rebuilt from its content table.
    FtsExternal {
        module: String,
        content: String,
    },
    /// Any other virtual table (rtree, …): rows are re-inserted through the module.
    OtherVirtual {
        module: String,
    },
}

impl Table {
    /// Whether the copy writes rows into this table (an external-content FTS table is
    /// rebuilt instead).
    pub fn copies_rows(&self) -> bool {
        !matches!(self.kind, TableKind::FtsExternal { .. })
    }

    pub fn is_fts(&self) -> bool {
        matches!(
            self.kind,
            TableKind::FtsContent { .. } | TableKind::FtsExternal { .. }
        )
    }

    pub fn kind_label(&self) -> String {
        match &self.kind {
            TableKind::Ordinary if self.rowid.is_none() => "table (without rowid)".to_owned(),
            TableKind::Ordinary => "table".to_owned(),
            TableKind::FtsContent { module } => module.clone(),
            TableKind::FtsExternal { module, content } => format!("{module} (content={content})"),
            TableKind::OtherVirtual { module } => format!("virtual ({module})"),
        }
    }
}

/// An index, view or trigger, created after the rows are copied.
#[derive(Clone, Debug)]
pub struct Object {
    pub kind: String,
    pub name: String,
    pub sql: String,
}

#[derive(Debug)]
pub struct Schema {
    /// Ordinary and virtual tables, in creation order.
    pub tables: Vec<Table>,
    /// Indexes, views and triggers, in creation order.
    pub later: Vec<Object>,
    /// Whether `sqlite_sequence` exists (AUTOINCREMENT counters to carry over).
    pub has_sequence: bool,
}

impl Schema {
    pub fn object_count(&self) -> usize {
        self.tables.len() + self.later.len()
    }

    pub fn count_of(&self, kind: &str) -> usize {
        self.later.iter().filter(|o| o.kind == kind).count()
    }
}

/// Names a database uses for itself: SQLite's, and those sqld, Turso or litestream add.
pub fn is_internal(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sqlite_") || lower.starts_with("_litestream") || lower.starts_with("libsql_")
}

/// Schema objects of the user's (internal ones excluded): 0 means an empty database.
pub fn user_object_count(conn: &Connection) -> dbcompat::Result<i64> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut n = 0;
    for name in names {
        if !is_internal(&name?) {
            n += 1;
        }
    }
    Ok(n)
}

/// SQL identifier quoting.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Shadow-table suffixes of the virtual table modules SQLite ships (FTS3/4, FTS5, R*Tree).
const SHADOW_SUFFIXES: [&str; 10] = [
    "content", "segments", "segdir", "docsize", "stat", "data", "idx", "config", "node", "parent",
];

/// Reads the schema to copy. Fails (before anything is written) on what cannot be copied
/// faithfully: a contentless FTS table keeps only its index, not its text.
pub fn read(conn: &Connection) -> Result<Schema, String> {
    let err = |e: dbcompat::Error| e.to_string();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        .map_err(err)?;
    let all: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(err)?
        .collect::<dbcompat::Result<_>>()
        .map_err(err)?;
    drop(stmt);

    let has_sequence = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(err)?
        .is_some();

    // Shadow tables: as the engine reports them, and by name next to their virtual table (for
    // servers without PRAGMA table_list).
    let mut shadows: HashSet<String> = HashSet::new();
    if let Ok(mut stmt) =
        conn.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")
    {
        if let Ok(rows) = stmt.query_map([], |r| r.get::<_, String>(0)) {
            shadows.extend(rows.flatten());
        }
    }
    let virtual_names: Vec<&str> = all
        .iter()
        .filter(|(t, _, sql)| t == "table" && is_virtual(sql))
        .map(|(_, n, _)| n.as_str())
        .collect();
    for (t, name, _) in &all {
        if t != "table" {
            continue;
        }
        for v in &virtual_names {
            if let Some(suffix) = name.strip_prefix(&format!("{v}_")) {
                if SHADOW_SUFFIXES.contains(&suffix.to_ascii_lowercase().as_str()) {
                    shadows.insert(name.clone());
                }
            }
        }
    }

    let mut tables = Vec::new();
    let mut later = Vec::new();
    for (kind, name, sql) in all {
        if is_internal(&name) || shadows.contains(&name) {
            continue;
        }
        match kind.as_str() {
            "table" => tables.push(table(conn, name, sql)?),
            "index" | "view" | "trigger" => later.push(Object { kind, name, sql }),
            _ => {}
        }
    }
    Ok(Schema {
        tables,
        later,
        has_sequence,
    })
}

fn is_virtual(sql: &str) -> bool {
    let words: Vec<String> = words(sql, 3);
    words.len() >= 2 && words[0] == "CREATE" && words[1] == "VIRTUAL"
}

/// The first `n` words of `sql`, upper-cased.
fn words(sql: &str, n: usize) -> Vec<String> {
    sql.split_whitespace()
        .take(n)
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

fn table(conn: &Connection, name: String, sql: String) -> Result<Table, String> {
    let mut stmt = conn
        .prepare("SELECT name, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")
        .map_err(|e| e.to_string())?;
    let columns: Vec<(String, i64)> = stmt
        .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect())
        .map_err(|e| format!("table {}: {e}", quote(&name)))?;
    drop(stmt);
    if columns.is_empty() {
        return Err(format!("table {}: no columns could be read", quote(&name)));
    }
    let insert_columns: Vec<String> = columns
        .iter()
        .filter(|(_, h)| *h == 0)
        .map(|(c, _)| c.clone())
        .collect();
    let check_columns: Vec<String> = columns
        .iter()
        .filter(|(_, h)| matches!(h, 0 | 2 | 3))
        .map(|(c, _)| c.clone())
        .collect();
    let free_rowid_name = ["rowid", "_rowid_", "oid"]
        .into_iter()
        .find(|alias| !columns.iter().any(|(c, _)| c.eq_ignore_ascii_case(alias)))
        .map(str::to_owned);

    let kind;
    let rowid;
    if is_virtual(&sql) {
        let (module, args) = parse_virtual(&sql).ok_or_else(|| {
            format!(
                "cannot parse the definition of virtual table {}",
                quote(&name)
            )
        })?;
        let module_lower = module.to_ascii_lowercase();
        if ["fts3", "fts4", "fts5"].contains(&module_lower.as_str()) {
            let content = args.iter().find_map(|a| {
                let (k, v) = a.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("content")
                    .then(|| unquote(v.trim()))
            });
            kind = match content {
                Some(c) if c.is_empty() => {
                    return Err(format!(
                        "cannot copy contentless {module_lower} table {}: it stores only its index, not the text to rebuild it from",
                        quote(&name)
                    ))
                }
                Some(c) => TableKind::FtsExternal {
                    module: module_lower,
                    content: c,
                },
                None => TableKind::FtsContent {
                    module: module_lower,
                },
            };
            rowid = Some("rowid".to_owned());
        } else {
            kind = TableKind::OtherVirtual {
                module: module_lower,
            };
            rowid = None;
        }
    } else {
        kind = TableKind::Ordinary;
        rowid = if without_rowid(&sql) {
            None
        } else {
            free_rowid_name
        };
    }
    Ok(Table {
        name,
        sql,
        kind,
        rowid,
        insert_columns,
        check_columns,
    })
}

/// Whether a CREATE TABLE statement ends with the WITHOUT ROWID option (the table options
/// follow the last closing parenthesis).
fn without_rowid(sql: &str) -> bool {
    let tail = sql.rfind(')').map_or("", |i| &sql[i + 1..]);
    let tail = tail.to_ascii_uppercase();
    let words: Vec<&str> = tail
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|w| w == ["WITHOUT", "ROWID"])
}

/// `CREATE VIRTUAL TABLE x USING module(arg, …)` → (module, args), quotes respected.
pub fn parse_virtual(sql: &str) -> Option<(String, Vec<String>)> {
    let (module, after_module) = after_using(sql)?;
    let args_text = match after_module.trim_start().strip_prefix('(') {
        Some(inner) => &inner[..matching_paren(inner)?],
        None => "",
    };
    Some((module.to_owned(), split_args(args_text)))
}

/// The module name after the `USING` keyword (outside quotes), and the text after it.
fn after_using(sql: &str) -> Option<(&str, &str)> {
    let bytes = sql.as_bytes();
    let mut quote: Option<u8> = None;
    for i in 0..bytes.len() {
        let c = bytes[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            b'\'' | b'"' | b'`' => quote = Some(c),
            b'[' => quote = Some(b']'),
            _ if (i == 0 || !is_word_byte(bytes[i - 1]))
                && sql
                    .get(i..i + 5)
                    .is_some_and(|w| w.eq_ignore_ascii_case("USING"))
                && !bytes.get(i + 5).copied().is_some_and(is_word_byte) =>
            {
                let rest = sql[i + 5..].trim_start();
                let end = rest
                    .bytes()
                    .position(|b| !is_word_byte(b))
                    .unwrap_or(rest.len());
                if end == 0 {
                    return None;
                }
                return Some((&rest[..end], &rest[end..]));
            }
            _ => {}
        }
    }
    None
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Index of the `)` closing a parenthesis already opened before `s`.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '[' => quote = Some(']'),
                '(' => depth += 1,
                ')' if depth == 0 => return Some(i),
                ')' => depth -= 1,
                _ => {}
            },
        }
    }
    None
}

fn split_args(s: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in s.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                cur.push(c);
            }
            None => match c {
                '\'' | '"' | '`' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '[' => {
                    quote = Some(']');
                    cur.push(c);
                }
                '(' => {
                    depth += 1;
                    cur.push(c);
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    cur.push(c);
                }
                ',' if depth == 0 => args.push(std::mem::take(&mut cur).trim().to_owned()),
                _ => cur.push(c),
            },
        }
    }
    if !cur.trim().is_empty() {
        args.push(cur.trim().to_owned());
    }
    args
}

/// `'a''b'` → `a'b`, `"x"` → `x`, `[x]` → `x`; anything else as is.
fn unquote(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    match (chars.next(), s.chars().last()) {
        (Some(q @ ('\'' | '"' | '`')), Some(e)) if e == q && s.len() >= 2 => {
            let inner = &s[1..s.len() - 1];
            inner.replace(&format!("{q}{q}"), &q.to_string())
        }
        (Some('['), Some(']')) if s.len() >= 2 => s[1..s.len() - 1].to_owned(),
        _ => s.to_owned(),
    }
}

/// Whether two SQL texts are the same statement up to formatting: same tokens, keywords and
/// identifiers compared case-insensitively (quoted or not), string literals exactly, comments
/// and whitespace ignored. libSQL's remote client re-renders `CREATE INDEX`, `CREATE TRIGGER`
/// and `CREATE VIRTUAL TABLE` statements (spacing, line breaks) before the server stores them.
pub fn sql_equivalent(a: &str, b: &str) -> bool {
    a == b || sql_tokens(a) == sql_tokens(b)
}

fn sql_tokens(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ';' {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // A string literal, kept exactly ('' escapes included).
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            out.push(chars[start..i].iter().collect());
        } else if c == '"' || c == '`' || c == '[' {
            // A quoted identifier: compared like a bare one.
            let close = if c == '[' { ']' } else { c };
            let mut ident = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == close {
                    if close != ']' && chars.get(i + 1) == Some(&close) {
                        ident.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                ident.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(ident.to_uppercase());
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect::<String>().to_uppercase());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fts_definitions() {
        let (m, a) = parse_virtual(
            "CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes', content_rowid='id')",
        )
        .unwrap();
        assert_eq!(m, "fts5");
        assert_eq!(
            a,
            ["title", "body", "content='notes'", "content_rowid='id'"]
        );
        let (m, a) =
            parse_virtual("create virtual table \"using\" using FTS4(a, tokenize=unicode61 \"remove_diacritics=2\")")
                .unwrap();
        assert_eq!(m, "FTS4");
        assert_eq!(a.len(), 2);
        let (m, a) = parse_virtual("CREATE VIRTUAL TABLE t USING rtree(id, a, b)").unwrap();
        assert_eq!((m.as_str(), a.len()), ("rtree", 3));
    }

    #[test]
    fn sql_equivalence_ignores_formatting_only() {
        assert!(sql_equivalent(
            "CREATE TRIGGER t AFTER INSERT ON n BEGIN INSERT INTO f(rowid, a) VALUES (new.id, new.a); END",
            "CREATE TRIGGER t AFTER INSERT ON n BEGIN\nINSERT INTO f (rowid, a) VALUES (new.id, new.a);\nEND"
        ));
        assert!(sql_equivalent(
            "create index i on \"T\"(a) -- note",
            "CREATE INDEX i ON t (a)"
        ));
        assert!(!sql_equivalent(
            "CREATE VIEW v AS SELECT 'a b'",
            "CREATE VIEW v AS SELECT 'a  b'"
        ));
        assert!(!sql_equivalent(
            "CREATE INDEX i ON t(a)",
            "CREATE INDEX i ON t(b)"
        ));
    }

    #[test]
    fn unquotes() {
        assert_eq!(unquote("'it''s'"), "it's");
        assert_eq!(unquote("\"x\""), "x");
        assert_eq!(unquote("[x y]"), "x y");
        assert_eq!(unquote("''"), "");
        assert_eq!(unquote("plain"), "plain");
    }

    #[test]
    fn detects_without_rowid() {
        assert!(without_rowid("CREATE TABLE t(a PRIMARY KEY) WITHOUT ROWID"));
        assert!(without_rowid(
            "CREATE TABLE t(a PRIMARY KEY) STRICT, without  rowid"
        ));
        assert!(!without_rowid(
            "CREATE TABLE t(a, b CHECK (a != 'WITHOUT ROWID'))"
        ));
        assert!(!without_rowid("CREATE TABLE t(a)"));
    }
}
