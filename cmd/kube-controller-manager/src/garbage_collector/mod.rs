//! The garbage collector (upstream `pkg/controller/garbagecollector`): deletes objects whose
//! owners are all gone, and carries out the two deletion policies the apiserver leaves to it
//! as finalizers on the owner: `orphan` (strip the owner from its dependents' `ownerReferences`,
//! then let the owner go) and `foregroundDeletion` (delete the dependents, blocking ones first,
//! and let the owner go when none remain).
//!
//! - `graph`: who owns whom, by uid, as observed (pure; it says what to look at after a change);
//! - `decide`: what to do with one object given the live state of its owners (pure);
//! - `monitor`: a metadata list-and-watch of every served kind feeding the graph;
//! - `controller`: discovery, the monitors, and the workers that act on live reads.

pub mod controller;
pub mod decide;
pub mod graph;
pub mod monitor;
