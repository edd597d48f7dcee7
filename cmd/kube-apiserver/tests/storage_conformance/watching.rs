//! Reading a watch under test: events compared one by one against the case's [`History`], with a
//! deadline so that a backend that never delivers fails the case instead of hanging it.
//!
//! [`History`]: super::history::History

use super::Store;
use super::check::{Case, preview, show_kv};
use kube_apiserver::storage::{
    Result, Revision, StorageError, WatchEvent, WatchEventKind, WatchStream,
};
use std::time::Duration;

/// How long a case waits for an event it expects. Generous: etcd on a loaded machine is slow.
pub const EVENT_DEADLINE: Duration = Duration::from_secs(30);

/// One open watch and the label its failures carry.
pub struct Watch<'a> {
    case: &'a Case,
    label: String,
    stream: WatchStream,
    /// The revision of the latest event delivered, to check order.
    delivered: Revision,
    /// How many events were delivered, to say which one failed.
    count: usize,
}

impl<'a> Watch<'a> {
    /// Opens a watch that must succeed.
    pub async fn open(
        case: &'a Case,
        store: &Store,
        key: &str,
        prefix: bool,
        after_revision: Revision,
    ) -> Watch<'a> {
        let label = format!(
            "watch of {} {key} after revision {after_revision}",
            if prefix { "prefix" } else { "key" }
        );
        let stream =
            case.ok(format!("open {label}"), store.watch(key, prefix, after_revision).await);
        Watch { case, label, stream, delivered: after_revision, count: 0 }
    }

    /// The next change, skipping progress notifications (which must not go backwards).
    pub async fn next_change(&mut self) -> WatchEvent {
        loop {
            let event = match tokio::time::timeout(EVENT_DEADLINE, self.stream.next()).await {
                Err(_) => self.case.fail(format!(
                    "{}: no event {} within {EVENT_DEADLINE:?}",
                    self.label, self.count
                )),
                Ok(None) => self
                    .case
                    .fail(format!("{}: the stream ended before event {}", self.label, self.count)),
                Ok(Some(Err(error))) => self.case.fail(format!(
                    "{}: the stream failed before event {} with `{error}` ({error:?})",
                    self.label, self.count
                )),
                Ok(Some(Ok(event))) => event,
            };
            if event.kind == WatchEventKind::Progress {
                self.case.ensure(event.revision >= self.delivered, || {
                    format!(
                        "{}: progress notification at revision {} after an event at revision {}",
                        self.label, event.revision, self.delivered
                    )
                });
                continue;
            }
            self.delivered = event.revision;
            self.count += 1;
            return event;
        }
    }

    /// Asks the backend for progress and waits for a Progress event at `at_least` or later;
    /// any change arriving first fails the case (the caller has read every change it made).
    pub async fn expect_progress(&mut self, at_least: Revision) -> Revision {
        let asked = self.stream.request_progress();
        self.case.ok(format!("{}: request progress", self.label), asked);
        loop {
            let event = match tokio::time::timeout(EVENT_DEADLINE, self.stream.next()).await {
                Err(_) => self.case.fail(format!(
                    "{}: no progress at revision {at_least} or later within {EVENT_DEADLINE:?}",
                    self.label
                )),
                Ok(None) => self.case.fail(format!("{}: the stream ended", self.label)),
                Ok(Some(Err(error))) => {
                    self.case.fail(format!("{}: the stream failed with `{error}`", self.label))
                }
                Ok(Some(Ok(event))) => event,
            };
            if event.kind != WatchEventKind::Progress {
                self.case.fail(format!(
                    "{}: expected progress, got {}",
                    self.label,
                    describe(&event)
                ));
            }
            self.case.ensure(event.revision >= self.delivered, || {
                format!(
                    "{}: progress at revision {} after an event at revision {}",
                    self.label, event.revision, self.delivered
                )
            });
            self.delivered = event.revision;
            if event.revision >= at_least {
                return event.revision;
            }
        }
    }

    /// Reads exactly `expected`, in order. A following event is not ruled out: cases end their
    /// expectations with a sentinel write, whose event must come next and nothing before it.
    pub async fn expect(&mut self, expected: &[WatchEvent]) {
        for wanted in expected {
            let index = self.count;
            let got = self.next_change().await;
            same_event(self.case, &format!("{}: event {index}", self.label), &got, wanted);
        }
    }
}

/// Fails unless a delivered event is the expected one: kind, revision and object exactly, and
/// the previous value too when the backend supplies one.
#[track_caller]
pub fn same_event(case: &Case, what: &str, got: &WatchEvent, wanted: &WatchEvent) {
    if got.kind != wanted.kind || got.revision != wanted.revision {
        case.fail(format!("{what}: expected {}, got {}", describe(wanted), describe(got)));
    }
    let (Some(got_object), Some(wanted_object)) = (&got.object, &wanted.object) else {
        case.fail(format!("{what}: {} carries no object", describe(got)));
    };
    case.same_kv(
        format!("{what} ({:?} at revision {}): object", got.kind, got.revision),
        got_object,
        wanted_object,
    );
    if let Some(previous) = &got.previous {
        match &wanted.previous {
            Some(wanted_previous) => case.same_kv(
                format!("{what} ({:?}): previous value", got.kind),
                previous,
                wanted_previous,
            ),
            None => case.fail(format!(
                "{what}: {} carries a previous value {}, but the key did not exist before",
                describe(got),
                show_kv(previous)
            )),
        }
    }
}

/// Fails unless a watch from compacted history failed with [`StorageError::Compacted`], either
/// when opened or as the first item of its stream.
pub async fn expect_compacted_watch(case: &Case, what: &str, opened: Result<WatchStream>) {
    let error = match opened {
        Err(error) => error,
        Ok(mut stream) => loop {
            match tokio::time::timeout(EVENT_DEADLINE, stream.next()).await {
                Err(_) => case.fail(format!(
                    "{what}: neither failed nor delivered anything within {EVENT_DEADLINE:?}; \
                     expected a Compacted error"
                )),
                Ok(None) => case
                    .fail(format!("{what}: the stream ended without an error; expected Compacted")),
                Ok(Some(Ok(event))) if event.kind == WatchEventKind::Progress => continue,
                Ok(Some(Ok(event))) => case.fail(format!(
                    "{what}: delivered {} instead of failing with Compacted",
                    describe(&event)
                )),
                Ok(Some(Err(error))) => break error,
            }
        },
    };
    case.ensure(matches!(error, StorageError::Compacted { .. }), || {
        format!("{what}: expected a Compacted error, got {error:?}")
    });
}

/// An event in one line.
fn describe(event: &WatchEvent) -> String {
    match &event.object {
        Some(object) => format!(
            "{:?} of {} at revision {} (value {})",
            event.kind,
            object.key,
            event.revision,
            preview(&object.value)
        ),
        None => format!("{:?} at revision {}", event.kind, event.revision),
    }
}
