//! Service cluster IPs and node ports: the ranges they come from, kept as bitmaps in storage
//! at upstream's keys, and the Service resource decorator that allocates and releases them.
//!
//! - [`bitmap`]: one range's taken offsets, stored as a `RangeAllocation` and changed under
//!   compare-and-swap;
//! - [`ranges`]: addresses and ports as bitmap offsets;
//! - [`services`]: [`AllocatingServices`], wrapping the generic Service store.

pub mod bitmap;
pub mod ranges;
pub mod services;

pub use bitmap::{AllocationError, PersistedBitmap};
pub use ranges::IpRange;
pub use services::{AllocatingServices, ServiceRanges};

use crate::options::ServiceOptions;
use crate::storage::Storage;
use std::sync::Arc;

/// Where the cluster IP bitmap lives, below the storage prefix (upstream's key).
pub const SERVICE_IPS_KEY: &str = "ranges/serviceips";
/// Where the node port bitmap lives, below the storage prefix (upstream's key).
pub const SERVICE_NODE_PORTS_KEY: &str = "ranges/servicenodeports";

/// The service ranges the flags configure, persisted in `storage` under `prefix`.
pub fn service_ranges(
    options: &ServiceOptions,
    storage: Arc<dyn Storage>,
    prefix: &str,
) -> ServiceRanges {
    let prefix = prefix.trim_end_matches('/');
    let ips = IpRange::new(options.service_cluster_ip_range);
    let ports = options.service_node_port_range;
    ServiceRanges {
        ip_bitmap: PersistedBitmap::new(
            Arc::clone(&storage),
            format!("{prefix}/{SERVICE_IPS_KEY}"),
            ips.cidr_text(),
            ips.size(),
        ),
        ips,
        port_bitmap: PersistedBitmap::new(
            storage,
            format!("{prefix}/{SERVICE_NODE_PORTS_KEY}"),
            ports.to_string(),
            u64::from(ports.size),
        ),
        ports,
    }
}
