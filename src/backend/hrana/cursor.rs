//! The rows of one statement as they arrive from `/v3/cursor`: newline-delimited JSON entries
//! read a chunk at a time, so a large result never sits in client memory whole.

use super::stream::{from_failure, Call, Stream};
use super::transport::{self, Failure};
use super::wire::{self, Entry};
use crate::backend::remote_errors::from_hrana;
use crate::{Error, Result};
use bytes::Bytes;
use hyper::Body;
use libsql_hrana::proto::{Col, Error as HranaError, Value};
use std::collections::VecDeque;
use std::sync::Arc;

pub(crate) struct Cursor {
    /// The response body still to read; `None` once it ended.
    body: Option<Body>,
    /// Complete lines of the reply not yet parsed past `read`.
    lines: String,
    read: usize,
    /// What arrived after the last complete line.
    partial: Vec<u8>,
    /// How much of `partial` is known to hold no newline: a line longer than a chunk is
    /// searched a chunk at a time, not again from its start.
    searched: usize,
    /// The SQL of every batch step, for errors.
    sqls: Vec<Arc<str>>,
    /// The step of the first call (after the head statements).
    first_call: u32,
    /// Rows of the calls before the main one (dbcompat's own reads), whole.
    before_main: Vec<Vec<Vec<Value>>>,
    main_step: u32,
    counters_step: Option<u32>,
    /// The step that runs only if the main one failed and no transaction is left open.
    probe_step: Option<u32>,
    /// That step ran: the failure ended the transaction.
    ended_transaction: bool,
    current_step: Option<u32>,
    cols: Vec<Col>,
    rows: VecDeque<Vec<Value>>,
    /// The owner no longer wants the rows (it was reset): read and drop them.
    discard: bool,
    /// `changes()` and `last_insert_rowid()` after the main statement, when asked for.
    counters: Option<(u64, i64)>,
    error: Option<Error>,
    main_ended: bool,
    /// The main statement reached its step end (it ran without an error).
    main_succeeded: bool,
    reported: bool,
}

impl Cursor {
    /// The reply to `head` + `calls`; the rows of `calls[main]` are the caller's.
    /// `body` is what is left of the reply after its `first` chunk (`None` if nothing is).
    /// `probed`: the batch ends with the autocommit probe step (see `Stream::send`).
    pub(super) fn new(
        body: Option<Body>,
        first: Option<Bytes>,
        head: &[String],
        calls: &[Call],
        main: usize,
        probed: bool,
    ) -> Cursor {
        let sqls: Vec<Arc<str>> = head
            .iter()
            .map(|s| Arc::from(s.as_str()))
            .chain(calls.iter().map(|c| Arc::clone(&c.sql)))
            .collect();
        let first_call = head.len() as u32;
        let main_step = first_call + main as u32;
        let mut cursor = Cursor {
            first_call,
            before_main: vec![Vec::new(); main],
            body,
            lines: String::new(),
            read: 0,
            partial: Vec::new(),
            searched: 0,
            counters_step: (calls.len() > main + 1).then_some(main_step + 1),
            probe_step: probed.then_some(first_call + calls.len() as u32),
            ended_transaction: false,
            main_step,
            sqls,
            current_step: None,
            cols: Vec::new(),
            rows: VecDeque::new(),
            discard: false,
            counters: None,
            error: None,
            main_ended: false,
            main_succeeded: false,
            reported: false,
        };
        if let Some(first) = first {
            cursor.partial.extend_from_slice(&first);
        }
        cursor
    }

    /// Moves the complete lines that arrived into `lines` (at the body's end, whatever is
    /// left); `false` if there are none.
    fn take_lines(&mut self) -> std::result::Result<bool, Failure> {
        let end = match self.body {
            None => self.partial.len(),
            Some(_) => match self.partial[self.searched..]
                .iter()
                .rposition(|&b| b == b'\n')
            {
                Some(newline) => self.searched + newline + 1,
                None => {
                    self.searched = self.partial.len();
                    return Ok(false);
                }
            },
        };
        if end == 0 {
            return Ok(false);
        }
        let rest = self.partial.split_off(end);
        self.searched = rest.len();
        self.lines = wire::lines(std::mem::replace(&mut self.partial, rest))?;
        self.read = 0;
        Ok(true)
    }

