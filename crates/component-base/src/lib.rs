//! What every component binary shares: logging, the /healthz and /metrics server, shutdown on
//! signals, and the version.
