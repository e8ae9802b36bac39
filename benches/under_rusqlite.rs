//! Bench target (a): the workloads compiled against real rusqlite 0.34 (bundled SQLite).
//! A separate binary from (b): rusqlite's bundled SQLite and libsql's engine can't be linked
//! into one.
//!
//! `DBCOMPAT_BENCH_RSS=1` runs the peak-RSS probe (1M-row scan) instead of criterion;
//! `DBCOMPAT_BENCH_PROFILE=<workload>:<n>` runs one workload n times (for callgrind);
//! `DBCOMPAT_BENCH_ONESHOT=<workload>:<n>` runs it n times and notes wall time, faults and RSS.
extern crate real_rusqlite as rusqlite;

#[path = "common.rs"]
mod common;
#[path = "workloads.rs"]
mod workloads;

const LABEL: &str = "a_rusqlite";

fn main() {
    if common::rss_mode() {
        workloads::rss_probe(LABEL).expect("peak-RSS probe");
        return;
    }
    if let Some((workload, n)) = common::profile_mode() {
        workloads::profile(LABEL, &workload, n).expect("profile run");
        return;
    }
    if let Some((workload, n)) = common::oneshot_mode() {
        workloads::oneshot(LABEL, &workload, n).expect("one-shot run");
        return;
    }
    let mut c = common::criterion();
    workloads::bench_local(&mut c, LABEL);
    workloads::bench_shapes(&mut c, LABEL);
    c.final_summary();
}
