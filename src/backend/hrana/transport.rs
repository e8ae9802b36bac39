//! HTTP for Hrana: one POST per pipeline or cursor request, over the same hyper 0.14 +
//! rustls stack libsql uses. Nothing here knows SQL; it moves JSON and reports failures.

use bytes::Bytes;
use hyper::client::HttpConnector;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::{Body, Client, Request, StatusCode};
use hyper_rustls::HttpsConnector;
use std::sync::OnceLock;

pub(super) type HttpClient = Client<HttpsConnector<HttpConnector>>;

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

/// An HTTP client with its own keep-alive pool. A connection owns one: its pooled sockets'
/// tasks run on that connection's driver (`bridge::Driver`), so they must not be shared.
pub(super) fn new_client() -> Result<HttpClient, Failure> {
    Ok(Client::builder().build(connector()?))
}

/// The client for fire-and-forget requests sent from the shared runtime (stream close).
pub(super) fn shared_client() -> Result<&'static HttpClient, Failure> {
    static CLIENT: OnceLock<Result<HttpClient, Failure>> = OnceLock::new();
    CLIENT
        .get_or_init(new_client)
        .as_ref()
        .map_err(|e| Failure::Transport(format!("{e:?}")))
}

/// POSTs `body` as JSON to `url`; returns the response body of a 200 reply as a stream.
pub(super) async fn post(
    client: &HttpClient,
    url: &str,
    auth: Option<&str>,
    body: Vec<u8>,
) -> Result<Body, Failure> {
    let mut req = Request::post(url).header(CONTENT_TYPE, "application/json");
    if let Some(auth) = auth {
        req = req.header(AUTHORIZATION, auth);
    }
    let req = req
        .body(Body::from(body))
        .map_err(|e| Failure::Transport(format!("http error: {e}")))?;
    let resp = client
        .request(req)
        .await
        .map_err(|e| Failure::Transport(format!("http error: {e}")))?;
    let status = resp.status();
    if status == StatusCode::OK {
        return Ok(resp.into_body());
    }
    let text = hyper::body::to_bytes(resp.into_body())
        .await
        .map_err(|e| Failure::Transport(format!("http error: {e}")))?;
    Err(error_reply(status, &text))
}

/// Reads a whole response body.
pub(super) async fn read_all(body: Body) -> Result<Bytes, Failure> {
    hyper::body::to_bytes(body)
        .await
        .map_err(|e| Failure::Transport(format!("http error: {e}")))
}

/// The next chunk of a streamed body; `None` at its end.
pub(super) async fn next_chunk(body: &mut Body) -> Result<Option<Bytes>, Failure> {
    use hyper::body::HttpBody;
    match body.data().await {
        Some(Ok(chunk)) => Ok(Some(chunk)),
        Some(Err(e)) => Err(Failure::Transport(format!("http error: {e}"))),
        None => Ok(None),
    }
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
