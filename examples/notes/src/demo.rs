//! The demo run behind `src/main.rs`: a fixed script of imports, searches, upserts, a rolled
//! back transaction and a read-only reopen, reported as plain text.
//!
//! The report depends only on the script and the database engine's behaviour — no clock, no
//! paths, no timings — so the rusqlite build and the dbcompat build must print the same bytes.
//! `tests/output.rs` holds both to `expected-output.txt`.

use crate::model::{NewNote, NoteId, NoteKind, SearchHit};
use crate::store::{Clock, Store, StoreError};
use rusqlite::{ffi, params, ErrorCode, MAIN_DB};
use std::fmt::Write as _;
use std::path::Path;

/// The demo's clock: the first write at 2023-11-14T22:13:20Z, one minute per write after that.
pub const DEMO_CLOCK: Clock = Clock::Manual {
    start: 1_700_000_000,
    step: 60,
};

/// (topic, tag, three bodies). Each topic yields a fact, a todo-ish note and a journal/link
/// note, 36 notes in all.
const TOPICS: [(&str, &str, [&str; 3]); 12] = [
    (
        "Rust", "rust",
        [
            "Ownership moves values; borrowing lends them out without copying. The borrow checker rejects a mutable borrow while shared borrows are alive.",
            "Replace the unwrap calls in the importer with proper error handling and add a test for the borrow of the statement cache.",
            "Spent the evening reading about lifetimes and variance. Finally understood why a borrow cannot outlive its owner.",
        ],
    ),
    (
        "SQLite", "sqlite",
        [
            "SQLite stores a whole database in one file. WAL mode lets readers continue while a single writer appends to the log.",
            "Check that the SQLite busy timeout is set before the bulk import, and run VACUUM after deleting old rows.",
            "The SQLite documentation on query planning explains covering indexes and why the planner may ignore an index.",
        ],
    ),
    (
        "FTS5", "search",
        [
            "FTS5 ranks matches with bm25; lower scores are better. The snippet and highlight functions mark the matched terms.",
            "Rebuild the full-text index after the migration and compare search results before and after.",
            "An external content table keeps the text once; triggers keep the FTS5 index in sync with the notes table.",
        ],
    ),
    (
        "Garden", "garden",
        [
            "Tomatoes need six hours of direct sun. Water the garden deeply twice a week rather than a little every day.",
            "Order seeds for the spring garden: basil, two kinds of tomatoes, and climbing beans for the fence.",
            "First frost tonight. Covered the garden beds with fleece and brought the basil pots inside.",
        ],
    ),
    (
        "Coffee", "coffee",
        [
            "Cold brew steeps coarse coffee in cold water for twelve to eighteen hours; it tastes less acidic than hot coffee.",
            "Descale the coffee machine and buy a new burr grinder before the guests arrive.",
            "Tried a washed Ethiopian coffee as cold brew this morning: floral, sweet, very little bitterness.",
        ],
    ),
    (
        "Travel", "travel",
        [
            "Night trains between Vienna and Venice leave at nine and arrive before eight; couchettes sleep six per cabin.",
            "Renew the passport and book the night train to Venice for the first week of May.",
            "Venice in the rain: empty squares, a crowded vaporetto, and the best coffee of the trip near the Rialto.",
        ],
    ),
    (
        "Music", "music",
        [
            "A fugue states its subject in one voice, then answers it in the others; the counterpoint must keep every voice independent.",
            "Practice the second fugue slowly with a metronome, left hand alone first.",
            "Listened to the Goldberg Variations twice today; the slow variation in G minor still stops me every time.",
        ],
    ),
    (
        "Bread", "baking",
        [
            "A sourdough starter is flour and water fermented by wild yeast; feed it daily at room temperature.",
            "Feed the sourdough starter on Friday night so the bread can bake on Saturday morning.",
            "Baked two loaves of sourdough bread; the second proofed longer and had a much more open crumb.",
        ],
    ),
    (
        "Running", "running",
        [
            "Easy runs should feel conversational; most weekly mileage belongs at that pace.",
            "Sign up for the autumn half marathon and buy new running shoes before the long runs start.",
            "Ten kilometres along the river before breakfast; legs heavy at first, easy running after the bridge.",
        ],
    ),
    (
        "Networking", "network",
        [
            "TCP retransmits lost segments; a stalled connection after a network change is often a missing keepalive.",
            "Set a keepalive on the replication connection and log every reconnect with its cause.",
            "Debugged the flaky network test for hours: the server closed idle connections after thirty seconds.",
        ],
    ),
    (
        "Reading", "books",
        [
            "Reading notes are more useful when each note holds one idea in your own words with a link to the source.",
            "Finish the chapter on indexes and write reading notes for the chapter on transactions.",
            "Started a novel about a lighthouse keeper; slow, quiet and exactly the right book for the train.",
        ],
    ),
    (
        "Cooking", "cooking",
        [
            "Salt pasta water generously; the pasta absorbs it while cooking and the sauce needs less salt.",
            "Buy parmesan, lemons and fresh basil for the pasta dinner on Sunday.",
            "Cooked lemon pasta with basil from the garden; simple and better than anything from the restaurant.",
        ],
    ),
];

