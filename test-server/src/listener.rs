//! The listening socket, built here so it carries `TCP_NODELAY`.
//!
//! A response written in several segments (tiny_http, the previous front, wrote through a 1 KiB
//! buffer) waits, with Nagle's algorithm on, for the client's delayed ACK of the first segment:
//! up to ~40 ms (a 15-column row took 43.7 ms against 0.5 ms for a 2-column one). Linux (and
//! the BSDs) copy `TCP_NODELAY` from the listening socket to every accepted one, so setting it
//! here covers every connection whatever the HTTP layer does (hyper also sets it, see
//! `http.rs`).

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::os::fd::AsRawFd;

/// Binds `addr` with `TCP_NODELAY` set, so every accepted connection inherits it.
pub fn bind_nodelay(addr: SocketAddr) -> io::Result<TcpListener> {
    let listener = TcpListener::bind(addr)?;
    let on: libc::c_int = 1;
    // SAFETY: a valid socket descriptor owned by `listener`, and a c_int option value of the
    // size passed.
    let rc = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, TcpStream};

    /// The HTTP layer's accept loop is a plain `accept()` on this listener, so the accepted side
    /// here is exactly what the server answers requests on.
    #[test]
    fn accepted_connections_have_nodelay() {
        let listener = bind_nodelay(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
        let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        assert!(accepted.nodelay().unwrap(), "accepted socket lacks TCP_NODELAY");
    }

    /// The check above can fail: without the option, an accepted socket has Nagle on.
    #[test]
    fn a_plain_listener_does_not_give_nodelay() {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
        let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        assert!(!accepted.nodelay().unwrap());
    }
}
