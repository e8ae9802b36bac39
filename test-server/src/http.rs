//! HTTP/1.1 serving: hyper reads each accepted connection on a thread of its own, which also
//! handles that connection's (blocking, SQLite-bound) requests.
//!
//! Why not tiny_http (used before): its connection pool parks one thread per keep-alive
//! connection, and when several connections arrive at once it can queue some of them behind
//! threads that are all parked on idle keep-alive connections. Their requests then sit unread
//! until another client hangs up, which dbcompat saw as a 30 s "server did not answer" for 2-4
//! of 8 simultaneous connections (`tests/concurrent_connections.rs`). Here every connection has
//! its own thread, so no connection waits for another one's thread.

use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::Http;
use hyper::service::service_fn;
use hyper::{Body, Request, Response};
use std::convert::Infallible;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// One HTTP request, as the application sees it.
pub struct HttpRequest {
    pub method: String,
    /// Without the query string.
    pub path: String,
    /// Every `Authorization` header value.
    pub authorization: Vec<String>,
    pub body: Vec<u8>,
}

pub struct HttpReply {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: &'static str,
}

/// Requests being handled right now (shutdown waits for them, bounded).
pub static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Serves `listener` until the process exits: one OS thread per accepted connection, which reads
/// that connection's requests and handles each one itself. At most `threads` requests are
/// handled at once (a request waiting on a SQLite lock holds a permit); more wait their turn.
///
/// Why a thread per connection: the previous front ran hyper on a 2-worker tokio runtime and
/// handed every request to tokio's blocking pool, so each request crossed threads twice (worker
/// to pool and back), and about a third of the server's CPU per point lookup went to those
/// wake-ups and context switches. That cost is the same for every client, so it hid the
/// difference between clients that the remote benchmarks are there to show. Here a request
/// never changes thread. An idle keep-alive connection parks its own thread in `epoll_wait`,
/// so it cannot delay another connection (tiny_http's fixed pool could, see above).
pub fn spawn_server<H>(listener: TcpListener, threads: usize, handler: H) -> std::io::Result<()>
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    let permits = Arc::new(Permits::new(threads));
    std::thread::Builder::new()
        .name("http-accept".into())
        .spawn(move || loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    let (handler, permits) = (handler.clone(), permits.clone());
                    let spawned = std::thread::Builder::new()
                        .name("http-conn".into())
                        .spawn(move || serve_connection(stream, handler, permits));
                    if let Err(e) = spawned {
                        eprintln!("dbcompat-test-server: cannot start a connection thread: {e}");
                    }
                }
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: keep serving.
                    eprintln!("dbcompat-test-server: accept failed: {e}");
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
        })?;
    Ok(())
}

/// Reads and answers one connection's requests, one at a time, on the calling thread.
fn serve_connection<H>(stream: TcpStream, handler: Arc<H>, permits: Arc<Permits>)
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dbcompat-test-server: cannot build a connection runtime: {e}");
            return;
        }
    };
    let served = runtime.block_on(async move {
        stream.set_nonblocking(true)?;
        stream.set_nodelay(true)?;
        let stream = tokio::net::TcpStream::from_std(stream)?;
        let service = service_fn(move |req| answer(handler.clone(), permits.clone(), req));
        Http::new()
            .http1_only(true)
            .serve_connection(stream, service)
            .await
            .map_err(std::io::Error::other)
    });
    // A client hanging up mid-request is its business; anything else is worth a line.
    if let Err(e) = served {
        if e.kind() != std::io::ErrorKind::Other || !e.to_string().contains("connection") {
            eprintln!("dbcompat-test-server: connection ended: {e}");
        }
    }
}

async fn answer<H>(
    handler: Arc<H>,
    permits: Arc<Permits>,
    req: Request<Body>,
) -> Result<Response<Body>, Infallible>
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    let reply = handle(handler, permits, req).await;
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    let response = Response::builder()
        .status(reply.status)
        .header(CONTENT_TYPE, reply.content_type)
        .body(Body::from(reply.body))
        .expect("status and content type are valid");
    Ok(response)
}

/// A counting semaphore for the requests being handled (blocking: each connection has its own
/// thread, and a request waits its turn on it).
struct Permits {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Permits {
    fn new(n: usize) -> Permits {
        Permits {
            free: Mutex::new(n.max(1)),
            freed: Condvar::new(),
        }
    }

    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        drop(free);
        // Given back even if the handler panics, so a panic cannot shrink the pool.
        struct Release<'a>(&'a Permits);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                *self.0.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                self.0.freed.notify_one();
            }
        }
        let _release = Release(self);
        f()
    }
}

async fn handle<H>(handler: Arc<H>, permits: Arc<Permits>, req: Request<Body>) -> HttpReply
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let authorization = req
        .headers()
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    let body = match hyper::body::to_bytes(req.into_body()).await {
        Ok(b) => b.to_vec(),
        Err(e) => {
            let body = format!("cannot read request body: {e}").into_bytes();
            return HttpReply {
                status: 400,
                body,
                content_type: "text/plain",
            };
        }
    };
    let request = HttpRequest {
        method,
        path,
        authorization,
        body,
    };
    // The connection's own thread handles it: nothing else runs on this runtime.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        permits.run(|| handler(request))
    })) {
        Ok(reply) => reply,
        Err(_) => HttpReply {
            status: 500,
            body: b"request handler panicked".to_vec(),
            content_type: "text/plain",
        },
    }
}
