//! `meta.k8s.io`: the metadata every object carries and the envelope types of the API.

pub mod v1;
