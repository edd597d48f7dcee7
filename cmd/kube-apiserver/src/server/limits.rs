//! The bounds that keep one client from starving the others: the size of a request body, how many
//! requests run at once, and how long a short request may run. Long-running requests (watches,
//! proxies, logs, exec) are exempt from the last two, as upstream exempts them.

use super::router::{ProxyRequest, ResourceRequest, Route, Verb};
use crate::options::{LimitOptions, parse_go_duration};
use api_types::meta::v1::Status;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Body;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Upstream's limit on a request body: 3 MiB.
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

/// The seconds a client is asked to wait after a 429, as upstream's `Retry-After: 1`.
pub const RETRY_AFTER_SECONDS: i32 = 1;

/// Subresources that stream for as long as the client wants, like upstream's long-running set.
const LONG_RUNNING_SUBRESOURCES: [&str; 5] = ["attach", "exec", "proxy", "log", "portforward"];

/// Whether a request may run for as long as its client wants: watches, proxies, and the
/// streaming subresources. These skip the in-flight limits and the request timeout.
pub fn is_long_running(route: &Route) -> bool {
    match route {
        Route::Proxy(ProxyRequest { .. }) => true,
        Route::Resource(ResourceRequest { verb, path, .. }) => {
            *verb == Verb::Watch
                || path
                    .subresource
                    .as_deref()
                    .is_some_and(|sub| LONG_RUNNING_SUBRESOURCES.contains(&sub))
        }
        _ => false,
    }
}

/// Whether a request changes state, for the mutating in-flight limit.
pub fn is_mutating(route: &Route) -> bool {
    matches!(route, Route::Resource(request) if request.verb.is_mutating())
}

/// `--max-requests-inflight` and `--max-mutating-requests-inflight`: two pools of slots, one for
/// reads, one for writes; a request that finds its pool empty is refused at once with 429.
#[derive(Clone, Debug)]
pub struct InflightLimiter {
    read_only: Option<Arc<Semaphore>>,
    mutating: Option<Arc<Semaphore>>,
}

impl InflightLimiter {
    /// Pools of the given sizes; 0 means unlimited.
    pub fn new(max_read_only: usize, max_mutating: usize) -> Self {
        let pool = |size: usize| (size > 0).then(|| Arc::new(Semaphore::new(size)));
        InflightLimiter { read_only: pool(max_read_only), mutating: pool(max_mutating) }
    }

    /// A slot for one request, held until the returned permit is dropped; `Ok(None)` when the
    /// pool is unlimited; a 429 `Status` when every slot is taken.
    pub fn try_acquire(&self, mutating: bool) -> Result<Option<OwnedSemaphorePermit>, Status> {
        let pool = if mutating { &self.mutating } else { &self.read_only };
        let Some(pool) = pool else {
            return Ok(None);
        };
        Arc::clone(pool).try_acquire_owned().map(Some).map_err(|_| {
            Status::too_many_requests(
                "Too many requests, please try again later.",
                RETRY_AFTER_SECONDS,
            )
        })
    }
}

/// Reads a whole request body, refusing more than `limit` bytes with 413 as upstream does
/// (`Request entity too large: limit is 3145728`).
pub async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, Status>
where
    B: Body<Data = Bytes>,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let too_large = || Status::request_entity_too_large(format!("limit is {limit}"));
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(error) => Err(Status::bad_request(format!("reading the request body failed: {error}"))),
    }
}

/// How long a short request may run: the `timeout` query parameter (a Go duration, as kubectl's
/// `--request-timeout` sends it) when shorter than `--request-timeout`, else `--request-timeout`.
/// A malformed value is a 400, as upstream answers it.
pub fn request_deadline(
    limits: &LimitOptions,
    timeout_param: Option<&str>,
) -> Result<Duration, Status> {
    let configured = limits.request_timeout;
    let Some(text) = timeout_param.filter(|text| !text.is_empty()) else {
        return Ok(configured);
    };
    let requested = parse_go_duration(text).map_err(|_| {
        Status::bad_request(format!("invalid timeout specified in the request URL: {text:?}"))
    })?;
    if requested.is_zero() {
        return Ok(configured);
    }
    Ok(requested.min(configured))
}

