//! Decoding of `/v3/cursor` reply lines, the client's hot path.
//!
//! serde's derive for an internally tagged enum (`#[serde(tag = "type")]`, as libsql-hrana's
//! `Value` and a derived entry enum use) first buffers each object into an untyped tree and
//! then decodes that tree again: for a point lookup that was a quarter of the client's
//! instructions per call. Here each entry and each value is one flat struct read straight
//! from the text (strings borrowed where they have no escapes), then told apart by `type`.

use super::transport::Failure;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use libsql_hrana::proto::{Col, Error as HranaError, Value};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// One line of a cursor reply. (libsql-hrana's `CursorEntry` cannot read the JSON encoding
/// either: `last_insert_rowid` arrives as a string.)
pub(super) enum Entry {
    StepBegin { step: u32, cols: Vec<Col> },
    Row { row: Vec<Value> },
    StepEnd,
    StepError { step: u32, error: HranaError },
    Error { error: HranaError },
    Other,
}

impl Entry {
    /// The first entry of `text` (complete lines of the reply) and the bytes it took; `None`
    /// when only the whitespace between entries is left.
    pub(super) fn next_in(text: &str) -> Result<Option<(Entry, usize)>, Failure> {
        let Some((raw, used)) = next_value::<RawEntry<'_>>(text)? else {
            return Ok(None);
        };
        let missing = |field: &str| {
            Failure::Transport(format!(
                "malformed cursor entry: a {} without `{field}`",
                raw.kind
            ))
        };
        let entry = match &*raw.kind {
            "step_begin" => Entry::StepBegin {
                step: raw.step.ok_or_else(|| missing("step"))?,
                cols: raw.cols.ok_or_else(|| missing("cols"))?,
            },
            "row" => Entry::Row {
                row: raw
                    .row
                    .ok_or_else(|| missing("row"))?
                    .into_iter()
                    .map(|v| v.0)
                    .collect(),
            },
            "step_end" => Entry::StepEnd,
            "step_error" => Entry::StepError {
                step: raw.step.ok_or_else(|| missing("step"))?,
                error: raw.error.ok_or_else(|| missing("error"))?,
            },
            "error" => Entry::Error {
                error: raw.error.ok_or_else(|| missing("error"))?,
            },
            _ => Entry::Other,
        };
        Ok(Some((entry, used)))
    }
}

/// The first JSON value of `text` and the bytes it took; `None` if only whitespace is left.
/// Reading value after value finds where each line ends as it parses: no separate scan for
/// the newlines.
pub(super) fn next_value<'a, T: Deserialize<'a>>(
    text: &'a str,
) -> Result<Option<(T, usize)>, Failure> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<T>();
    match values.next() {
        None => Ok(None),
        Some(Ok(value)) => Ok(Some((value, values.byte_offset()))),
        Some(Err(e)) => Err(Failure::Transport(format!("malformed cursor entry: {e}"))),
    }
}

/// Complete lines of a reply as text, checked as UTF-8 once for all the strings in them.
pub(super) fn lines(bytes: Vec<u8>) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| Failure::Transport(format!("malformed cursor entry: {e}")))
}

/// Every field any entry type has; the ones a type lacks stay `None`, unknown ones are skipped.
#[derive(Deserialize)]
struct RawEntry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    step: Option<u32>,
    cols: Option<Vec<Col>>,
    row: Option<Vec<WireValue>>,
    error: Option<HranaError>,
}

/// A Hrana value in its JSON encoding: `{"type": "integer", "value": "42"}`, `"float"` with a
/// number, `"text"` with a string, `"blob"` with `base64` (padded or not), `"null"`.
#[repr(transparent)]
struct WireValue(Value);

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw<'a> {
            #[serde(rename = "type", borrow)]
            kind: Cow<'a, str>,
            #[serde(borrow)]
            value: Option<Scalar<'a>>,
            #[serde(borrow)]
            base64: Option<Cow<'a, str>>,
        }
        let raw = Raw::deserialize(de)?;
        let bad = |what: &str| de::Error::custom(format!("a {} value {what}", raw.kind));
        Ok(WireValue(match (&*raw.kind, raw.value) {
            ("null", _) => Value::Null,
            ("integer", Some(Scalar::Text(text))) => Value::Integer {
                value: text.parse().map_err(|_| bad("that is not an integer"))?,
            },
            ("float", Some(Scalar::Number(value))) => Value::Float { value },
            ("text", Some(Scalar::Text(text))) => Value::Text { value: text.into() },
            ("blob", _) => {
                let text = raw.base64.ok_or_else(|| bad("without `base64`"))?;
                let bytes = STANDARD_NO_PAD
                    .decode(text.trim_end_matches('='))
                    .map_err(|_| bad("that is not base64"))?;
                Value::Blob {
                    value: bytes.into(),
                }
            }
            _ => return Err(bad("of an unknown type or shape")),
        }))
    }
}

