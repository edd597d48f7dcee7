//! How a case names itself, claims its keys and fails: every failure message starts with the
//! case's name and says which key and what differed, without dumping megabyte values.

use kube_apiserver::storage::{KeyValue, Result, StorageError};
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// One running case: its name for failure messages and the key prefix no other case (in this or
/// an earlier run against the same etcd) touches.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: &'static str,
    /// Ends with `/`; every key the case writes starts with it.
    pub prefix: String,
}

impl Case {
    /// Starts a case, claiming `/conformance/<run>/<case>-<n>/` as its key space.
    pub fn new(name: &'static str) -> Self {
        static RUN: OnceLock<String> = OnceLock::new();
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let run = RUN.get_or_init(|| {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_nanos());
            format!("{}-{nanos}", std::process::id())
        });
        let n = STARTED.fetch_add(1, Ordering::Relaxed);
        Case { name, prefix: format!("/conformance/{run}/{name}-{n}/") }
    }

    /// The full key of `relative` inside this case's key space.
    pub fn key(&self, relative: &str) -> String {
        format!("{}{relative}", self.prefix)
    }

    /// Ends the case with a message naming it.
    #[track_caller]
    pub fn fail(&self, message: impl Display) -> ! {
        panic!("storage conformance case `{}` failed: {message}", self.name)
    }

    /// Fails unless `holds`; `message` is only built on failure.
    #[track_caller]
    pub fn ensure(&self, holds: bool, message: impl FnOnce() -> String) {
        if !holds {
            self.fail(message());
        }
    }

    /// The value of an operation that must succeed.
    #[track_caller]
    pub fn ok<T>(&self, operation: impl Display, result: Result<T>) -> T {
        result.unwrap_or_else(|error| {
            self.fail(format!("{operation}: unexpected error `{error}` ({error:?})"))
        })
    }

    /// The error of an operation that must fail.
    #[track_caller]
    pub fn error<T>(&self, operation: impl Display, result: Result<T>) -> StorageError {
        match result {
            Ok(_) => self.fail(format!("{operation}: succeeded, but it must fail")),
            Err(error) => error,
        }
    }

    /// Fails unless the operation failed with exactly `expected`.
    #[track_caller]
    pub fn fails_with<T>(
        &self,
        operation: impl Display,
        result: Result<T>,
        expected: StorageError,
    ) {
        let operation = operation.to_string();
        let error = self.error(format_args!("{operation} (expected error `{expected}`)"), result);
        self.ensure(error == expected, || {
            format!("{operation}: expected error {expected:?}, got {error:?}")
        });
    }

    /// Fails unless `actual == expected`, naming `what` was compared.
    #[track_caller]
    pub fn same<T: PartialEq + std::fmt::Debug>(&self, what: impl Display, actual: T, expected: T) {
        self.ensure(actual == expected, || {
            format!("{what}: expected {expected:?}, got {actual:?}")
        });
    }

    /// Fails unless two stored values are equal, naming the first field that differs.
    #[track_caller]
    pub fn same_kv(&self, what: impl Display, actual: &KeyValue, expected: &KeyValue) {
        if actual == expected {
            return;
        }
        let difference = if actual.key != expected.key {
            format!("key is {:?}, expected {:?}", actual.key, expected.key)
        } else if actual.value != expected.value {
            format!("value differs: {}", byte_difference(&actual.value, &expected.value))
        } else {
            format!(
                "revisions are (create {}, mod {}), expected (create {}, mod {})",
                actual.create_revision,
                actual.mod_revision,
                expected.create_revision,
                expected.mod_revision
            )
        };
        self.fail(format!("{what}: key {}: {difference}", expected.key));
    }

    /// Fails unless a list returned exactly `expected`, in order, naming the first item that
    /// differs or is missing or extra.
    #[track_caller]
    pub fn same_items(&self, what: impl Display, actual: &[KeyValue], expected: &[KeyValue]) {
        for (index, (got, wanted)) in actual.iter().zip(expected).enumerate() {
            if got.key != wanted.key {
                self.fail(format!(
                    "{what}: item {index} is key {:?}, expected key {:?} ({} items returned, {} \
                     expected)",
                    got.key,
                    wanted.key,
                    actual.len(),
                    expected.len()
                ));
            }
            self.same_kv(format_args!("{what}: item {index}"), got, wanted);
        }
        if actual.len() > expected.len() {
            self.fail(format!(
                "{what}: {} items returned, {} expected; first extra: {}",
                actual.len(),
                expected.len(),
                show_kv(&actual[expected.len()])
            ));
        }
        if actual.len() < expected.len() {
            self.fail(format!(
                "{what}: {} items returned, {} expected; first missing: {}",
                actual.len(),
                expected.len(),
                show_kv(&expected[actual.len()])
            ));
        }
    }
}

/// A finished task's result; a panic inside it fails the case with the task's own message.
pub fn finished<T>(case: &Case, joined: Result<T, tokio::task::JoinError>) -> T {
    match joined {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => case.fail(format!("a task was cancelled: {error}")),
    }
}

/// A stored value in one line: key, a preview of the value, and its revisions.
pub fn show_kv(kv: &KeyValue) -> String {
    format!(
        "{} = {} (create {}, mod {})",
        kv.key,
        preview(&kv.value),
        kv.create_revision,
        kv.mod_revision
    )
}

/// Short values as text; long text by its start and length; binary by length and first bytes.
pub fn preview(bytes: &[u8]) -> String {
    const SHOWN: usize = 48;
    match std::str::from_utf8(bytes) {
        Ok(text) if text.len() <= SHOWN => format!("{text:?}"),
        Ok(text) => {
            let cut = (0..=SHOWN).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            format!("{:?}... ({} bytes)", &text[..cut], bytes.len())
        }
        Err(_) => {
            format!("<{} bytes starting {:02x?}>", bytes.len(), &bytes[..bytes.len().min(16)])
        }
    }
}

/// Where two byte strings part: their lengths and the first differing offset.
fn byte_difference(actual: &[u8], expected: &[u8]) -> String {
    let first_difference = actual
        .iter()
        .zip(expected)
        .position(|(a, e)| a != e)
        .unwrap_or(actual.len().min(expected.len()));
    format!(
        "got {}, expected {}; first difference at byte {first_difference} of {} returned, {} \
         expected",
        preview(actual),
        preview(expected),
        actual.len(),
        expected.len()
    )
}