    pub(crate) fn columns(&self) -> &[Col] {
        &self.cols
    }

    /// Whether the reply ends with the counters of a write (see `Stream::open_cursor`).
    pub(crate) fn reads_counters(&self) -> bool {
        self.counters_step.is_some()
    }

    pub(crate) fn counters(&self) -> Option<(u64, i64)> {
        self.counters
    }

    /// The main statement's SQL, if it ran to its end without an error.
    pub(crate) fn succeeded_main(&self) -> Option<&str> {
        let sql = self.sqls.get(self.main_step as usize)?;
        self.main_succeeded.then_some(&**sql)
    }

    /// The main statement failed and took the open transaction with it.
    pub(crate) fn ended_transaction(&self) -> bool {
        self.ended_transaction
    }

    /// The next value of the body, read by `parse` from its complete lines, reading more
    /// chunks as needed; `None` at its end.
    fn next_parsed<T>(
        &mut self,
        stream: &Stream,
        parse: impl Fn(&str) -> std::result::Result<Option<(T, usize)>, Failure>,
    ) -> std::result::Result<Option<T>, Failure> {
        loop {
            if let Some((value, used)) = parse(&self.lines[self.read..])? {
                self.read += used;
                return Ok(Some(value));
            }
            if self.take_lines()? {
                continue;
            }
            if self.body.is_none() {
                return Ok(None);
            }
            if let Some(chunk) = stream.block_on(transport::next_chunk(&mut self.body))?? {
                self.partial.extend_from_slice(&chunk);
            }
        }
    }

    /// The first line: the stream's new baton (and base URL).
    pub(super) fn first_line<T: serde::de::DeserializeOwned>(
        &mut self,
        stream: &Stream,
    ) -> std::result::Result<T, Failure> {
        self.next_parsed(stream, |text| wire::next_value::<T>(text))?
            .ok_or_else(|| Failure::Transport("the server closed the cursor at once".into()))
    }

    /// Reads and handles one entry; `false` at the end of the body.
    fn advance(&mut self, stream: &Stream) -> bool {
        let entry = match self.next_parsed(stream, Entry::next_in) {
            Ok(Some(entry)) => Ok(entry),
            Ok(None) => {
                self.finish(stream);
                return false;
            }
            Err(f) => Err(f),
        };
        match entry {
            Ok(Entry::StepBegin { step, cols }) => {
                self.current_step = Some(step);
                self.ended_transaction |= Some(step) == self.probe_step;
                if step == self.main_step {
                    self.cols = cols;
                }
            }
            Ok(Entry::Row { row: values }) => match self.current_step {
                Some(s) if s == self.main_step && !self.discard => self.rows.push_back(values),
                Some(s) if s >= self.first_call && s < self.main_step => {
                    self.before_main[(s - self.first_call) as usize].push(values)
                }
                Some(s) if Some(s) == self.counters_step => {
                    if let [Value::Integer { value: c }, Value::Integer { value: r }] = &values[..]
                    {
                        self.counters = Some((*c as u64, *r));
                    }
                }
                _ => {}
            },
            Ok(Entry::StepEnd) => {
                if self.current_step == Some(self.main_step) {
                    self.main_ended = true;
                    self.main_succeeded = true;
                }
            }
            Ok(Entry::StepError { step, error }) => self.fail(step, &error, stream),
            Ok(Entry::Error { error }) => self.fail(self.main_step, &error, stream),
            Ok(Entry::Other) => {}
            Err(f) => {
                let err = from_failure(f, &stream.url);
                self.error.get_or_insert(err);
                self.body = None;
                self.main_ended = true;
                self.finish(stream);
                return false;
            }
        }
        true
    }

    /// Step `step` failed: an error of the head or main statement is the caller's.
    fn fail(&mut self, step: u32, e: &HranaError, stream: &Stream) {
        if step <= self.main_step {
            if self.error.is_none() {
                let sql = self.sqls.get(step as usize).map(|s| &**s);
                self.error = Some(from_hrana(&e.code, &e.message, &stream.url, sql));
            }
            self.main_ended = true;
        }
    }

