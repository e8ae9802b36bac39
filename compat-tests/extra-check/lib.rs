//! Nothing here: the test targets (real.rs, dbcompat.rs, both running cases.rs) are the point.
