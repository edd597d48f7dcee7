//! Accepting connections on one port, plain or TLS, and serving each with HTTP/1.1 or HTTP/2 as
//! the client speaks; on shutdown, no new connections, in-flight requests get a grace period.

use super::ApiServer;
use hyper::Request;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

/// How long a client may take to send a request's headers; upstream uses 32 seconds, just under
/// its own request timeout bound.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(32);
/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head over HTTP/1 (Go's default `MaxHeaderBytes` is 1 MiB).
const MAX_REQUEST_HEAD_BYTES: usize = 1024 * 1024;
/// Concurrent streams per HTTP/2 connection (Go's default); clients multiplex watches over one
/// connection, so this must be generous.
const MAX_STREAMS_PER_CONNECTION: u32 = 250;
/// Pause after a failed accept (out of file descriptors, say) before trying again.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(100);

/// Serves `listener` until `shutdown` completes; with `tls`, every connection is a TLS one.
/// Open connections then get `grace` to finish their requests (watches end at once).
pub async fn serve(
    server: Arc<ApiServer>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()>,
    grace: Duration,
) {
    let builder = Arc::new(connection_builder());
    let (stop_connections, stop_requested) = watch::channel(false);
    // Every connection task holds a clone of the sender; once all are gone, `recv` returns None.
    let (connection_alive, mut all_connections_closed) = mpsc::channel::<()>(1);
    if let Ok(address) = listener.local_addr() {
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(%address, scheme, "serving the Kubernetes API");
    }

    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            server: Arc::clone(&server),
            builder: Arc::clone(&builder),
            stop_requested: stop_requested.clone(),
            grace,
            peer,
            _alive: connection_alive.clone(),
        };
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection.serve(stream).await,
                Some(acceptor) => connection.serve_tls(stream, acceptor).await,
            }
        });
    }

    drop(listener);
    stop_connections.send_replace(true);
    drop(connection_alive);
    // Connection tasks bound themselves by `grace`; wait a little longer than that at most.
    let _ =
        tokio::time::timeout(grace + Duration::from_secs(1), all_connections_closed.recv()).await;
}

/// One accepted connection and what it needs.
struct Connection {
    server: Arc<ApiServer>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    stop_requested: watch::Receiver<bool>,
    grace: Duration,
    peer: SocketAddr,
    _alive: mpsc::Sender<()>,
}

impl Connection {
    /// Completes the TLS handshake, then serves the connection.
    async fn serve_tls(self, stream: TcpStream, acceptor: TlsAcceptor) {
        match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => self.serve(stream).await,
            Ok(Err(error)) => tracing::debug!(peer = %self.peer, %error, "TLS handshake failed"),
            Err(_) => tracing::debug!(peer = %self.peer, "TLS handshake timed out"),
        }
    }

    /// Serves HTTP on the connection until the client leaves or shutdown begins; then in-flight
    /// requests get the grace period.
    async fn serve<S>(mut self, stream: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let server = Arc::clone(&self.server);
        let peer = self.peer;
        let service = service_fn(move |request: Request<Incoming>| {
            let server = Arc::clone(&server);
            async move { Ok::<_, Infallible>(server.handle(request, peer).await) }
        });
        let connection = self.builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
        tokio::pin!(connection);
        tokio::select! {
            outcome = connection.as_mut() => {
                if let Err(error) = outcome {
                    tracing::debug!(peer = %self.peer, %error, "connection ended with an error");
                }
                return;
            }
            _ = self.stop_requested.wait_for(|stop| *stop) => {}
        }
        connection.as_mut().graceful_shutdown();
        if tokio::time::timeout(self.grace, connection).await.is_err() {
            tracing::debug!(peer = %self.peer, "connection closed before its requests finished");
        }
    }
}

/// HTTP/1.1 and HTTP/2 settings for API connections.
fn connection_builder() -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(MAX_REQUEST_HEAD_BYTES);
    builder.http2().timer(TokioTimer::new()).max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
    builder
}
