//! What a bound value must be to travel to a libSQL server, whose protocol (Hrana) carries
//! values as JSON. Shared by the Hrana client and the embedded replica, whose writes go to
//! its primary the same way: a value JSON cannot carry is refused before anything is sent,
//! never changed on the wire.
use crate::{Error, Result};

/// A REAL parameter as the server gets it: `None` for NaN, which SQLite binds as NULL too;
/// ±infinity is refused (JSON numbers are finite).
pub(crate) fn real_for_server(v: f64) -> Result<Option<f64>> {
    if v.is_nan() {
        Ok(None)
    } else if v.is_infinite() {
        Err(Error::ToSqlConversionFailure(
            "an infinite REAL cannot be sent to a libSQL server: Hrana carries REAL values as \
             JSON numbers, which are finite"
                .into(),
        ))
    } else {
        Ok(Some(v))
    }
}

/// A TEXT parameter as the server gets it: JSON strings are UTF-8, so other bytes are
/// refused rather than replaced.
pub(crate) fn text_for_server(t: &[u8]) -> Result<&str> {
    std::str::from_utf8(t).map_err(|e| Error::ToSqlConversionFailure(Box::new(e)))
}
