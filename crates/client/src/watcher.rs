//! [`Watcher`]: list-then-watch that never gives up, the event source every cache is fed from
//! (client-go's `Reflector.ListAndWatch`, kube-rs's `watcher`).
//!
//! A raw [`WatchStream`] ends whenever the server ends the request, a
//! connection drops, or history is compacted. The watcher hides all of that behind one sequence
//! of [`Event`]s: it lists (in pages) and reports the whole state as [`Event::Restarted`], then
//! watches from the list's `resourceVersion`, resuming from the last version it saw (bookmarks
//! included) when a watch ends, and listing again when the server answers 410 Gone. Failures
//! wait an exponential, jittered backoff, so a broken server is never hammered.

use crate::api::Api;
use crate::error::Error;
use crate::watch::WatchStream;
use api_types::meta::v1::{ListOptions, WatchEventType, cause_type};
use api_types::resource::Resource;
use std::time::{Duration, Instant};

/// What happened to the watched collection, as a cache applies it.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<K> {
    /// A fresh list: the whole current state. A cache replaces everything it holds with it;
    /// objects it held that are missing were deleted while nobody was watching.
    Restarted(Vec<K>),
    /// An object was created or changed; this is its new state.
    Applied(K),
    /// An object was deleted; this is its last state.
    Deleted(K),
}

/// How a [`Watcher`] lists, watches and backs off. The defaults are upstream's reflector's.
#[derive(Clone, Debug)]
pub struct WatcherConfig {
    /// Passed through to every list and watch (`app=web,tier!=db`).
    pub label_selector: String,
    /// Passed through to every list and watch (`spec.nodeName=node-1`).
    pub field_selector: String,
    /// Items per list page (`limit`); 0 lists in one response.
    pub page_size: i64,
    /// Each watch asks the server to end it (`timeoutSeconds`) after a random time between this
    /// and twice this, so streams are renewed and many clients do not renew in step.
    pub min_watch_timeout: Duration,
    /// Backoff after failures.
    pub backoff: BackoffConfig,
}

impl Default for WatcherConfig {
    fn default() -> Self {
        WatcherConfig {
            label_selector: String::new(),
            field_selector: String::new(),
            page_size: 500,
            min_watch_timeout: Duration::from_secs(300),
            backoff: BackoffConfig::default(),
        }
    }
}

impl WatcherConfig {
    /// These settings with `selector` as the label selector.
    pub fn labels(self, selector: &str) -> Self {
        WatcherConfig { label_selector: selector.to_string(), ..self }
    }

    /// These settings with `selector` as the field selector.
    pub fn fields(self, selector: &str) -> Self {
        WatcherConfig { field_selector: selector.to_string(), ..self }
    }
}

/// Exponential backoff with jitter, reset after a healthy period (upstream's reflector uses
/// 800 ms doubling to 30 s, jitter 1.0, reset after 2 minutes without failures).
#[derive(Clone, Debug)]
pub struct BackoffConfig {
    /// The wait after the first failure.
    pub initial: Duration,
    /// The longest wait, however many failures follow.
    pub max: Duration,
    /// Each wait is stretched by a random fraction of itself up to this (1.0: up to double).
    pub jitter: f64,
    /// A failure this long after the previous one starts again from `initial`.
    pub reset_after: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            initial: Duration::from_millis(800),
            max: Duration::from_secs(30),
            jitter: 1.0,
            reset_after: Duration::from_secs(120),
        }
    }
}

/// The state of one backoff sequence.
#[derive(Debug)]
struct Backoff {
    config: BackoffConfig,
    next: Duration,
    last_failure: Option<Instant>,
}

impl Backoff {
    fn new(config: BackoffConfig) -> Self {
        Backoff { next: config.initial, config, last_failure: None }
    }

    /// How long to wait after a failure now; each call doubles the next wait up to the cap.
    fn delay(&mut self) -> Duration {
        let now = Instant::now();
        if self.last_failure.is_some_and(|last| now - last > self.config.reset_after) {
            self.next = self.config.initial;
        }
        self.last_failure = Some(now);
        let base = self.next;
        self.next = (self.next * 2).min(self.config.max);
        base.mul_f64(1.0 + self.config.jitter.max(0.0) * fastrand::f64())
    }
}

/// A watch shorter than this that delivered nothing counts as a failure, so a server that ends
/// every watch at once is not asked again in a tight loop.
const SHORTEST_HEALTHY_WATCH: Duration = Duration::from_secs(1);

