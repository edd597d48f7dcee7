//! [`Client`]: one pooled HTTP connection set to one apiserver as one user. Every typed and
//! dynamic call goes through it, so credentials, the user agent, timeouts and the translation
//! of error responses into `Status` errors live in one place.

use crate::config::{Auth, Config};
use crate::error::{Error, Result, status_of_response};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use hyper::{Method, Request, Response};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a token file is re-read (client-go re-reads rotated service account tokens on the
/// same period).
const TOKEN_FILE_REFRESH: Duration = Duration::from_secs(60);

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// A request body with its media type.
#[derive(Clone, Debug)]
pub struct Body {
    pub content_type: &'static str,
    pub bytes: Bytes,
}

impl Body {
    /// A JSON body.
    pub fn json(bytes: impl Into<Bytes>) -> Self {
        Body { content_type: "application/json", bytes: bytes.into() }
    }
}

/// A handle to one apiserver; cheap to clone, all clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
    config: Config,
    /// The last token read from a token file, and when.
    file_token: Mutex<Option<(Instant, String)>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("server", &self.inner.config.server).finish()
    }
}

impl Client {
    /// A client for `config`; fails only on unusable TLS material.
    pub fn new(config: Config) -> Result<Self> {
        let tls = crate::tls::client_config(&config.tls)?;
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        let builder =
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls).https_or_http();
        let builder = match &config.tls.server_name {
            Some(name) => {
                let name = rustls::pki_types::ServerName::try_from(name.clone())
                    .map_err(|error| Error::Tls(format!("tls-server-name {name:?}: {error}")))?;
                builder.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name))
            }
            None => builder,
        };
        let connector = builder.enable_http1().wrap_connector(tcp);
        let http = HttpClient::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Ok(Client { inner: Arc::new(Inner { http, config, file_token: Mutex::new(None) }) })
    }

    /// A client for the configuration the book's component flags describe
    /// ([`Config::from_flags`]), naming itself `user_agent`.
    pub fn from_flags(
        master: Option<&str>,
        kubeconfig: Option<&std::path::Path>,
        user_agent: &str,
    ) -> Result<Self> {
        Client::new(Config::from_flags(master, kubeconfig)?.with_user_agent(user_agent))
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The namespace namespaced calls default to.
    pub fn default_namespace(&self) -> &str {
        &self.inner.config.default_namespace
    }

    /// Sends one request to `path_and_query` (starting with `/`) and returns the response as it
    /// came, whatever its status code. No timeout applies: callers that stream (watches, logs)
    /// bound their own time.
    pub async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Body>,
    ) -> Result<Response<Incoming>> {
        let uri = format!("{}{}", self.inner.config.server, path_and_query);
        let mut request = Request::builder()
            .method(method)
            .uri(&uri)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, &self.inner.config.user_agent);
        if let Some(authorization) = self.authorization()? {
            request = request.header(AUTHORIZATION, authorization);
        }
        let payload = match body {
            Some(body) => {
                request = request.header(CONTENT_TYPE, body.content_type);
                Full::new(body.bytes)
            }
            None => Full::new(Bytes::new()),
        };
        let request = request
            .body(payload)
            .map_err(|error| Error::Transport(format!("building a request for {uri}: {error}")))?;
        self.inner
            .http
            .request(request)
            .await
            .map_err(|error| Error::Transport(describe_transport_error(&uri, &error)))
    }

    /// Sends a request and decodes a successful answer as `T`; an error answer becomes
    /// [`Error::Api`] with the server's `Status`. The configured timeout bounds the whole call.
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Body>,
    ) -> Result<T> {
        let bytes = self.request_bytes(method, path_and_query, body).await?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// Like [`Client::request`], returning the raw body of a successful answer.
    pub async fn request_bytes(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Body>,
    ) -> Result<Bytes> {
        let timeout = self.inner.config.timeout;
        let call = async {
            let response = self.send(method, path_and_query, body).await?;
            let code = response.status();
            let bytes = read_body(response.into_body()).await?;
            if !code.is_success() {
                return Err(Error::from(status_of_response(code.as_u16(), &bytes)));
            }
            Ok(bytes)
        };
        tokio::time::timeout(timeout, call).await.map_err(|_| Error::Timeout(timeout))?
    }

    /// Sends a request whose answer streams (a watch, `logs -f`): an error answer becomes
    /// [`Error::Api`]; a successful one is returned unread.
    pub async fn request_stream(&self, method: Method, path_and_query: &str) -> Result<Incoming> {
        let response = self.send(method, path_and_query, None).await?;
        let code = response.status();
        if code.is_success() {
            return Ok(response.into_body());
        }
        let bytes = read_body(response.into_body()).await?;
        Err(Error::from(status_of_response(code.as_u16(), &bytes)))
    }

    /// The `Authorization` header the configured credentials call for.
    fn authorization(&self) -> Result<Option<HeaderValue>> {
        let value = match &self.inner.config.auth {
            Auth::None => return Ok(None),
            Auth::Bearer(token) => format!("Bearer {token}"),
            Auth::BearerFile(path) => format!("Bearer {}", self.file_token(path)?),
            Auth::Basic { username, password } => {
                use base64::Engine;
                let pair = format!("{username}:{password}");
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
            }
        };
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            Error::Tls("credentials contain characters not allowed in a header".into())
        })?;
        header.set_sensitive(true);
        Ok(Some(header))
    }

    /// The token in `path`, re-read when the cached copy is older than the refresh period.
    fn file_token(&self, path: &std::path::Path) -> Result<String> {
        let mut cached = self.inner.file_token.lock().expect("token cache lock");
        if let Some((read_at, token)) = cached.as_ref()
            && read_at.elapsed() < TOKEN_FILE_REFRESH
        {
            return Ok(token.clone());
        }
        let token = std::fs::read_to_string(path)
            .map_err(|source| crate::config::ConfigError::ReadFile {
                path: path.to_path_buf(),
                source,
            })?
            .trim()
            .to_string();
        *cached = Some((Instant::now(), token.clone()));
        Ok(token)
    }
}

/// Reads a whole response body.
async fn read_body(body: Incoming) -> Result<Bytes> {
    body.collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(|error| Error::Transport(format!("reading the response: {error}")))
}

/// A transport failure with its underlying cause, which hyper's own message hides
/// (`client error (Connect)` says little; `connection refused` says what to fix).
fn describe_transport_error(uri: &str, error: &hyper_util::client::legacy::Error) -> String {
    let mut message = format!("{uri}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}
