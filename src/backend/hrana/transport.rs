//! HTTP for Hrana: one POST per pipeline or cursor request, over the same hyper 0.14 +
//! rustls stack libsql uses. Nothing here knows SQL; it moves JSON and reports failures.

use bytes::Bytes;
use hyper::client::conn::SendRequest;
use hyper::client::HttpConnector;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::http::uri::InvalidUri;
use hyper::service::Service;
use hyper::{Body, Request, Response, StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// Why a request did not produce a result.
#[derive(Debug)]
pub(super) enum Failure {
    /// The server no longer knows the stream (idle expiry, restart): nothing ran.
    StreamExpired,
    /// The server refused the request with a Hrana error (`code`, `message`).
    Server { code: String, message: String },
    /// The HTTP exchange itself failed (unreachable, reset, malformed reply).
    Transport(String),
    /// The call failed before reaching the server (timeout, runtime): already an `Error`.
    Call(crate::Error),
}

/// The TLS connector, built once (loading the root certificates is costly) and cloned into
/// each connection's client.
fn connector() -> Result<HttpsConnector<HttpConnector>, Failure> {
    static CONNECTOR: OnceLock<Result<HttpsConnector<HttpConnector>, String>> = OnceLock::new();
    CONNECTOR
        .get_or_init(|| {
            let mut http = HttpConnector::new();
            http.enforce_http(false);
            http.set_nodelay(true);
            Ok(hyper_rustls::HttpsConnectorBuilder::new()
                .with_native_roots()
                .map_err(|e| format!("cannot load the TLS root certificates: {e}"))?
                .https_or_http()
                .enable_http1()
                .wrap_connector(http))
        })
        .clone()
        .map_err(Failure::Transport)
}

/// A connection's network stack: the runtime its calls run on and the HTTP socket whose task
/// lives on that runtime. They belong together, and a closed connection hands them to the
/// next one opened to the same server, so its warm keep-alive socket saves a handshake.
pub(super) struct Net {
    pub(super) driver: crate::bridge::Driver,
    pub(super) http: HttpConn,
}

/// Idle network stacks by server base URL.
static IDLE: std::sync::Mutex<Vec<(String, Net)>> = std::sync::Mutex::new(Vec::new());
const MAX_IDLE: usize = 8;

impl Net {
    /// An idle stack for `base`, or a new one.
    pub(super) fn take(base: &str) -> crate::Result<Net> {
        let mut idle = IDLE.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = idle.iter().rposition(|(b, _)| b == base) {
            return Ok(idle.swap_remove(i).1);
        }
        drop(idle);
        let http = HttpConn::new(Driving::InCall(Mutex::new(None))).map_err(|f| match f {
            Failure::Call(e) => e,
            other => crate::error::error_from_sqlite_code(
                crate::ffi::SQLITE_CANTOPEN,
                Some(format!("{other:?}")),
            ),
        })?;
        Ok(Net {
            driver: crate::bridge::Driver::new()?,
            http,
        })
    }

    /// Keeps the stack for the next connection to `base` (a few per server at most).
    pub(super) fn give_back(self, base: String) {
        let mut idle = IDLE.lock().unwrap_or_else(|p| p.into_inner());
        if idle.iter().filter(|(b, _)| *b == base).count() < MAX_IDLE {
            idle.push((base, self));
        }
    }
}

/// The socket for fire-and-forget requests sent from the shared runtime (stream close).
pub(super) fn shared_conn() -> Result<&'static HttpConn, Failure> {
    static CONN: OnceLock<Result<HttpConn, Failure>> = OnceLock::new();
    CONN.get_or_init(|| HttpConn::new(Driving::Spawned))
        .as_ref()
        .map_err(|e| Failure::Transport(format!("{e:?}")))
}

/// A request URL, parsed once per connection and cloned per request (a `Uri` clone shares
/// its text; parsing it again each time was a measurable part of a point lookup).
pub(super) fn parse_url(url: &str) -> Result<Uri, Failure> {
    url.parse()
        .map_err(|e: InvalidUri| Failure::Transport(format!("http error: {e}")))
}

