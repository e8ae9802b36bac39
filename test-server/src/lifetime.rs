//! Ending with the parent: both binaries exit when their stdin (a pipe, FIFO or socket held
//! by whoever started them) reaches EOF, so a crashed test run cannot leave them behind.

use std::io::Read;

/// Whether stdin is worth watching: a terminal or /dev/null would either never close or be at
/// EOF at once.
pub fn stdin_is_watchable() -> bool {
    // SAFETY: fstat on fd 0 into a zeroed stat buffer.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(0, &mut st) != 0 {
            return false;
        }
        let fmt = st.st_mode & libc::S_IFMT;
        fmt == libc::S_IFIFO || fmt == libc::S_IFSOCK
    }
}

/// Runs `on_eof` on a thread of its own once stdin reaches EOF (or fails).
pub fn on_stdin_eof(on_eof: impl FnOnce() + Send + 'static) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 512];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        on_eof();
    });
}
