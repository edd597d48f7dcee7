//! The resource quota controller: keeps every ResourceQuota's `status.used` true. `usage`
//! computes what a namespace uses, `status` what a quota's status should be, `controller` runs
//! the loop.

pub mod controller;
pub mod status;
pub mod usage;
