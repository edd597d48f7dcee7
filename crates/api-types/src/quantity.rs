//! `Quantity`: fixed-point numbers with SI and binary suffixes (`500m`, `128Mi`, `1e3`).
//!
//! Interim form while the full parser lands: keeps the wire text as given.

use serde::{Deserialize, Serialize};

/// Upstream's `resource.Quantity`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity(pub String);
