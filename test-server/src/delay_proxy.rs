//! delay-proxy: a loopback TCP proxy that adds a fixed one-way delay, to measure a client at a
//! real network distance (a hosted server is 20–80 ms away) on one machine. Loopback only.
//!
//! Every chunk read from one side is written to the other `--delay-ms` later. Chunks are
//! queued, not serialized behind each other's delays, so the added latency is fixed and the
//! bandwidth is not limited: a request/response round trip costs `2 × delay` more.
//!
//! It exits when its stdin (if a pipe, FIFO or socket) reaches EOF, on SIGTERM/SIGINT, and
//! after `--max-secs` at the latest.

mod lifetime;
mod listener;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: delay-proxy --upstream 127.0.0.1:<port> [options]

  --upstream 127.0.0.1:<port>  where to forward connections (loopback only)
  --listen 127.0.0.1:<port>    listen address (default 127.0.0.1:0 = a free port)
  --delay-ms <n>               delay added to each direction (default 10)
  --port-file <path>           after binding, write the bound port (decimal + newline)
  --max-secs <n>               exit after this long at the latest (default 3600)
";

struct Args {
    upstream: SocketAddr,
    listen: SocketAddr,
    delay: Duration,
    port_file: Option<PathBuf>,
    max_lifetime: Duration,
}

fn die(msg: &str) -> ! {
    eprintln!("delay-proxy: {msg}");
    std::process::exit(2);
}

fn loopback_addr(flag: &str, v: &str) -> SocketAddr {
    let a: SocketAddr = v.parse().unwrap_or_else(|_| die(&format!("{flag}: bad address {v}")));
    if a.ip() != std::net::IpAddr::V4(Ipv4Addr::LOCALHOST) {
        die(&format!("{flag} must be 127.0.0.1:<port> (loopback only)"));
    }
    a
}

fn parse_args() -> Args {
    let mut upstream = None;
    let mut args = Args {
        upstream: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        delay: Duration::from_millis(10),
        port_file: None,
        max_lifetime: Duration::from_secs(3600),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| die(&format!("{flag} needs a value\n{USAGE}")));
        let number = |v: String| -> u64 { v.parse().unwrap_or_else(|_| die(&format!("not a number: {v}"))) };
        match flag.as_str() {
            "--upstream" => upstream = Some(loopback_addr("--upstream", &value())),
            "--listen" => args.listen = loopback_addr("--listen", &value()),
            "--delay-ms" => args.delay = Duration::from_millis(number(value())),
            "--port-file" => args.port_file = Some(PathBuf::from(value())),
            "--max-secs" => args.max_lifetime = Duration::from_secs(number(value())),
            "--help" | "-h" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => die(&format!("unknown argument {other}\n{USAGE}")),
        }
    }
    args.upstream = upstream.unwrap_or_else(|| die(&format!("--upstream is required\n{USAGE}")));
    args
}

/// What the reading half hands to the writing half: bytes due at an instant, or the end of
/// the stream (also due after the delay, so a close is not faster than the data before it).
enum Chunk {
    Data(Instant, Vec<u8>),
    End(Instant),
}

/// Copies `from` to `to`, each chunk `delay` after it was read. Returns when `from` ends.
fn pump(mut from: TcpStream, mut to: TcpStream, delay: Duration) {
    let (tx, rx) = mpsc::channel::<Chunk>();
    let writer = std::thread::spawn(move || {
        for chunk in rx {
            let due = match &chunk {
                Chunk::Data(due, _) | Chunk::End(due) => *due,
            };
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            match chunk {
                Chunk::Data(_, bytes) => {
                    if to.write_all(&bytes).is_err() {
                        break;
                    }
                }
                Chunk::End(_) => break,
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => {
                let _ = tx.send(Chunk::End(Instant::now() + delay));
                break;
            }
            Ok(n) => {
                if tx.send(Chunk::Data(Instant::now() + delay, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        }
    }
    let _ = writer.join();
    let _ = from.shutdown(Shutdown::Read);
}

fn serve(client: TcpStream, upstream: SocketAddr, delay: Duration) {
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else { return };
    let up = std::thread::spawn(move || pump(client, server, delay));
    pump(server2, client2, delay);
    let _ = up.join();
}

fn main() {
    let args = parse_args();
    let listener = listener::bind_nodelay(args.listen).unwrap_or_else(|e| die(&format!("cannot listen on {}: {e}", args.listen)));
    let bound = listener.local_addr().unwrap_or_else(|e| die(&e.to_string()));
    if let Some(pf) = &args.port_file {
        let tmp = pf.with_extension(format!("tmp.{}", std::process::id()));
        std::fs::write(&tmp, format!("{}\n", bound.port()))
            .and_then(|()| std::fs::rename(&tmp, pf))
            .unwrap_or_else(|e| die(&format!("--port-file {}: {e}", pf.display())));
    }
    eprintln!("delay-proxy: 127.0.0.1:{} -> {} with {} ms each way", bound.port(), args.upstream, args.delay.as_millis());
    if lifetime::stdin_is_watchable() {
        lifetime::on_stdin_eof(|| std::process::exit(0));
    }
    let max_lifetime = args.max_lifetime;
    std::thread::spawn(move || {
        std::thread::sleep(max_lifetime);
        eprintln!("delay-proxy: --max-secs reached, exiting");
        std::process::exit(0);
    });
    for conn in listener.incoming() {
        match conn {
            Ok(client) => {
                let (upstream, delay) = (args.upstream, args.delay);
                std::thread::spawn(move || serve(client, upstream, delay));
            }
            Err(e) => eprintln!("delay-proxy: accept error: {e}"),
        }
    }
}