/// The deterministic seed: 36 notes over 12 topics and all four kinds.
pub fn seed_notes() -> Vec<NewNote> {
    let mut notes = Vec::new();
    for (t, (topic, tag, bodies)) in TOPICS.iter().enumerate() {
        for (v, body) in bodies.iter().enumerate() {
            let n = t * 3 + v;
            let (kind, title, extra_tag) = match v {
                0 => (NoteKind::Fact, format!("{topic} basics"), "reference"),
                1 => (NoteKind::Todo, format!("{topic} checklist"), "todo"),
                _ if t % 2 == 0 => (NoteKind::Journal, format!("{topic} diary"), "diary"),
                _ => (NoteKind::Link, format!("{topic} reading list"), "link"),
            };
            let slug = format!("{}-{}", tag, ["basics", "todo", "log"][v]);
            notes.push(
                NewNote::new(&slug, kind, &title, body)
                    .tags([*tag, extra_tag])
                    .pinned(n % 7 == 0)
                    .score((n % 5) as f64 * 0.5),
            );
        }
    }
    notes
}

fn hits_line(out: &mut String, query: &str, hits: &[SearchHit]) {
    let _ = writeln!(out, "search {query:?}: {} hit(s)", hits.len());
    for hit in hits {
        let _ = writeln!(
            out,
            "  {} [{}] {} | {} | bm25 {:.4}",
            hit.id, hit.kind, hit.title, hit.snippet, hit.rank
        );
    }
}

/// Opens the demo's database in place of `Connection::open(path)`.
pub type Opener<'a> = &'a dyn Fn(&Path) -> rusqlite::Result<rusqlite::Connection>;

/// Runs the demo against the database file at `path`, which must not hold notes yet, and
/// returns the report.
pub fn run(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    run_on(path, None)
}