/// Sockets idle longer than this are not reused: servers and proxies close idle keep-alive
/// connections, and a kept socket only shows it when it is next used.
const REUSE_WITHIN: Duration = Duration::from_secs(20);

/// A remote connection's HTTP/1.1 socket, kept alive between its requests, which go one at a
/// time. (hyper's pooled `Client` looked its socket up in a SipHash map keyed by host on every
/// request and moved it in and out of the pool: about a seventh of a point lookup's client
/// instructions. Here the socket is simply held.)
pub(super) struct HttpConn {
    connector: HttpsConnector<HttpConnector>,
    kept: Mutex<Option<Kept>>,
    /// Where the socket's own future (hyper's connection: it writes requests and reads
    /// replies) is polled; see [`Driving`].
    driving: Driving,
    /// The waker of its calls' futures ([`HttpConn::driven`]). One for the socket's life, as
    /// the socket keeps the waker of the call that last polled it until the next one does.
    wake: Arc<CallWake>,
}

/// hyper's connection future, which moves the bytes of a client socket.
type SocketIo = hyper::client::conn::Connection<
    hyper_rustls::MaybeHttpsStream<<HttpConnector as Service<Uri>>::Response>,
    Body,
>;

/// Who polls a socket's connection future.
enum Driving {
    /// Each call polls it beside its own future ([`HttpConn::driven`]): a connection's
    /// requests go one at a time and only during its calls, so a spawned task would only add
    /// a task wake-up, and the runtime's extra check for events (an `epoll_wait`) before the
    /// woken call runs again, to every request.
    InCall(Mutex<Option<Pin<Box<SocketIo>>>>),
    /// A task spawned on the runtime that sends the request (the shared socket for detached
    /// requests, used by several tasks at once).
    Spawned,
}

/// The kept socket: where it goes and when it was last used.
struct Kept {
    sender: SendRequest<Body>,
    origin: Origin,
    used: Instant,
}

/// Scheme, host and port: a socket serves only requests to its own origin (a server may move a
/// stream to another `base_url`; the close socket serves every server).
#[derive(PartialEq)]
struct Origin(
    Option<hyper::http::uri::Scheme>,
    Option<hyper::http::uri::Authority>,
);

impl Origin {
    fn of(url: &Uri) -> Origin {
        Origin(url.scheme().cloned(), url.authority().cloned())
    }
}

impl HttpConn {
    fn new(driving: Driving) -> Result<HttpConn, Failure> {
        Ok(HttpConn {
            connector: connector()?,
            kept: Mutex::new(None),
            driving,
            wake: Arc::default(),
        })
    }