    fn finish(&mut self, stream: &Stream) {
        if !std::mem::replace(&mut self.reported, true) {
            stream.cursor_finished(self);
        }
    }

    /// Reads until the main statement's columns are known; its error (or a head statement's)
    /// is returned here, with the rest of the reply read so the stream is free.
    pub(super) fn wait_for_columns(&mut self, stream: &Stream) -> Result<()> {
        while self.current_step.is_none_or(|s| s < self.main_step) && self.error.is_none() {
            if !self.advance(stream) {
                break;
            }
        }
        if let Some(err) = self.error.take() {
            self.drain(stream)?;
            return Err(err);
        }
        Ok(())
    }

    /// The next row; `None` after the last. An error the server hit mid-result is returned
    /// where the local engine would return it: at the step that fails.
    pub(crate) fn next_row(&mut self, stream: &Stream) -> Result<Option<Vec<Value>>> {
        loop {
            if let Some(row) = self.rows.pop_front() {
                return Ok(Some(row));
            }
            if let Some(err) = self.error.take() {
                // What follows a failure is short (counters, the autocommit probe) and decides
                // the connection's state, which the caller may look at next: read it first.
                self.drain(stream)?;
                return Err(err);
            }
            // A write's counters follow its rows (maybe already in `buf`): read them first.
            if self.main_ended && self.body.is_none() && self.counters_step.is_none() {
                return Ok(None);
            }
            if self.main_ended && self.counters_step.is_none() {
                // Nothing after the rows matters but the stream: free it now.
                self.drain(stream)?;
                continue;
            }
            if !self.advance(stream) && self.rows.is_empty() {
                if let Some(err) = self.error.take() {
                    return Err(err);
                }
                return Ok(None);
            }
        }
    }

    /// The rows of the calls before the main one, read by `wait_for_columns`.
    pub(super) fn take_rows_before_main(&mut self) -> Vec<Vec<Vec<Value>>> {
        std::mem::take(&mut self.before_main)
    }

    /// The owner was reset: rows not yet read are dropped as they arrive.
    pub(crate) fn discard(&mut self) {
        self.discard = true;
        self.rows.clear();
    }

    /// Reads the reply to its end (rows are kept unless discarded), so the stream is free.
    pub(super) fn drain(&mut self, stream: &Stream) -> Result<()> {
        if self.rest_is_unwanted() {
            self.skip_rest(stream);
            return Ok(());
        }
        while self.advance(stream) {}
        Ok(())
    }

    /// Nothing left in the reply matters: the main statement's rows were discarded, and no
    /// step follows them whose result the connection needs (a write's counters, the
    /// transaction probe). That is a read-only statement reset in autocommit mode, e.g.
    /// `query_row` or `exists` on a query with many rows.
    fn rest_is_unwanted(&self) -> bool {
        self.discard
            && self.counters_step.is_none()
            && self.probe_step.is_none()
            && self.current_step.is_some_and(|s| s >= self.main_step)
    }

    /// Frees the stream from an unwanted reply without parsing it. A short rest is read (a new
    /// socket's TCP and TLS handshakes cost more than that on a hosted link); a longer one is
    /// cut off by dropping the body, which closes the socket, so the client neither waits for
    /// nor parses rows a local statement would never have produced. The next request goes on
    /// a new socket with the same baton: the server already handed the stream back when the
    /// reply began (sqld finishes the statement on its side, as it does for a gone client).
    fn skip_rest(&mut self, stream: &Stream) {
        const READ_AT_MOST: usize = 256 * 1024;
        let mut read = 0;
        while self.body.is_some() && read < READ_AT_MOST {
            match stream.block_on(transport::next_chunk(&mut self.body)) {
                Ok(Ok(Some(chunk))) => read += chunk.len(),
                _ => break,
            }
        }
        if let Some(body) = self.body.take() {
            // Dropped inside the call, like an ended body (see `transport::next_chunk`).
            let _ = stream.block_on(async move { drop(body) });
        }
        self.lines.clear();
        self.read = 0;
        self.partial.clear();
        self.finish(stream);
    }
}
