//! Progress on stderr. On a terminal: an indicatif bar, with each step printed above it. When
//! stderr is not a terminal (a pipe, a log file, CI): no escape codes and no `\r`, only whole
//! `dbcompat: …` lines — one per step, and a progress line at each table's end and at most every
//! few seconds in between.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Width of the bar, in characters, on a terminal and in the plain lines alike.
const BAR_WIDTH: usize = 24;
/// Plain lines: the least time between two progress lines of one table.
const PLAIN_INTERVAL: Duration = Duration::from_secs(2);

pub struct Progress {
    enabled: bool,
    /// The terminal's bar, until `clear`; `None` when stderr is not a terminal.
    bar: Option<ProgressBar>,
    total_rows: u64,
    done_rows: u64,
    last_plain_line: Instant,
}

impl Progress {
    pub fn new(enabled: bool, total_rows: u64) -> Progress {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| terminal_bar(total_rows));
        Progress {
            enabled,
            bar,
            total_rows,
            done_rows: 0,
            last_plain_line: Instant::now(),
        }
    }

    /// A step of the copy, on a line of its own.
    pub fn step(&mut self, message: &str) {
        if !self.enabled {
            return;
        }
        let line = format!("dbcompat: {message}");
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// `n` more rows of `table` are written (`done` of its `total`).
    pub fn rows(&mut self, table: &str, n: u64, done: u64, total: u64) {
        self.done_rows += n;
        if !self.enabled {
            return;
        }
        let counts = format!(
            "{table}: {done}/{total} rows  (all tables: {}/{})",
            self.done_rows, self.total_rows
        );
        if let Some(bar) = &self.bar {
            // indicatif limits the redraws itself.
            bar.set_position(self.done_rows);
            bar.set_message(counts);
            return;
        }
        if done < total && self.last_plain_line.elapsed() < PLAIN_INTERVAL {
            return;
        }
        self.last_plain_line = Instant::now();
        let pct = (self.done_rows * 100)
            .checked_div(self.total_rows)
            .unwrap_or(100)
            .min(100);
        let filled = (pct as usize * BAR_WIDTH / 100).min(BAR_WIDTH);
        eprintln!(
            "dbcompat: [{}{}] {pct:>3}%  {counts}",
            "#".repeat(filled),
            "-".repeat(BAR_WIDTH - filled)
        );
    }

    /// Leaves the terminal's bar as it last was, so that what follows starts on a line of its
    /// own.
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

fn terminal_bar(total_rows: u64) -> ProgressBar {
    let template = format!("[{{bar:{BAR_WIDTH}}}] {{percent:>3}}%  {{wide_msg}}");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("#-");
    ProgressBar::with_draw_target(Some(total_rows), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(format!("(all tables: 0/{total_rows})"))
}