    /// Runs `fut`, a call's future that uses this socket, and moves the socket's bytes while
    /// it waits. Every future that posts on, or reads a reply from, a connection's own socket
    /// runs inside this.
    ///
    /// The two wake each other (the socket takes the request, then hands over the reply);
    /// those wake-ups are handled here by polling again, so the runtime is only woken by
    /// what it must wait for, the socket becoming readable. Left to the runtime, each would
    /// cost a check for events (an `epoll_wait`) before the call runs again.
    pub(super) async fn driven<F: Future>(&self, fut: F) -> F::Output {
        /// Rounds of polling per wake-up before the runtime is woken instead (a future that
        /// keeps waking itself, e.g. one out of tokio's cooperative budget, must yield).
        const ROUNDS: usize = 4;
        let mut fut = pin!(fut);
        let wake = &self.wake;
        let waker = Waker::from(wake.clone());
        std::future::poll_fn(|cx| {
            wake.set_outer(cx.waker());
            let mut inner = Context::from_waker(&waker);
            for _ in 0..ROUNDS {
                wake.polling.store(true, SeqCst);
                wake.woken.store(false, SeqCst);
                let out = fut.as_mut().poll(&mut inner);
                if out.is_pending() {
                    self.poll_socket(&mut inner);
                }
                wake.polling.store(false, SeqCst);
                if out.is_ready() || !wake.woken.swap(false, SeqCst) {
                    return out;
                }
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        })
        .await
    }

    /// Polls the socket's connection future, if it runs in calls.
    fn poll_socket(&self, cx: &mut Context<'_>) {
        let Driving::InCall(socket) = &self.driving else {
            return;
        };
        let mut socket = socket.lock().unwrap_or_else(|p| p.into_inner());
        // Ready means the socket closed (by the server, or after an error); its sender then
        // reports that at the next request, which goes on a new socket.
        if socket
            .as_mut()
            .is_some_and(|io| io.as_mut().poll(cx).is_ready())
        {
            *socket = None;
        }
    }

    /// POSTs `body` as JSON to `url`; returns the response body of a 200 reply as a stream.
    /// Runs inside a runtime (the connection's driver), within [`HttpConn::driven`] unless the
    /// socket's task is spawned ([`Driving::Spawned`]).
    pub(super) async fn post(
        &self,
        url: Uri,
        auth: Option<&str>,
        body: Bytes,
    ) -> Result<Body, Failure> {
        let origin = Origin::of(&url);
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner()).take();
        let kept = kept.filter(|k| k.origin == origin && k.used.elapsed() < REUSE_WITHIN);
        let (sender, resp) = match kept {
            Some(Kept { mut sender, .. }) => {
                match send(&mut sender, request(&url, auth, &body)?).await {
                    Ok(resp) => (sender, resp),
                    // The server had closed the kept socket while it was idle: nothing was
                    // processed, so the request goes again on a new socket.
                    Err(e) if e.is_incomplete_message() || e.is_canceled() || e.is_closed() => {
                        Box::pin(self.send_on_new(&url, request(&url, auth, &body)?)).await?
                    }
                    Err(e) => return Err(http_error(e)),
                }
            }
            None => Box::pin(self.send_on_new(&url, request(&url, auth, &body)?)).await?,
        };
        *self.kept.lock().unwrap_or_else(|p| p.into_inner()) = Some(Kept {
            sender,
            origin,
            used: Instant::now(),
        });
        let status = resp.status();
        if status == StatusCode::OK {
            return Ok(resp.into_body());
        }
        let text = hyper::body::to_bytes(resp.into_body())
            .await
            .map_err(http_error)?;
        Err(error_reply(status, &text))
    }

    /// Connects a new socket (TCP, and TLS for `https`) and sends `req` on it. Boxed where it
    /// is awaited: its future holds a TLS session, and inline it made every call's future
    /// kilobytes larger, copied at each move (a third of a point lookup's instructions).
    async fn send_on_new(
        &self,
        url: &Uri,
        req: Request<Body>,
    ) -> Result<(SendRequest<Body>, Response<Body>), Failure> {
        let connect_error = |e: Box<dyn std::error::Error + Send + Sync>| {
            Failure::Transport(format!("http error: error trying to connect: {e}"))
        };
        let mut connector = self.connector.clone();
        std::future::poll_fn(|cx| connector.poll_ready(cx))
            .await
            .map_err(connect_error)?;
        let io = connector.call(url.clone()).await.map_err(connect_error)?;
        let (mut sender, socket) = hyper::client::conn::handshake(io)
            .await
            .map_err(http_error)?;
        match &self.driving {
            // Replaces (and closes) the previous socket, whose sender is gone.
            Driving::InCall(slot) => {
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::pin(socket));
            }
            Driving::Spawned => crate::bridge::spawn_here(async move {
                let _ = socket.await;
            }),
        }
        let resp = send(&mut sender, req).await.map_err(http_error)?;
        Ok((sender, resp))
    }
}

