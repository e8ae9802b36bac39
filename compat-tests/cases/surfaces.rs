//! The case modules compiled under the newer surfaces (rusqlite 0.40 and 0.43, real and
//! dbcompat): the cases for the rules that changed after 0.34, each stating its expectation per
//! `crate::SURFACE`, and the 0.34 modules whose API is unchanged since then.
use crate::harness::Case;

mod newer;
mod params;
mod smoke;

/// All case tables, in run order.
pub const ALL: &[&[Case]] = &[smoke::CASES, newer::CASES, params::CASES, params::CASES];