/// How long a watch may take to be answered, and stay silent past its `timeoutSeconds`, before
/// the client gives up on it (a connection that died without a reset never ends on its own).
const WATCH_DEADLINE_GRACE: Duration = Duration::from_secs(30);

/// Where the watcher is between two events.
enum State<K> {
    /// Listing: the items of the pages read so far and the token for the next page.
    Listing { items: Vec<K>, continue_token: String },
    /// Known state up to `resource_version`, no watch open.
    Synced { resource_version: String },
    /// A watch open since `started`, to be abandoned at `deadline`.
    Watching {
        resource_version: String,
        stream: WatchStream<K>,
        started: Instant,
        deadline: tokio::time::Instant,
        delivered: bool,
    },
}

/// The resilient list-and-watch of one collection; see the module documentation.
pub struct Watcher<K> {
    api: Api<K>,
    config: WatcherConfig,
    state: State<K>,
    backoff: Backoff,
    /// When the next request may go out after a failure; kept here rather than in a local
    /// so that a `next` dropped mid-wait still waits on the following call.
    retry_at: Option<tokio::time::Instant>,
}

impl<K: Resource> Watcher<K> {
    /// A watcher of `api`'s collection (a namespace, all namespaces, or a cluster-scoped kind).
    /// Nothing is requested until the first [`next`](Self::next).
    pub fn new(api: Api<K>, config: WatcherConfig) -> Self {
        let backoff = Backoff::new(config.backoff.clone());
        Watcher {
            api,
            config,
            state: State::Listing { items: Vec::new(), continue_token: String::new() },
            backoff,
            retry_at: None,
        }
    }

    /// The collection this watcher follows.
    pub fn api(&self) -> &Api<K> {
        &self.api
    }

    /// The next event. It never fails: errors are logged and retried after a backoff, so this
    /// only returns with something to apply. It is cancel-safe: a call dropped in a `select!`
    /// loses no event (an unanswered request is simply sent again by the next call).
    pub async fn next(&mut self) -> Event<K> {
        loop {
            if let Some(retry_at) = self.retry_at {
                tokio::time::sleep_until(retry_at).await;
                self.retry_at = None;
            }
            let outcome = match &mut self.state {
                State::Listing { .. } => self.list_page().await,
                State::Synced { resource_version } => {
                    let resource_version = resource_version.clone();
                    self.start_watch(resource_version).await
                }
                State::Watching { .. } => self.read_watch().await,
            };
            match outcome {
                Ok(Some(event)) => return event,
                Ok(None) => {}
                Err(error) if needs_relist(&error) => {
                    tracing::info!(resource = %self.api.resource().plural, %error, "relisting");
                    self.state =
                        State::Listing { items: Vec::new(), continue_token: String::new() };
                }
                Err(error) => {
                    let delay = self.backoff.delay();
                    tracing::warn!(
                        resource = %self.api.resource().plural, %error, ?delay,
                        "list/watch failed; retrying"
                    );
                    self.retry_at = Some(tokio::time::Instant::now() + delay);
                }
            }
        }
    }

    /// Reads one list page; the whole list becomes [`Event::Restarted`] with the last page.
    async fn list_page(&mut self) -> Result<Option<Event<K>>, Error> {
        let State::Listing { continue_token, .. } = &self.state else { unreachable!() };
        let options = ListOptions {
            label_selector: self.config.label_selector.clone(),
            field_selector: self.config.field_selector.clone(),
            limit: self.config.page_size,
            continue_: continue_token.clone(),
            ..Default::default()
        };
        let page = match self.api.list(&options).await {
            Ok(page) => page,
            Err(error) => {
                // An expired continue token (410) or any failure starts the list over, since
                // the pages read so far belong to one snapshot.
                self.state = State::Listing { items: Vec::new(), continue_token: String::new() };
                return Err(error);
            }
        };
        let State::Listing { items, continue_token } = &mut self.state else { unreachable!() };
        items.extend(page.items);
        if !page.metadata.continue_.is_empty() {
            *continue_token = page.metadata.continue_;
            return Ok(None);
        }
        let items = std::mem::take(items);
        self.state = State::Synced { resource_version: page.metadata.resource_version };
        Ok(Some(Event::Restarted(items)))
    }

