//! Progress on stderr: one line redrawn in place (`\r`) when stderr is a terminal, otherwise a
//! line per step and a progress line every few seconds.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    tty: bool,
    total_rows: u64,
    done_rows: u64,
    last: Instant,
    drawn: bool,
}

impl Progress {
    pub fn new(enabled: bool, total_rows: u64) -> Progress {
        Progress {
            enabled,
            tty: std::io::stderr().is_terminal(),
            total_rows,
            done_rows: 0,
            last: Instant::now(),
            drawn: false,
        }
    }

    /// A step of the copy, on a line of its own.
    pub fn step(&mut self, message: &str) {
        if !self.enabled {
            return;
        }
        self.clear();
        eprintln!("dbcompat: {message}");
    }

    /// `n` more rows of `table` are written (`done` of its `total`).
    pub fn rows(&mut self, table: &str, n: u64, done: u64, total: u64) {
        self.done_rows += n;
        if !self.enabled {
            return;
        }
        let interval = if self.tty {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(2)
        };
        if done < total && self.last.elapsed() < interval {
            return;
        }
        self.last = Instant::now();
        let pct = (self.done_rows * 100)
            .checked_div(self.total_rows)
            .unwrap_or(100)
            .min(100);
        let bar_width = 24;
        let filled = (pct as usize * bar_width / 100).min(bar_width);
        let line = format!(
            "[{}{}] {pct:>3}%  {table}: {done}/{total} rows  (all tables: {}/{})",
            "#".repeat(filled),
            "-".repeat(bar_width - filled),
            self.done_rows,
            self.total_rows
        );
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r{line}\x1b[K");
            let _ = err.flush();
            self.drawn = true;
        } else {
            let _ = writeln!(err, "dbcompat: {line}");
        }
    }

    /// Ends a redrawn line, so that what follows starts on a line of its own.
    pub fn clear(&mut self) {
        if self.drawn {
            eprintln!();
            self.drawn = false;
        }
    }
}
