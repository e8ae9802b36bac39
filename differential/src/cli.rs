//! The command line shared by both binaries: `<seed> <ops>`, transcript on stdout.

use std::io::Write;

pub fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [seed, ops] => seed.parse::<u64>().ok().zip(ops.parse::<usize>().ok()),
        _ => None,
    };
    let Some((seed, count)) = parsed else {
        eprintln!("usage: diff-rusqlite|diff-dbcompat <seed: u64> <ops: usize>");
        std::process::exit(2);
    };
    // A panic inside the crate under test is caught and recorded; keep stderr quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let ops = crate::ops::generate(seed, count);
    let lines = crate::transcript::run(&ops);
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            std::process::exit(1);
        }
    }
}
