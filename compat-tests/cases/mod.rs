//! Every parity case module. Add a module here and its `CASES` to `ALL`.
use crate::harness::Case;

mod bad_input;
mod cache;
mod connection;
mod errors;
mod features;
mod features_local;
mod features_local_gated;
mod handles;
mod misc;
mod params;
mod pragma;
mod rows;
mod smoke;
mod statement;
mod surface034;
mod transaction;
mod types;
mod unix_time;
mod values;

/// All case tables, in run order.
pub const ALL: &[&[Case]] = &[
    smoke::CASES,
    connection::CASES,
    statement::CASES,
    params::CASES,
    rows::CASES,
    bad_input::CASES,
    cache::CASES,
    misc::CASES,
    types::CASES,
    values::CASES,
    transaction::CASES,
    pragma::CASES,
    errors::CASES,
    features::CASES,
    unix_time::CASES,
    features_local::CASES,
    features_local_gated::CASES,
    surface034::CASES,
    handles::CASES,
];
