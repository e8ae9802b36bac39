//! HTTP/1.1 serving: hyper accepts and reads every connection on tokio, and each request's
//! (blocking, SQLite-bound) handling runs on tokio's blocking pool.
//!
//! Why not tiny_http (used before): its connection pool parks one thread per keep-alive
//! connection, and when several connections arrive at once it can queue some of them behind
//! threads that are all parked on idle keep-alive connections. Their requests then sit unread
//! until another client hangs up, which dbcompat saw as a 30 s "server did not answer" for 2-4
//! of 8 simultaneous connections (`tests/concurrent_connections.rs`). Here a connection costs
//! no thread while idle; a thread is taken only while a request is being handled.

use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::AddrStream;
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response, Server};
use std::convert::Infallible;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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

/// Serves `listener` on a thread of its own until the process exits. At most `threads` requests
/// are handled at once (a request waiting on a SQLite lock holds one); more wait their turn.
/// Idle keep-alive connections hold no thread.
pub fn spawn_server<H>(listener: TcpListener, threads: usize, handler: H) -> std::io::Result<()>
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(threads)
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let handler = Arc::new(handler);
    // hyper wraps the listener in tokio's reactor, so this must run inside the runtime.
    let builder = {
        let _enter = runtime.enter();
        Server::from_tcp(listener).map_err(std::io::Error::other)?
    };
    std::thread::spawn(move || {
        let make = make_service_fn(move |_: &AddrStream| {
            let handler = handler.clone();
            async move { Ok::<_, Infallible>(service_fn(move |req| answer(handler.clone(), req))) }
        });
        let served = runtime.block_on(builder.http1_only(true).tcp_nodelay(true).serve(make));
        if let Err(e) = served {
            eprintln!("dbcompat-test-server: HTTP server failed: {e}");
            std::process::exit(1);
        }
    });
    Ok(())
}

async fn answer<H>(handler: Arc<H>, req: Request<Body>) -> Result<Response<Body>, Infallible>
where
    H: Fn(HttpRequest) -> HttpReply + Send + Sync + 'static,
{
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    let reply = handle(handler, req).await;
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    let response = Response::builder()
        .status(reply.status)
        .header(CONTENT_TYPE, reply.content_type)
        .body(Body::from(reply.body))
        .expect("status and content type are valid");
    Ok(response)
}

async fn handle<H>(handler: Arc<H>, req: Request<Body>) -> HttpReply
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
    match tokio::task::spawn_blocking(move || handler(request)).await {
        Ok(reply) => reply,
        Err(e) => HttpReply {
            status: 500,
            body: format!("request handler failed: {e}").into_bytes(),
            content_type: "text/plain",
        },
    }
}
