//! Nothing here: the test targets (compat-tests/extra-check-newer/*.rs) are the point.
