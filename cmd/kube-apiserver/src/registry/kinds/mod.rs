//! Every kind the apiserver serves, each declared once by its `Strategy`: discovery facts
//! (short names, categories, subresources), the create and update hooks of upstream's per-type
//! strategies, field selectors, and the server-side `kubectl get` table. One file per kind or
//! close family; the shared formatting rules live in [`printing`].

mod binding;
mod component_status;
mod config;
mod daemon_set;
mod deployment;
mod endpoints;
mod event;
mod lease;
mod limit_range;
mod namespace;
mod node;
mod persistent_volume;
mod pod;
mod pod_template;
mod printing;
mod replica_set;
mod replication_controller;
mod resource_quota;
mod selectable;
mod service;
mod service_account;
