//! Request bodies, written straight from borrowed statements.
//!
//! libsql-hrana's request types own their SQL text and arguments, so building one copied both
//! (twice for a cached statement's re-run), and they write every optional field (`sql_id`,
//! `named_args`, `replication_index`, a first step's `condition`) as `null` or `[]`. Here a
//! step borrows the caller's SQL and arguments, and only what the server needs is written: a
//! point lookup's body is about half as long, and the server reads less too.

use super::transport::Failure;
use bytes::Bytes;
use libsql_hrana::proto::{BatchCond, Value};
use serde::Serialize;

/// One statement of a batch; with no condition it always runs.
#[derive(Serialize)]
pub(super) struct Step<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) condition: Option<BatchCond>,
    pub(super) stmt: StmtRef<'a>,
}

#[derive(Serialize)]
pub(super) struct StmtRef<'a> {
    pub(super) sql: &'a str,
    #[serde(skip_serializing_if = "<[Value]>::is_empty")]
    pub(super) args: &'a [Value],
    pub(super) want_rows: bool,
}

impl<'a> Step<'a> {
    pub(super) fn new(sql: &'a str, args: &'a [Value], want_rows: bool) -> Step<'a> {
        Step {
            condition: None,
            stmt: StmtRef {
                sql,
                args,
                want_rows,
            },
        }
    }

    /// The step, run only when `condition` holds.
    pub(super) fn when(self, condition: BatchCond) -> Step<'a> {
        Step {
            condition: Some(condition),
            ..self
        }
    }
}

#[derive(Serialize)]
struct BatchRef<'a> {
    steps: &'a [Step<'a>],
}

#[derive(Serialize)]
struct CursorBody<'a> {
    baton: Option<&'a str>,
    batch: BatchRef<'a>,
}

/// What a pipeline request asks after its batch.
pub(super) enum Then<'a> {
    /// The stream's autocommit state; then, if `count` holds that query, the session's TEMP
    /// objects and attached databases.
    GetAutocommit { count: Option<&'a str> },
    /// The description of a statement.
    Describe(&'a str),
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum StreamRequest<'a> {
    Batch { batch: BatchRef<'a> },
    Describe { sql: &'a str },
    Execute { stmt: StmtRef<'a> },
    GetAutocommit {},
    Close {},
}

#[derive(Serialize)]
struct PipelineBody<'a> {
    baton: Option<&'a str>,
    requests: &'a [StreamRequest<'a>],
}

/// The body of a `/v3/cursor` request running `steps`.
pub(super) fn cursor(baton: Option<&str>, steps: &[Step<'_>]) -> Result<Bytes, Failure> {
    encode(&CursorBody {
        baton,
        batch: BatchRef { steps },
    })
}

/// The body of a `/v3/pipeline` request running `steps`, then asking `then`.
pub(super) fn pipeline(
    baton: Option<&str>,
    steps: &[Step<'_>],
    then: Then<'_>,
) -> Result<Bytes, Failure> {
    let batch = StreamRequest::Batch {
        batch: BatchRef { steps },
    };
    let body = |requests: &[StreamRequest<'_>]| encode(&PipelineBody { baton, requests });
    match then {
        Then::GetAutocommit { count: None } => body(&[batch, StreamRequest::GetAutocommit {}]),
        Then::GetAutocommit { count: Some(sql) } => body(&[
            batch,
            StreamRequest::GetAutocommit {},
            StreamRequest::Execute {
                stmt: StmtRef {
                    sql,
                    args: &[],
                    want_rows: true,
                },
            },
        ]),
        Then::Describe(sql) => body(&[batch, StreamRequest::Describe { sql }]),
    }
}

/// The body of a `/v3/pipeline` request closing the stream.
pub(super) fn close(baton: &str) -> Result<Bytes, Failure> {
    encode(&PipelineBody {
        baton: Some(baton),
        requests: &[StreamRequest::Close {}],
    })
}

fn encode<T: Serialize>(body: &T) -> Result<Bytes, Failure> {
    // Room for a typical small request, so the body is not regrown while it is written.
    let mut out = Vec::with_capacity(256);
    serde_json::to_writer(&mut out, body)
        .map_err(|e| Failure::Transport(format!("cannot encode request: {e}")))?;
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod test {
    use super::{cursor, pipeline, Step, Then};
    use libsql_hrana::proto::{BatchCond, Value};

    #[test]
    fn steps_are_written_without_defaulted_fields() {
        let args = [Value::Integer { value: 7 }];
        let second = Step::new("SELECT changes()", &[], true).when(BatchCond::Ok { step: 0 });
        let body = cursor(
            Some("b1"),
            &[
                Step::new("SELECT * FROM t WHERE id = ?", &args, true),
                second,
            ],
        )
        .unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"baton":"b1","batch":{"steps":[{"stmt":{"sql":"SELECT * FROM t WHERE id = ?","args":[{"type":"integer","value":"7"}],"want_rows":true}},{"condition":{"type":"ok","step":0},"stmt":{"sql":"SELECT changes()","want_rows":true}}]}}"#
        );
    }

    #[test]
    fn a_pipeline_asks_after_its_batch() {
        let body = pipeline(None, &[], Then::Describe("SELECT 1")).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"baton":null,"requests":[{"type":"batch","batch":{"steps":[]}},{"type":"describe","sql":"SELECT 1"}]}"#
        );
        let body = pipeline(Some("b"), &[], Then::GetAutocommit { count: None }).unwrap();
        assert!(std::str::from_utf8(&body)
            .unwrap()
            .ends_with(r#"{"type":"get_autocommit"}]}"#));
        let body = pipeline(
            Some("b"),
            &[],
            Then::GetAutocommit {
                count: Some("SELECT 2"),
            },
        );
        assert!(std::str::from_utf8(&body.unwrap()).unwrap().ends_with(
            r#"{"type":"get_autocommit"},{"type":"execute","stmt":{"sql":"SELECT 2","want_rows":true}}]}"#
        ));
    }
}