/// A value's `value` field: a string (integer, text) or a number (float).
enum Scalar<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(Cow::Owned(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(v as f64))
            }
        }
        de.deserialize_any(ScalarVisitor)
    }
}

#[cfg(test)]
mod test {
    use super::{lines, Entry};
    use libsql_hrana::proto::Value;

    fn parse(line: &str) -> Result<Entry, super::Failure> {
        match Entry::next_in(line) {
            Ok(Some((entry, used))) => {
                assert_eq!(used, line.len());
                Ok(entry)
            }
            Ok(None) => panic!("no entry in {line:?}"),
            Err(f) => Err(f),
        }
    }

    fn row(line: &str) -> Vec<Value> {
        match parse(line) {
            Ok(Entry::Row { row }) => row,
            _ => panic!("not a row: {line}"),
        }
    }

    #[test]
    fn values_of_every_type_decode() {
        let values = row(concat!(
            r#"{"type":"row","row":[{"type":"null"},{"type":"integer","value":"-9223372036854775808"},"#,
            r#"{"type":"float","value":1.5},{"type":"float","value":2},"#,
            r#"{"type":"text","value":"a\"\u00e9\n"},{"type":"blob","base64":"AAH/"},"#,
            r#"{"type":"blob","base64":"AAE="}]}"#
        ));
        assert!(matches!(values[0], Value::Null));
        assert!(matches!(values[1], Value::Integer { value: i64::MIN }));
        assert!(matches!(values[2], Value::Float { value } if value == 1.5));
        assert!(matches!(values[3], Value::Float { value } if value == 2.0));
        assert!(matches!(&values[4], Value::Text { value } if &**value == "a\"é\n"));
        assert!(matches!(&values[5], Value::Blob { value } if value[..] == [0, 1, 255]));
        assert!(matches!(&values[6], Value::Blob { value } if value[..] == [0, 1]));
    }

    #[test]
    fn entries_are_told_apart_by_type() {
        let begin = r#"{"type":"step_begin","step":2,"cols":[{"name":"id","decltype":"INTEGER"}]}"#;
        assert!(matches!(
            parse(begin),
            Ok(Entry::StepBegin { step: 2, cols }) if cols[0].name.as_deref() == Some("id")
        ));
        let end = r#"{"type":"step_end","affected_row_count":0,"last_insert_rowid":"7"}"#;
        assert!(matches!(parse(end), Ok(Entry::StepEnd)));
        let err = r#"{"type":"step_error","step":1,"error":{"message":"no such table: t","code":"SQLITE_ERROR"}}"#;
        assert!(matches!(
            parse(err),
            Ok(Entry::StepError { step: 1, error }) if error.code == "SQLITE_ERROR"
        ));
        let other = r#"{"type":"replication_index","replication_index":"3"}"#;
        assert!(matches!(parse(other), Ok(Entry::Other)));
    }

    #[test]
    fn malformed_entries_are_errors_not_panics() {
        for line in [
            r#"{"type":"row","row":[{"type":"integer","value":"x"}]}"#,
            r#"{"type":"row","row":[{"type":"integer","value":1}]}"#,
            r#"{"type":"row","row":[{"type":"blob","base64":"!!"}]}"#,
            r#"{"type":"row","row":[{"type":"date","value":"1"}]}"#,
            r#"{"type":"step_begin","cols":[]}"#,
            r#"{"type":"row"}"#,
            r#"not json"#,
            r#"{"type":"row","row":["#,
        ] {
            assert!(Entry::next_in(line).is_err(), "{line}");
        }
        let not_utf8 = b"{\"type\":\"row\",\"row\":[{\"type\":\"text\",\"value\":\"\xff\"}]}\n";
        assert!(lines(not_utf8.to_vec()).is_err());
    }

    #[test]
    fn entries_are_read_one_after_another() {
        let text = "{\"type\":\"step_end\"}\n{\"type\":\"row\",\"row\":[]}\n";
        let (first, used) = Entry::next_in(text).unwrap().unwrap();
        assert!(matches!(first, Entry::StepEnd));
        let (second, more) = Entry::next_in(&text[used..]).unwrap().unwrap();
        assert!(matches!(second, Entry::Row { row } if row.is_empty()));
        assert!(Entry::next_in(&text[used + more..]).unwrap().is_none());
    }
}
