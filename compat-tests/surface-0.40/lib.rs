//! Nothing here: the test targets (compat-tests/surfaces/*_0_40.rs) are the point.
