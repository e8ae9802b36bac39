//! Embedded-replica primary: libsql 0.10 "sync protocol v2" (pull side).
//!
//! * `GET /info` -> `{"current_generation": G}`
//! * `GET /export/G` -> the main database file, which is generation G's base snapshot
//! * `GET /sync/G/start/end` -> committed WAL frames `start..end-1` (1-based) of generation G,
//!   or `400 {"generation": current}` when there is nothing at `start`.
//!
//! A generation is one WAL lifetime. No checkpoint happens inside a generation: every server
//! connection runs with `wal_autocheckpoint=0`, a pinned connection keeps the WAL from being
//! checkpointed and deleted when the last Hrana connection closes, and an authorizer on the Hrana
//! connections refuses `PRAGMA wal_checkpoint` and changing `journal_mode` /
//! `wal_autocheckpoint`. `POST /admin/checkpoint` (and every server start) archives the current
//! generation's committed frames to `{db}-gen-{G}.frames`, runs `PRAGMA wal_checkpoint(TRUNCATE)`
//! and starts generation G+1 (persisted in `{db}-gen`).
//!
//! Frames are the primary's real SQLite WAL frames (24-byte header + 4096-byte page), read from
//! the `-wal` file and validated like SQLite's WAL recovery does (magic, header checksum, salts,
//! running checksum); only frames up to the last commit frame are served.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

pub const PAGE: usize = 4096;
pub const FRAME_HEADER: usize = 24;
pub const FRAME: usize = FRAME_HEADER + PAGE;
const WAL_HEADER: usize = 32;

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn cksum(data: &[u8], big: bool, mut s0: u32, mut s1: u32) -> (u32, u32) {
    for c in data.chunks_exact(8) {
        let (x0, x1) = if big {
            (be32(&c[0..4]), be32(&c[4..8]))
        } else {
            (
                u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            )
        };
        s0 = s0.wrapping_add(x0).wrapping_add(s1);
        s1 = s1.wrapping_add(x1).wrapping_add(s0);
    }
    (s0, s1)
}

/// Incremental index of the committed prefix of the live `-wal` file.
/// Committed frames are never rewritten inside a generation, so validation resumes at the end
/// of the last commit frame seen (never beyond it: frames after it may still be rewritten).
#[derive(Default)]
struct WalIndex {
    salts: Option<(u32, u32)>,
    big: bool,
    committed_end: u64,
    cks: (u32, u32),
}

impl WalIndex {
    fn reset(&mut self) {
        *self = WalIndex::default();
    }

    /// Number of committed frames in the WAL now.
    fn refresh(&mut self, wal_path: &Path) -> Result<usize, String> {
        let mut f = match File::open(wal_path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.reset();
                return Ok(0);
            }
            Err(e) => return Err(format!("open {}: {e}", wal_path.display())),
        };
        let mut hdr = [0u8; WAL_HEADER];
        if f.read_exact(&mut hdr).is_err() {
            self.reset();
            return Ok(0);
        }
        let magic = be32(&hdr[0..4]);
        if magic & !1 != 0x377f0682 {
            self.reset();
            return Ok(0);
        }
        let big = magic & 1 == 1;
        let page_size = be32(&hdr[8..12]) as usize;
        if page_size != PAGE {
            return Err(format!(
                "database page size is {page_size}; libsql embedded replicas need {PAGE}-byte pages"
            ));
        }
        let hdr_ck = cksum(&hdr[0..24], big, 0, 0);
        if hdr_ck != (be32(&hdr[24..28]), be32(&hdr[28..32])) {
            self.reset();
            return Ok(0);
        }
        let salts = (be32(&hdr[16..20]), be32(&hdr[20..24]));
        if self.salts != Some(salts) {
            *self = WalIndex { salts: Some(salts), big, committed_end: WAL_HEADER as u64, cks: hdr_ck };
        }
        f.seek(SeekFrom::Start(self.committed_end)).map_err(|e| e.to_string())?;
        let mut rest = Vec::new();
        f.read_to_end(&mut rest).map_err(|e| e.to_string())?;
        let (mut s0, mut s1) = self.cks;
        let (mut off, mut committed_off, mut committed_cks) = (0, 0, self.cks);
        while off + FRAME <= rest.len() {
            let fr = &rest[off..off + FRAME];
            if (be32(&fr[8..12]), be32(&fr[12..16])) != salts {
                break;
            }
            let (a, b) = cksum(&fr[0..8], self.big, s0, s1);
            let (a, b) = cksum(&fr[FRAME_HEADER..], self.big, a, b);
            if (a, b) != (be32(&fr[16..20]), be32(&fr[20..24])) {
                break;
            }
            (s0, s1) = (a, b);
            off += FRAME;
            if be32(&fr[4..8]) != 0 {
                // commit frame (db size after commit != 0)
                committed_off = off;
                committed_cks = (s0, s1);
            }
        }
        self.committed_end += committed_off as u64;
        self.cks = committed_cks;
        Ok((self.committed_end as usize - WAL_HEADER) / FRAME)
    }
}

