//! The storage conformance suite: one set of cases every [`Storage`] backend must pass.
//!
//! # What it proves
//!
//! The apiserver's promises rest on the storage contract, not on a backend: optimistic
//! concurrency (update is compare-and-swap on the revision, racing writers lose nothing, racing
//! creates have one winner), one global and strictly increasing revision that is every object's
//! `resourceVersion`, lists at past revisions and paged lists that read one consistent snapshot,
//! exact prefix isolation (`/a/b/` never returns `/a/b-2/...`), watches that replay from any
//! revision and resume without gaps or duplicates, deletes that reach watchers with the deleted
//! value, progress reported on request, "too old resource version" (Compacted) after compaction,
//! 1.5 MiB values kept byte for byte, and 100,000 keys listed completely. A backend passing the
//! suite can back the apiserver.
//!
//! # How it runs
//!
//! Each case is `pub async fn case_<name>(store: &Store)`. It claims a key prefix of its own
//! (`/conformance/<run>/<case>-<n>/`, see [`check::Case`]), so cases can run in parallel on one
//! shared store, even one etcd reused across runs. Exception: [`case_compaction`] compacts the
//! whole store, so it needs a store no other running case uses. Cases spawn tasks, so run them on
//! a multi-threaded runtime: `#[tokio::test(flavor = "multi_thread", worker_threads = 4)]`.
//!
//! A failure panics with the case's name, the operation and key involved, and what was expected
//! against what came back (values longer than a line are shown by length, first bytes and first
//! differing offset). Watch reads give up after [`watching::EVENT_DEADLINE`] rather than hang.
//!
//! # Adding a backend
//!
//! Write `tests/conformance_<backend>.rs`: declare `mod storage_conformance;`, write a function
//! that returns a fresh store as a [`Store`], and one `#[tokio::test]` per case calling it (copy
//! `conformance_reference.rs`). Every case is a `pub fn` of a private module, so a backend file
//! that forgets one fails the build with an unused-function warning under `-D warnings`.
//!
//! # Adding a case
//!
//! Add `pub async fn case_<name>(store: &Store)` to the module for its area, re-export it here, and
//! add a test calling it to every backend file. Write through [`history::History`], which checks
//! each write and turns the case's writes into the exact lists and watch events to expect.
//!
//! [`Storage`]: kube_apiserver::storage::Storage

pub mod check;
pub mod compaction;
pub mod concurrency;
pub mod crud;
pub mod history;
pub mod listing;
pub mod scale;
pub mod watches;
pub mod watching;

pub use compaction::case_compaction;
pub use concurrency::{case_concurrent_increments, case_create_race};
pub use crud::{case_create_get, case_delete, case_revisions, case_update_compare_and_swap};
pub use listing::{case_list_at_revision, case_list_prefix_isolation, case_paging};
pub use scale::{case_large_values, case_many_keys};
pub use watches::{
    case_watch_deletes, case_watch_from_revision, case_watch_progress, case_watch_resume,
};

/// The store under test, shared with the tasks a case spawns.
pub type Store = std::sync::Arc<dyn kube_apiserver::storage::Storage>;
