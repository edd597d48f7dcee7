//! The namespace controller (upstream `pkg/controller/namespace`): deleting a namespace deletes
//! everything in it (book 2.x "Namespace"). A deleted namespace stays `Terminating` while its
//! `kubernetes` finalizer is in `spec.finalizers`; this controller deletes every namespaced
//! object in it, waits until they are gone, and then removes the finalizer through the
//! `finalize` subresource, after which the apiserver removes the namespace.
//!
//! - `content`: which resources to empty and how, and the status conditions that report the
//!   progress (pure);
//! - `controller`: the informer, queue and workers, and the reads and writes.

pub mod content;
pub mod controller;