/// The waker of a [`HttpConn::driven`] call: a wake-up while the call is polling only marks
/// it for another round; one while it waits (the socket became readable) wakes the runtime.
#[derive(Default)]
struct CallWake {
    polling: AtomicBool,
    woken: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl CallWake {
    fn set_outer(&self, waker: &Waker) {
        let mut outer = self.outer.lock().unwrap_or_else(|p| p.into_inner());
        if !outer.as_ref().is_some_and(|w| w.will_wake(waker)) {
            *outer = Some(waker.clone());
        }
    }
}

impl Wake for CallWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, SeqCst);
        if !self.polling.load(SeqCst) {
            let outer = self.outer.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(waker) = outer.as_ref() {
                waker.wake_by_ref();
            }
        }
    }
}

/// Sends `req` once the socket is free (the previous reply was read or dropped).
async fn send(sender: &mut SendRequest<Body>, req: Request<Body>) -> hyper::Result<Response<Body>> {
    std::future::poll_fn(|cx| sender.poll_ready(cx)).await?;
    sender.send_request(req).await
}

/// A POST of `body` to `url` in origin form, with the `Host` header a client sets.
fn request(url: &Uri, auth: Option<&str>, body: &Bytes) -> Result<Request<Body>, Failure> {
    let host = match (url.host(), url.port()) {
        (Some(host), Some(port)) => HeaderValue::from_str(&format!("{host}:{port}")),
        (Some(host), None) => HeaderValue::from_str(host),
        (None, _) => return Err(Failure::Transport(format!("http error: no host in {url}"))),
    }
    .map_err(|e| Failure::Transport(format!("http error: {e}")))?;
    let mut origin = hyper::http::uri::Parts::default();
    origin.path_and_query = url.path_and_query().cloned();
    let origin = Uri::from_parts(origin).unwrap_or_else(|_| Uri::from_static("/"));
    let mut req = Request::post(origin)
        .header(HOST, host)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(auth) = auth {
        req = req.header(AUTHORIZATION, auth);
    }
    req.body(Body::from(body.clone()))
        .map_err(|e| Failure::Transport(format!("http error: {e}")))
}

fn http_error(e: hyper::Error) -> Failure {
    Failure::Transport(format!("http error: {e}"))
}

/// Reads a whole response body.
pub(super) async fn read_all(body: Body) -> Result<Bytes, Failure> {
    hyper::body::to_bytes(body)
        .await
        .map_err(|e| Failure::Transport(format!("http error: {e}")))
}

/// The next chunk of a streamed body; `None` at its end. A body that has ended is dropped
/// here, inside the call, so its socket goes back to the pool now: dropped later, outside
/// the runtime, it would wake the runtime from outside (an `eventfd` write) at the next call.
pub(super) async fn next_chunk(body: &mut Option<Body>) -> Result<Option<Bytes>, Failure> {
    use hyper::body::HttpBody;
    let Some(open) = body.as_mut() else {
        return Ok(None);
    };
    let chunk = match open.data().await {
        Some(Ok(chunk)) => Some(chunk),
        Some(Err(e)) => return Err(Failure::Transport(format!("http error: {e}"))),
        None => None,
    };
    if chunk.is_none() || open.is_end_stream() {
        *body = None;
    }
    Ok(chunk)
}

/// A non-200 reply: a Hrana error object when the server sent one, else the status and text.
fn error_reply(status: StatusCode, body: &[u8]) -> Failure {
    let text = String::from_utf8_lossy(body).into_owned();
    let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let field = |name: &str| parsed.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let code = field("code").unwrap_or_default();
    let message = field("message")
        .or_else(|| field("error"))
        .unwrap_or_else(|| text.clone());
    let lower = message.to_ascii_lowercase();
    if code == "STREAM_EXPIRED"
        || lower.contains("stream has expired")
        || lower.contains("baton")
        || lower.contains("stream not found")
    {
        return Failure::StreamExpired;
    }
    if code.is_empty() || status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Failure::Transport(format!("status={}: {message}", status.as_u16()));
    }
    Failure::Server { code, message }
}
