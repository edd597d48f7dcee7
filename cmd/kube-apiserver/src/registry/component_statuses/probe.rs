//! One HTTP health probe, with upstream's prober's verdicts and words (`pkg/probe/http`): a
//! 2xx answer succeeds with its body as the message, a redirect is a warning, any other status
//! or a failed request is a failure described as Go's HTTP client describes it, so that
//! `kubectl get cs` reads as it does against upstream.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper::Uri;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Upstream reads at most this much of a probe's answer.
const MAX_BODY_BYTES: usize = 10 * 1024;

/// What a probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx, with the body.
    Success(String),
    /// A redirect, which upstream's prober does not follow.
    Warning(String),
    /// Any other status, or no answer at all.
    Failure(String),
}

/// `GET url`, answered within `timeout`. `tls` is required for `https` URLs.
pub async fn get(url: &str, tls: Option<&Arc<rustls::ClientConfig>>, timeout: Duration) -> Verdict {
    let failed = |cause: &str| Verdict::Failure(format!("Get {url:?}: {cause}"));
    match tokio::time::timeout(timeout, fetch(url, tls)).await {
        Ok(Ok((status, body))) => judge(status, body),
        Ok(Err(cause)) => failed(&cause),
        Err(_) => {
            failed("context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
        }
    }
}

/// The verdict on an answer, as upstream's prober gives it.
fn judge(status: u16, body: String) -> Verdict {
    match status {
        200..=299 => Verdict::Success(body),
        300..=399 => Verdict::Warning(format!("Probe terminated redirects, Response body: {body}")),
        _ => Verdict::Failure(format!("HTTP probe failed with statuscode: {status}")),
    }
}

/// The status and (truncated) body of `GET url`, or why there is none.
async fn fetch(
    url: &str,
    tls: Option<&Arc<rustls::ClientConfig>>,
) -> Result<(u16, String), String> {
    let uri: Uri = url.parse().map_err(|error| format!("invalid URL: {error}"))?;
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().ok_or("no host in URL")?.trim_matches(['[', ']']).to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let address = format!("{}:{port}", uri.host().unwrap_or_default());
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|error| format!("dial tcp {address}: {}", connect_error(&error)))?;
    if !https {
        return exchange(tcp, &uri).await;
    }
    let config = tls.ok_or("https probes need a TLS configuration")?;
    let name = ServerName::try_from(host).map_err(|error| error.to_string())?;
    let stream = TlsConnector::from(Arc::clone(config))
        .connect(name, tcp)
        .await
        .map_err(|error| format!("tls: {error}"))?;
    exchange(stream, &uri).await
}

/// One HTTP/1.1 request and its answer over `stream`.
async fn exchange<S>(stream: S, uri: &Uri) -> Result<(u16, String), String>
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (mut sender, connection) =
        http1::handshake(TokioIo::new(stream)).await.map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    let host = uri.authority().map(|authority| authority.as_str()).unwrap_or_default();
    let path = uri.path_and_query().map(|path| path.as_str()).unwrap_or("/");
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, host)
        .header(hyper::header::USER_AGENT, "kube-probe")
        .body(Empty::<Bytes>::new())
        .map_err(|error| error.to_string())?;
    let response = sender.send_request(request).await.map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    // A longer body is cut, as upstream's prober cuts it, rather than failing the probe.
    let mut body = Vec::new();
    let mut limited = Limited::new(response.into_body(), MAX_BODY_BYTES);
    while let Some(Ok(frame)) = limited.frame().await {
        if let Ok(data) = frame.into_data() {
            body.extend_from_slice(&data);
        }
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A failed connect in Go's words (`connect: connection refused`).
fn connect_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "connect: connection refused".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_status() {
        assert_eq!(judge(200, "ok".into()), Verdict::Success("ok".into()));
        assert_eq!(
            judge(302, "moved".into()),
            Verdict::Warning("Probe terminated redirects, Response body: moved".into())
        );
        assert_eq!(
            judge(500, "boom".into()),
            Verdict::Failure("HTTP probe failed with statuscode: 500".into())
        );
    }

    #[tokio::test]
    async fn a_closed_port_fails_as_go_words_it() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("http://127.0.0.1:{port}/healthz");
        let verdict = get(&url, None, Duration::from_secs(5)).await;
        assert_eq!(
            verdict,
            Verdict::Failure(format!(
                "Get \"{url}\": dial tcp 127.0.0.1:{port}: connect: connection refused"
            ))
        );
    }
}