pub struct Primary {
    db_path: PathBuf,
    wal_path: PathBuf,
    /// Pinned for the process lifetime: keeps the WAL alive (no checkpoint+delete on the last
    /// close). Intentionally never closed, not even at shutdown, so the next start archives it.
    pin: Mutex<rusqlite::Connection>,
    /// Current generation. Hrana requests and sync reads hold it shared; starting a new
    /// generation holds it exclusively (so no statement runs while the WAL is checkpointed).
    pub gate: RwLock<u32>,
    wal_index: Mutex<WalIndex>,
    /// Page-size problem found at startup (replica endpoints then answer 500 with it).
    page_size_error: Option<String>,
}

pub enum Reply {
    Json(u16, String),
    Bytes(Vec<u8>),
}

impl Primary {
    pub fn open(db_path: &Path, busy_timeout_ms: u64) -> Result<Primary, String> {
        let pin = rusqlite::Connection::open(db_path).map_err(|e| format!("open {}: {e}", db_path.display()))?;
        configure_connection(&pin, busy_timeout_ms).map_err(|e| e.to_string())?;
        // Only effective on a new, empty database; libsql replicas hardcode 4096-byte pages.
        pin.pragma_update(None, "page_size", PAGE as i64).map_err(|e| e.to_string())?;
        let mode: String = pin
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| format!("PRAGMA journal_mode=WAL: {e}"))?;
        if mode != "wal" {
            return Err(format!("cannot switch {} to WAL mode (journal_mode={mode})", db_path.display()));
        }
        let page_size: i64 = pin.query_row("PRAGMA page_size", [], |r| r.get(0)).map_err(|e| e.to_string())?;
        let page_size_error = (page_size != PAGE as i64).then(|| {
            format!("database page size is {page_size}; libsql embedded replicas need {PAGE}-byte pages")
        });
        let mut wal = db_path.as_os_str().to_owned();
        wal.push("-wal");
        let generation = std::fs::read_to_string(gen_file(db_path))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            .unwrap_or(0);
        let p = Primary {
            db_path: db_path.to_owned(),
            wal_path: PathBuf::from(wal),
            pin: Mutex::new(pin),
            gate: RwLock::new(generation),
            wal_index: Mutex::new(WalIndex::default()),
            page_size_error,
        };
        // Every start begins a fresh generation; the previous run's WAL is archived first.
        {
            let mut g = p.gate.write().unwrap();
            p.new_generation_locked(&mut g)?;
        }
        Ok(p)
    }

    pub fn generation(&self) -> u32 {
        *self.gate.read().unwrap()
    }

    fn archive_path(&self, g: u32) -> PathBuf {
        let mut s = self.db_path.as_os_str().to_owned();
        s.push(format!("-gen-{g}.frames"));
        PathBuf::from(s)
    }

    /// Archive the current generation's committed frames, checkpoint everything into the db
    /// file, start generation g+1. Caller holds the gate exclusively (no statement running).
    fn new_generation_locked(&self, g: &mut u32) -> Result<u32, String> {
        let frames = {
            let mut idx = self.wal_index.lock().unwrap();
            let n = if self.page_size_error.is_some() { 0 } else { idx.refresh(&self.wal_path)? };
            let mut buf = vec![0u8; n * FRAME];
            if n > 0 {
                let mut f = File::open(&self.wal_path).map_err(|e| e.to_string())?;
                f.seek(SeekFrom::Start(WAL_HEADER as u64)).map_err(|e| e.to_string())?;
                f.read_exact(&mut buf).map_err(|e| e.to_string())?;
            }
            buf
        };
        let pin = self.pin.lock().unwrap();
        let (busy, log, ckpt): (i64, i64, i64) = pin
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| format!("wal_checkpoint(TRUNCATE): {e}"))?;
        if busy != 0 {
            return Err(format!(
                "checkpoint busy (an open transaction?): busy={busy} log={log} checkpointed={ckpt}"
            ));
        }
        if *g > 0 && !frames.is_empty() {
            write_atomic(&self.archive_path(*g), &frames)?;
        }
        *g += 1;
        write_atomic(&gen_file(&self.db_path), g.to_string().as_bytes())?;
        self.wal_index.lock().unwrap().reset();
        Ok(*g)
    }

    /// `POST /admin/checkpoint`. `in_transaction()` reports whether any Hrana stream has an open
    /// transaction (then a TRUNCATE checkpoint cannot complete).
    pub fn checkpoint(&self, in_transaction: impl Fn() -> bool) -> Reply {
        let mut g = self.gate.write().unwrap();
        if in_transaction() {
            return Reply::Json(
                409,
                r#"{"error":"a Hrana stream has an open transaction; cannot start a new generation"}"#.into(),
            );
        }
        match self.new_generation_locked(&mut g) {
            Ok(n) => Reply::Json(200, format!(r#"{{"generation":{n}}}"#)),
            Err(e) => Reply::Json(409, serde_json::json!({ "error": e }).to_string()),
        }
    }

    pub fn info(&self) -> Reply {
        Reply::Json(200, format!(r#"{{"current_generation":{}}}"#, self.generation()))
    }

    pub fn export(&self, g: &str) -> Reply {
        let cur = self.gate.read().unwrap();
        if let Some(e) = &self.page_size_error {
            return Reply::Json(500, serde_json::json!({ "error": e }).to_string());
        }
        match g.parse::<u32>() {
            // No checkpoint happens inside a generation: the db file is G's base snapshot.
            Ok(g) if g == *cur => match std::fs::read(&self.db_path) {
                Ok(b) => Reply::Bytes(b),
                Err(e) => Reply::Json(500, serde_json::json!({ "error": e.to_string() }).to_string()),
            },
            _ => Reply::Json(404, format!(r#"{{"error":"no export for generation {g}"}}"#)),
        }
    }

    pub fn sync(&self, g: &str, start: &str, end: &str) -> Reply {
        let cur_guard = self.gate.read().unwrap();
        let cur = *cur_guard;
        if let Some(e) = &self.page_size_error {
            return Reply::Json(500, serde_json::json!({ "error": e }).to_string());
        }
        let (Ok(g), Ok(start), Ok(end)) = (g.parse::<u32>(), start.parse::<usize>(), end.parse::<usize>()) else {
            return Reply::Json(400, r#"{"error":"bad sync path"}"#.into());
        };
        if start < 1 || end <= start {
            return Reply::Json(400, r#"{"error":"bad frame range"}"#.into());
        }
        let end_of_generation = Reply::Json(400, format!(r#"{{"generation":{cur}}}"#));
        if g == cur {
            let n = match self.wal_index.lock().unwrap().refresh(&self.wal_path) {
                Ok(n) => n,
                Err(e) => return Reply::Json(500, serde_json::json!({ "error": e }).to_string()),
            };
            if start > n {
                return end_of_generation;
            }
            let last = (end - 1).min(n);
            let mut buf = vec![0u8; (last - start + 1) * FRAME];
            let r = File::open(&self.wal_path).and_then(|mut f| {
                f.seek(SeekFrom::Start((WAL_HEADER + (start - 1) * FRAME) as u64))?;
                f.read_exact(&mut buf)
            });
            match r {
                Ok(()) => Reply::Bytes(buf),
                Err(e) => Reply::Json(500, serde_json::json!({ "error": e.to_string() }).to_string()),
            }
        } else if g >= 1 && g < cur {
            let frames = match std::fs::read(self.archive_path(g)) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Reply::Json(500, serde_json::json!({ "error": e.to_string() }).to_string()),
            };
            let n = frames.len() / FRAME;
            if start > n {
                return end_of_generation;
            }
            let last = (end - 1).min(n);
            Reply::Bytes(frames[(start - 1) * FRAME..last * FRAME].to_vec())
        } else {
            Reply::Json(404, format!(r#"{{"error":"unknown generation {g}"}}"#))
        }
    }
}

fn gen_file(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-gen");
    PathBuf::from(s)
}

pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp.{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, data).map_err(|e| format!("write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("rename {} -> {}: {e}", tmp.display(), path.display()))
}

/// Settings for every server-side connection (pinned and Hrana).
pub fn configure_connection(conn: &rusqlite::Connection, busy_timeout_ms: u64) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(busy_timeout_ms))?;
    // Never checkpoint behind our back: WAL frame numbers must stay stable within a generation.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(())
}
