//! Owned libsql `Value`s → Rust values, for the two libsql-driven benches (raw libsql and the
//! naive bridge). Kept out of common.rs, which the rusqlite bench also includes and which must
//! therefore not name libsql.

#![allow(dead_code)] // each including target uses a different subset

use libsql::{Error, Result, Value};

pub fn int(v: Value) -> Result<i64> {
    match v {
        Value::Integer(i) => Ok(i),
        _ => Err(Error::InvalidColumnType),
    }
}

pub fn real(v: Value) -> Result<f64> {
    match v {
        Value::Real(f) => Ok(f),
        Value::Integer(i) => Ok(i as f64),
        _ => Err(Error::InvalidColumnType),
    }
}

pub fn text(v: Value) -> Result<String> {
    match v {
        Value::Text(s) => Ok(s),
        _ => Err(Error::InvalidColumnType),
    }
}

pub fn blob(v: Value) -> Result<Vec<u8>> {
    match v {
        Value::Blob(b) => Ok(b),
        _ => Err(Error::InvalidColumnType),
    }
}