/// [`run`], with the database opened by `open` (e.g. a server or an embedded replica under
/// dbcompat's `open_from_env`) instead of as the local file `path`. The read-only reopen of
/// step 12 needs a plain local file, so with an opener it is reported as skipped.
pub fn run_on(path: &Path, open: Option<Opener<'_>>) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = String::new();
    let name = path
        .file_name()
        .map_or_else(|| "?".into(), |n| n.to_string_lossy());
    let _ = writeln!(out, "notes-store demo on {name}");

    // 1. Schema.
    let mut store = match open {
        Some(open) => Store::from_connection(open(path)?, DEMO_CLOCK)?,
        None => Store::open_with_clock(path, DEMO_CLOCK)?,
    };
    let found = store.count()?;
    if found != 0 {
        return Err(format!(
            "the demo needs a new database file; {name} already holds {found} notes"
        )
        .into());
    }
    let (from, to) = store.migrate()?;
    let _ = writeln!(
        out,
        "schema: migrated user_version {} -> {}; migrating again: {from} -> {to}",
        store.found_version(),
        store.schema_version()?
    );

    // 2. Bulk import in one BEGIN IMMEDIATE ... COMMIT.
    let seed = seed_notes();
    let summary = store.import(&seed)?;
    let first = summary.ids.first().copied().unwrap_or(NoteId(0));
    let last = summary.ids.last().copied().unwrap_or(NoteId(0));
    let _ = writeln!(
        out,
        "import: {} notes committed, ids {first}..{last}",
        summary.inserted
    );
    let counts = store.count_by_kind()?;
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{k}={n}")).collect();
    let _ = writeln!(out, "by kind: {}", counts.join(" "));

    // 3. An import that fails half-way is rolled back as a whole.
    let bad_batch = vec![
        NewNote::new(
            "extra-1",
            NoteKind::Fact,
            "Extra one",
            "Temporary note one.",
        ),
        NewNote::new(
            "extra-2",
            NoteKind::Fact,
            "Extra two",
            "Temporary note two.",
        ),
        NewNote::new("coffee-todo", NoteKind::Todo, "Duplicate", "Collides."),
    ];
    match store.import(&bad_batch) {
        Ok(s) => {
            let _ = writeln!(
                out,
                "bad import unexpectedly committed {} notes",
                s.inserted
            );
        }
        Err(e) => {
            let _ = writeln!(
                out,
                "bad import rolled back: {e}; notes={} extra-1 present={} autocommit={}",
                store.count()?,
                store.get_by_slug("extra-1")?.is_some(),
                store.connection().is_autocommit()
            );
        }
    }

    // 4. Full-text search.
    for query in [
        "sqlite",
        "borrow*",
        "\"cold brew\"",
        "garden AND basil",
        "tags:travel",
        "venice NOT train",
        "keepalive OR fugue",
    ] {
        let hits = store.search(query, 5)?;
        hits_line(&mut out, query, &hits);
    }

    // 5. Upserts: an existing slug keeps its id, a new slug gets a new one.
    let (id, inserted) = store.upsert(
        &NewNote::new(
            "coffee-todo",
            NoteKind::Todo,
            "Coffee checklist",
            "Descale the espresso machine, then order a hand grinder.",
        )
        .tags(["coffee", "todo", "kitchen"])
        .score(3.0),
    )?;
    let note = store.get(id)?.expect("upserted note exists");
    let _ = writeln!(
        out,
        "upsert coffee-todo: {id} inserted={inserted} created_at={} updated_at={} tags={} score={}",
        note.created_at, note.updated_at, note.tags, note.score
    );
    let (id, inserted) = store.upsert(
        &NewNote::new(
            "tea-basics",
            NoteKind::Fact,
            "Tea basics",
            "Green tea wants water around eighty degrees; black tea wants it boiling.",
        )
        .tags(["tea", "reference"]),
    )?;
    let _ = writeln!(out, "upsert tea-basics: {id} inserted={inserted}");
    hits_line(&mut out, "espresso", &store.search("espresso", 5)?);
    hits_line(&mut out, "burr", &store.search("burr", 5)?);

    // 6. Lookups: the cached hot path, and a missing note through `.optional()`.
    for id in [NoteId(7), NoteId(999)] {
        match store.get(id)? {
            Some(n) => {
                let _ = writeln!(
                    out,
                    "get {id}: {} [{}] {:?} tags={} pinned={} score={}",
                    n.slug, n.kind, n.title, n.tags, n.pinned, n.score
                );
            }
            None => {
                let _ = writeln!(out, "get {id}: none");
            }
        }
    }
    let _ = writeln!(
        out,
        "get_by_slug no-such-note: {:?}",
        store.get_by_slug("no-such-note")?.map(|n| n.id.to_string())
    );

    // 7. A UNIQUE violation, seen through the store and as the raw rusqlite error.
    match store.insert(&NewNote::new(
        "rust-basics",
        NoteKind::Fact,
        "Again",
        "Dup.",
    )) {
        Err(e @ StoreError::DuplicateSlug(_)) => {
            let _ = writeln!(out, "insert duplicate: {e}");
        }
        other => {
            let _ = writeln!(out, "insert duplicate: unexpected {other:?}");
        }
    }
    let raw = store.connection().execute(
        "UPDATE notes SET slug = ?1 WHERE slug = ?2",
        params!["rust-basics", "rust-todo"],
    );
    match raw {
        Err(rusqlite::Error::SqliteFailure(
            ffi::Error {
                code: ErrorCode::ConstraintViolation,
                extended_code,
            },
            message,
        )) => {
            let _ = writeln!(
                out,
                "raw duplicate: ConstraintViolation extended={extended_code} message={message:?}"
            );
        }
        other => {
            let _ = writeln!(out, "raw duplicate: unexpected {other:?}");
        }
    }

    // 8. A transaction that fails half-way rolls back on drop.
    let result = store.rename_slugs(&[("garden-log", "garden-diary"), ("music-todo", "rust-todo")]);
    let _ = writeln!(
        out,
        "rename batch: {}; garden-log present={} garden-diary present={}",
        match &result {
            Ok(n) => format!("committed {n}"),
            Err(e) => format!("rolled back ({e})"),
        },
        store.get_by_slug("garden-log")?.is_some(),
        store.get_by_slug("garden-diary")?.is_some()
    );
    let result = store.rename_slugs(&[
        ("garden-log", "garden-diary"),
        ("music-todo", "fugue-practice"),
    ]);
    let _ = writeln!(
        out,
        "rename batch: {}; garden-diary={:?}",
        match &result {
            Ok(n) => format!("committed {n}"),
            Err(e) => format!("rolled back ({e})"),
        },
        store.get_by_slug("garden-diary")?.map(|n| n.id.to_string())
    );
    let missing = store.rename_slugs(&[("nope", "still-nope")]);
    let _ = writeln!(
        out,
        "rename missing: {}",
        match missing {
            Ok(n) => format!("committed {n}"),
            Err(e) => format!("rolled back ({e})"),
        }
    );

    // 9. Pins and scores, listed with a `Rows::next` loop.
    store.set_pinned(NoteId(5), true)?;
    store.set_pinned(NoteId(8), false)?;
    let bumped = store.bump_score(NoteId(5), 2.25)?;
    let missing = store.bump_score(NoteId(999), 1.0)?;
    let _ = writeln!(out, "bump #5: {bumped:?}, bump #999: {missing:?}");
    let pinned: Vec<String> = store
        .pinned()?
        .iter()
        .map(|n| format!("{}:{}:{}", n.id, n.slug, n.score))
        .collect();
    let _ = writeln!(out, "pinned: {}", pinned.join(" "));
    let links: Vec<String> = store
        .list_by_kind(NoteKind::Link)?
        .iter()
        .map(|n| format!("{}:{}", n.id, n.slug))
        .collect();
    let _ = writeln!(out, "links (newest first): {}", links.join(" "));

    // 10. The FTS triggers follow deletes too.
    let removed = store.delete(NoteId(20))?;
    let _ = writeln!(
        out,
        "delete #20: {removed}, again: {}",
        store.delete(NoteId(20))?
    );
    hits_line(&mut out, "fugue", &store.search("fugue", 5)?);
    store.optimize()?;
    store.check_index()?;
    let _ = writeln!(out, "fts integrity-check: ok");

    // 11. A row whose kind no NoteKind matches fails to convert.
    store.connection().execute(
        "INSERT INTO notes (slug, kind, title, body, created_at, updated_at)
         VALUES ('odd-one', 'bogus', 'Odd', 'Unknown kind.', 0, 0)",
        [],
    )?;
    let odd = store.connection().last_insert_rowid();
    match store.get(NoteId(odd)) {
        Err(StoreError::Db(e @ rusqlite::Error::FromSqlConversionFailure(..))) => {
            let _ = writeln!(out, "get {}: conversion error: {e}", NoteId(odd));
        }
        other => {
            let _ = writeln!(out, "get {}: unexpected {other:?}", NoteId(odd));
        }
    }
    store.delete(NoteId(odd))?;

    // 12. The same file through a read-only URI.
    if open.is_some() {
        let _ = writeln!(out, "read-only reopen: skipped (not a plain local file)");
    } else {
        let ro = Store::open_read_only(path)?;
        let readonly = ro.connection().is_readonly(MAIN_DB)?;
        let _ = writeln!(
            out,
            "read-only reopen: user_version={} notes={} is_readonly={readonly} 'sqlite' hits={}",
            ro.schema_version()?,
            ro.count()?,
            ro.search("sqlite", 10)?.len()
        );
        match ro.upsert(&NewNote::new("ro", NoteKind::Fact, "Nope", "Cannot write.")) {
            Err(StoreError::Db(rusqlite::Error::SqliteFailure(
                ffi::Error {
                    code: ErrorCode::ReadOnly,
                    extended_code,
                },
                message,
            ))) => {
                let _ = writeln!(
                    out,
                    "read-only write: ReadOnly extended={extended_code} message={message:?}"
                );
            }
            other => {
                let _ = writeln!(out, "read-only write: unexpected {other:?}");
            }
        }
    }

    // 13. Totals.
    let counts = store.count_by_kind()?;
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{k}={n}")).collect();
    let _ = writeln!(
        out,
        "final: notes={} by kind: {} total_changes={}",
        store.count()?,
        counts.join(" "),
        store.connection().total_changes()
    );
    Ok(out)
}
