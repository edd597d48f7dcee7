//! The endpoints controller (book 2.5, 6.3): for every service with a selector, an Endpoints
//! object listing the pods that serve it. `subsets` computes what the object should hold.

pub mod controller;
pub mod subsets;
