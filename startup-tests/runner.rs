//! Runs every start-up scenario in a fresh process: the test binary re-executes itself once per
//! scenario with `DBCOMPAT_STARTUP_SCENARIO=<name>`, so each one starts from an engine nobody
//! has touched, as an application's `main` does. A scenario fails when its process panics,
//! aborts or exits non-zero.

use std::process::Command;

/// The variable that makes the binary run one scenario instead of all of them.
const SCENARIO_VAR: &str = "DBCOMPAT_STARTUP_SCENARIO";

/// One start-up scenario: process-level calls, then opens, with asserted outcomes.
pub struct Scenario {
    pub name: &'static str,
    pub run: fn(),
}

/// In a child: runs the named scenario and exits. In the parent: runs each scenario (or those
/// whose name contains the first non-flag argument) in its own process, with `env` added,
/// prints one line per scenario and a closing `label: N passed, N failed` line, and returns the
/// exit status for the whole run.
pub fn run(label: &str, tables: &[&[Scenario]], env: &[(&str, &str)]) -> i32 {
    let scenarios = || tables.iter().flat_map(|t| t.iter());
    if let Ok(name) = std::env::var(SCENARIO_VAR) {
        let scenario = scenarios()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no scenario named {name}"));
        (scenario.run)();
        std::process::exit(0);
    }
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let exe = std::env::current_exe().expect("path of this test binary");
    let (mut passed, mut failed) = (0usize, 0usize);
    for scenario in scenarios() {
        if filter
            .as_deref()
            .is_some_and(|f| !scenario.name.contains(f))
        {
            continue;
        }
        let out = Command::new(&exe)
            .env(SCENARIO_VAR, scenario.name)
            .envs(env.iter().copied())
            .output()
            .expect("re-run this test binary");
        if out.status.success() {
            passed += 1;
            println!("ok   {}", scenario.name);
        } else {
            failed += 1;
            println!("FAIL {} ({})", scenario.name, out.status);
            for line in String::from_utf8_lossy(&out.stderr).lines() {
                println!("     {line}");
            }
        }
    }
    println!("{label}: {passed} passed, {failed} failed");
    i32::from(failed > 0)
}

/// `scenario!(f)`: the scenario named after the function `f`.
#[macro_export]
macro_rules! scenario {
    ($name:ident) => {
        $crate::runner::Scenario {
            name: stringify!($name),
            run: $name,
        }
    };
}
