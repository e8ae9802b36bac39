//! Bench target (b): the same workloads compiled against dbcompat (`extern crate dbcompat as
//! rusqlite`): local file databases, then workload 7 on the remote test server.
//!
//! `DBCOMPAT_BENCH_RSS=1` runs the peak-RSS probe (1M-row scan) instead of criterion;
//! `DBCOMPAT_BENCH_PROFILE=<workload>:<n>` runs one workload n times (for callgrind);
//! `DBCOMPAT_BENCH_ONESHOT=<workload>:<n>` runs it n times and notes wall time, faults and RSS.
//! `DBCOMPAT_BENCH_LOCAL_ONLY=1` skips workload 7 (no test server needed).
extern crate dbcompat as rusqlite;

#[path = "common.rs"]
mod common;
#[path = "../compat-tests/server.rs"]
mod server;
#[path = "workloads.rs"]
mod workloads;

const LABEL: &str = "b_dbcompat";

fn main() {
    if common::rss_mode() {
        workloads::rss_probe(LABEL).expect("peak-RSS probe");
        return;
    }
    let profile = common::profile_mode().map(|(w, n)| (w, n, false));
    if let Some((_, n, oneshot)) = profile
        .clone()
        .or_else(|| common::oneshot_mode().map(|(w, n)| (w, n, true)))
        .filter(|(w, _, _)| w == "remote_lookup")
    {
        let conn = open_remote();
        workloads::remote_lookups(LABEL, &conn, n, oneshot).expect("remote lookups");
        return;
    }
    if let Some((workload, n, _)) = profile {
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
    if !common::local_only() {
        let conn = open_remote();
        let log = server::shared().request_log.as_deref();
        workloads::bench_remote(&mut c, LABEL, &conn, log);
    }
    c.final_summary();
}

/// A connection to the test server (`DBCOMPAT_TEST_URL`, else a private one).
fn open_remote() -> rusqlite::Connection {
    let srv = server::shared();
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    rusqlite::Connection::open_remote(&srv.url, &token).expect("open remote")
}
