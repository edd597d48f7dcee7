//! The resource quota controller: keeps every ResourceQuota's `status.used` true. `usage`
//! computes it.

pub mod usage;
