//! Nothing here: the test targets (compat-tests/surfaces/*_0_43.rs) are the point.