/// How long a watch lasts: the client's `timeoutSeconds` when given (and positive), else a random
/// time between `--min-request-timeout` and twice that, so watchers of one server do not all
/// reconnect at once. `None` means until the client leaves (`--min-request-timeout=0`).
pub fn watch_duration(timeout_seconds: Option<i64>, min_request_timeout: u64) -> Option<Duration> {
    if let Some(seconds) = timeout_seconds.filter(|seconds| *seconds > 0) {
        return Some(Duration::from_secs(seconds.unsigned_abs()));
    }
    if min_request_timeout == 0 {
        return None;
    }
    let base = min_request_timeout as f64;
    Some(Duration::from_secs_f64(base * (1.0 + fastrand::f64())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::router::route;
    use http_body_util::Full;
    use hyper::Method;
    use hyper::body::Frame;

    fn limits(request_timeout: u64) -> LimitOptions {
        LimitOptions {
            max_requests_inflight: 1,
            max_mutating_requests_inflight: 1,
            min_request_timeout: 1800,
            request_timeout: Duration::from_secs(request_timeout),
        }
    }

    #[test]
    fn long_running_requests() {
        let long =
            |method: Method, path: &str, watch: bool| is_long_running(&route(&method, path, watch));
        assert!(long(Method::GET, "/api/v1/pods", true));
        assert!(long(Method::GET, "/api/v1/watch/pods", false));
        assert!(long(Method::GET, "/api/v1/namespaces/a/pods/b/log", false));
        assert!(long(Method::POST, "/api/v1/namespaces/a/pods/b/exec", false));
        assert!(long(Method::GET, "/api/v1/proxy/nodes/n1/stats", false));
        assert!(long(Method::GET, "/api/v1/namespaces/a/services/b/proxy/x", false));
        assert!(!long(Method::GET, "/api/v1/pods", false));
        assert!(!long(Method::PUT, "/api/v1/namespaces/a/pods/b/status", false));
        assert!(!long(Method::GET, "/api", false));
        assert!(is_mutating(&route(&Method::DELETE, "/api/v1/namespaces/a/pods", false)));
        assert!(!is_mutating(&route(&Method::GET, "/api/v1/namespaces/a/pods", false)));
    }

    #[test]
    fn inflight_pools_are_separate_and_refuse_with_429() {
        let limiter = InflightLimiter::new(1, 1);
        let read = limiter.try_acquire(false).unwrap();
        assert!(read.is_some());
        let refused = limiter.try_acquire(false).unwrap_err();
        assert_eq!(refused.code, 429);
        assert_eq!(refused.message, "Too many requests, please try again later.");
        assert_eq!(refused.retry_after_seconds(), Some(1));
        let write = limiter.try_acquire(true).unwrap();
        assert!(write.is_some());
        drop(read);
        assert!(limiter.try_acquire(false).unwrap().is_some());

        let unlimited = InflightLimiter::new(0, 0);
        let permits: Vec<_> = (0..1000).map(|_| unlimited.try_acquire(false).unwrap()).collect();
        assert!(permits.iter().all(Option::is_none));
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_413() {
        let body = Full::new(Bytes::from(vec![b'x'; 10]));
        assert_eq!(read_body(body, 10).await.unwrap().len(), 10);

        let body = Full::new(Bytes::from(vec![b'x'; 11]));
        let status = read_body(body, 10).await.unwrap_err();
        assert_eq!(status.code, 413);
        assert_eq!(status.message, "Request entity too large: limit is 10");

        // A body without a known length is cut off while streaming.
        let streamed = Chunks((0..4).map(|_| Bytes::from_static(b"xxxx")).collect());
        let status = read_body(streamed, 10).await.unwrap_err();
        assert_eq!(status.code, 413);
    }

    /// A body of chunks whose total length is unknown up front, like a chunked upload.
    struct Chunks(Vec<Bytes>);

    impl Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _context: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            let next = (!self.0.is_empty()).then(|| Ok(Frame::data(self.0.remove(0))));
            std::task::Poll::Ready(next)
        }
    }

    #[test]
    fn request_deadlines() {
        let limits = limits(60);
        assert_eq!(request_deadline(&limits, None).unwrap(), Duration::from_secs(60));
        assert_eq!(request_deadline(&limits, Some("5s")).unwrap(), Duration::from_secs(5));
        assert_eq!(request_deadline(&limits, Some("10m")).unwrap(), Duration::from_secs(60));
        assert_eq!(request_deadline(&limits, Some("0s")).unwrap(), Duration::from_secs(60));
        let status = request_deadline(&limits, Some("soon")).unwrap_err();
        assert_eq!(status.code, 400);
        assert!(status.message.contains("invalid timeout"), "{}", status.message);
    }

    #[test]
    fn watch_durations() {
        assert_eq!(watch_duration(Some(5), 1800), Some(Duration::from_secs(5)));
        assert_eq!(watch_duration(None, 0), None);
        for _ in 0..100 {
            let duration = watch_duration(None, 10).unwrap();
            assert!(duration >= Duration::from_secs(10) && duration < Duration::from_secs(20));
            let duration = watch_duration(Some(0), 10).unwrap();
            assert!(duration >= Duration::from_secs(10), "{duration:?}");
        }
    }
}