    /// Opens a watch from `resource_version`.
    async fn start_watch(&mut self, resource_version: String) -> Result<Option<Event<K>>, Error> {
        let timeout = self.config.min_watch_timeout.mul_f64(1.0 + fastrand::f64());
        let timeout_seconds = timeout.as_secs().max(1);
        let options = ListOptions {
            label_selector: self.config.label_selector.clone(),
            field_selector: self.config.field_selector.clone(),
            resource_version: resource_version.clone(),
            allow_watch_bookmarks: true,
            timeout_seconds: Some(timeout_seconds as i64),
            ..Default::default()
        };
        let stream = tokio::time::timeout(WATCH_DEADLINE_GRACE, self.api.watch(&options))
            .await
            .map_err(|_| Error::Timeout(WATCH_DEADLINE_GRACE))??;
        let deadline = tokio::time::Instant::now()
            + Duration::from_secs(timeout_seconds)
            + WATCH_DEADLINE_GRACE;
        self.state = State::Watching {
            resource_version,
            stream,
            started: Instant::now(),
            deadline,
            delivered: false,
        };
        Ok(None)
    }

    /// Reads the open watch's next frame.
    async fn read_watch(&mut self) -> Result<Option<Event<K>>, Error> {
        let State::Watching { resource_version, stream, started, deadline, delivered } =
            &mut self.state
        else {
            unreachable!()
        };
        let frame = match tokio::time::timeout_at(*deadline, stream.next()).await {
            Ok(frame) => frame,
            Err(_) => Some(Err(Error::Transport("watch silent past its deadline".into()))),
        };
        let (short, silent) = (started.elapsed() < SHORTEST_HEALTHY_WATCH, !*delivered);
        let resource_version = resource_version.clone();
        let event = match frame {
            Some(Ok(event)) => event,
            Some(Err(error)) => {
                self.state = State::Synced { resource_version };
                return Err(error);
            }
            None => {
                self.state = State::Synced { resource_version };
                if short && silent {
                    return Err(Error::Transport(
                        "watch ended in under a second without an event".into(),
                    ));
                }
                return Ok(None);
            }
        };
        let State::Watching { resource_version, delivered, .. } = &mut self.state else {
            unreachable!()
        };
        *delivered = true;
        let version = &event.object.metadata().resource_version;
        if !version.is_empty() {
            resource_version.clone_from(version);
        }
        Ok(match event.type_ {
            WatchEventType::Added | WatchEventType::Modified => Some(Event::Applied(event.object)),
            WatchEventType::Deleted => Some(Event::Deleted(event.object)),
            WatchEventType::Bookmark | WatchEventType::Error => None,
        })
    }
}

/// Whether `error` means the remembered `resourceVersion` is unusable, so only a fresh list can
/// continue: it was compacted away (410), or the server has not reached it (a server restored
/// from a backup, or a lagging member), which it reports as a timeout with a
/// `ResourceVersionTooLarge` cause.
fn needs_relist(error: &Error) -> bool {
    let too_large =
        error.status().and_then(|status| status.details.as_ref()).is_some_and(|details| {
            details.causes.iter().any(|cause| cause.type_ == cause_type::RESOURCE_VERSION_TOO_LARGE)
        });
    error.is_gone() || too_large
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gone_and_too_large_versions_relist_other_errors_retry() {
        use api_types::meta::v1::{Status, StatusCause, StatusDetails, StatusReason};
        let gone = Error::from(Status::failure(StatusReason::Expired, "too old resource version"));
        assert!(needs_relist(&gone));
        let mut too_large = Status::failure(StatusReason::Timeout, "Too large resource version");
        too_large.details = Some(StatusDetails {
            causes: vec![StatusCause::new(cause_type::RESOURCE_VERSION_TOO_LARGE, "", "")],
            ..Default::default()
        });
        assert!(needs_relist(&Error::from(too_large)));
        let timeout = Error::from(Status::failure(StatusReason::Timeout, "slow"));
        assert!(!needs_relist(&timeout));
        assert!(!needs_relist(&Error::Transport("connection reset".into())));
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap_and_resets_after_quiet() {
        let config = BackoffConfig {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(350),
            jitter: 1.0,
            reset_after: Duration::from_millis(50),
        };
        let mut backoff = Backoff::new(config);
        for base in [100, 200, 350, 350] {
            let delay = backoff.delay();
            let base = Duration::from_millis(base);
            assert!(delay >= base && delay <= base * 2, "{delay:?} for base {base:?}");
        }
        std::thread::sleep(Duration::from_millis(60));
        assert!(backoff.delay() <= Duration::from_millis(200));
    }
}
