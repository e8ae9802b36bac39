//! The case modules compiled under the newer surfaces (rusqlite 0.40 and 0.43, real and
//! dbcompat): the cases for the rules that changed after 0.34, each stating its expectation per
//! `crate::SURFACE`, and the 0.34 modules whose API is unchanged since then.
use crate::harness::Case;

mod bad_input;
mod cache;
mod connection;
mod errors;
mod features;
#[cfg(rusqlite_0_43)]
mod features_043;
mod features_local_gated;
mod features_newer;
mod handles;
// Imports used only by the `only_0_34` cases left out here.
#[allow(unused_imports)]
mod misc;
mod newer;
mod params;
mod pragma;
mod rows;
mod smoke;
mod statement;
#[allow(unused_imports)]
mod transaction;
mod types;
mod unix_time;
mod values;
mod vtab_newer;
mod vtab_writes_newer;

/// The cases of APIs only 0.41+ has: none under 0.40.
#[cfg(rusqlite_0_43)]
use features_043::CASES as CASES_0_43;
#[cfg(not(rusqlite_0_43))]
const CASES_0_43: &[Case] = &[];

/// All case tables, in run order.
pub const ALL: &[&[Case]] = &[
    smoke::CASES,
    newer::CASES,
    connection::CASES,
    params::CASES,
    rows::CASES,
    cache::CASES,
    misc::CASES,
    errors::CASES,
    pragma::CASES,
    transaction::CASES,
    statement::CASES,
    bad_input::CASES,
    types::CASES,
    values::CASES,
    features::CASES,
    features_local_gated::CASES,
    features_newer::CASES,
    vtab_newer::CASES,
    vtab_writes_newer::CASES,
    CASES_0_43,
    handles::CASES,
    unix_time::CASES,
];
