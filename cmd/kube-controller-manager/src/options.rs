//! kube-controller-manager's command line: upstream's flag names and defaults, the book's
//! underscore spellings (normalized by `main`), and Go duration values (`40s`, `5m0s`).

use clap::Parser;
use component_base::control_plane::{ConnectionOptions, LeaderElectionOptions, ServingOptions};
use component_base::flags::parse_go_duration;
use component_base::logging::LoggingArgs;
use component_base::version::VersionArgs;
use std::path::PathBuf;
use std::time::Duration;

/// Every flag kube-controller-manager accepts.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "kube-controller-manager",
    about = "The Kubernetes controller manager: the control loops that drive the cluster's \
             state toward what its objects ask for.",
    disable_version_flag = true
)]
pub struct Options {
    #[command(flatten)]
    pub connection: ConnectionOptions,
    #[command(flatten)]
    pub serving: ServingOptions,
    #[command(flatten)]
    pub leader_election: LeaderElectionOptions,
    #[command(flatten)]
    pub concurrency: ConcurrencyOptions,
    #[command(flatten)]
    pub nodes: NodeLifecycleOptions,
    #[command(flatten)]
    pub periods: PeriodOptions,
    #[command(flatten)]
    pub service_accounts: ServiceAccountOptions,
    #[command(flatten)]
    pub logging: LoggingArgs,
    #[command(flatten)]
    pub version: VersionArgs,
}

impl Options {
    /// Parses already-normalized arguments (the program name first).
    pub fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Options::try_parse_from(args)
    }
}

/// How many objects of each kind are synced at once.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ConcurrencyOptions {
    /// Replication controllers synced concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_rc_syncs: usize,
    /// Replica sets synced concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_replicaset_syncs: usize,
    /// Deployments synced concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_deployment_syncs: usize,
    /// Services whose endpoints are synced concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_endpoint_syncs: usize,
    /// Namespaces cleaned up concurrently.
    #[arg(long, default_value_t = 10)]
    pub concurrent_namespace_syncs: usize,
    /// Service account token secrets synced concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_serviceaccount_token_syncs: usize,
    /// Resource quotas recalculated concurrently.
    #[arg(long, default_value_t = 5)]
    pub concurrent_resource_quota_syncs: usize,
    /// Garbage collector workers.
    #[arg(long, default_value_t = 20)]
    pub concurrent_gc_syncs: usize,
}

/// How nodes are judged healthy and what happens to the pods of unhealthy ones.
#[derive(Clone, Debug, PartialEq, clap::Args)]
pub struct NodeLifecycleOptions {
    /// How often node health is checked.
    #[arg(long, default_value = "5s", value_parser = parse_go_duration)]
    pub node_monitor_period: Duration,
    /// How long a node may go without a status update before it is marked unhealthy.
    #[arg(long, default_value = "40s", value_parser = parse_go_duration)]
    pub node_monitor_grace_period: Duration,
    /// How long a newly started node may stay silent before it is marked unhealthy.
    #[arg(long, default_value = "1m0s", value_parser = parse_go_duration)]
    pub node_startup_grace_period: Duration,
    /// How long after a node turns unhealthy its pods are deleted.
    #[arg(long, default_value = "5m0s", value_parser = parse_go_duration)]
    pub pod_eviction_timeout: Duration,
    /// Nodes whose pods are evicted per second.
    #[arg(long, default_value_t = 0.1)]
    pub deleting_pods_qps: f64,
    /// Evictions allowed above the rate in short bursts.
    #[arg(long, default_value_t = 10)]
    pub deleting_pods_burst: u32,
}

/// The periodic full resyncs.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct PeriodOptions {
    /// How often every informer re-delivers every object.
    #[arg(long, default_value = "12h0m0s", value_parser = parse_go_duration)]
    pub min_resync_period: Duration,
    /// How often every resource quota's usage is recalculated.
    #[arg(long, default_value = "5m0s", value_parser = parse_go_duration)]
    pub resource_quota_sync_period: Duration,
    /// How often terminating namespaces are re-examined.
    #[arg(long, default_value = "5m0s", value_parser = parse_go_duration)]
    pub namespace_sync_period: Duration,
}

/// Service account tokens (book 2.4.5).
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ServiceAccountOptions {
    /// A PEM private key to sign service account tokens with; without it no token secrets are
    /// made.
    #[arg(long)]
    pub service_account_private_key_file: Option<PathBuf>,
    /// A CA bundle put into every token secret as `ca.crt`.
    #[arg(long)]
    pub root_ca_file: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use component_base::flags::normalize_args;

    fn parse(args: &[&str]) -> Result<Options, clap::Error> {
        let argv = std::iter::once("kube-controller-manager").chain(args.iter().copied());
        Options::try_parse_args(normalize_args(argv.map(String::from)))
    }

    #[test]
    fn defaults_are_upstreams() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.serving.port, 10252);
        assert_eq!(options.serving.address.to_string(), "127.0.0.1");
        assert!(options.leader_election.leader_elect);
        assert_eq!(options.leader_election.leader_elect_lease_duration, Duration::from_secs(15));
        assert_eq!(options.leader_election.leader_elect_renew_deadline, Duration::from_secs(10));
        assert_eq!(options.leader_election.leader_elect_retry_period, Duration::from_secs(2));
        assert_eq!(options.nodes.node_monitor_grace_period, Duration::from_secs(40));
        assert_eq!(options.nodes.node_monitor_period, Duration::from_secs(5));
        assert_eq!(options.nodes.pod_eviction_timeout, Duration::from_secs(300));
        assert_eq!(options.concurrency.concurrent_rc_syncs, 5);
        assert_eq!(options.connection.master, None);
    }

    #[test]
    fn the_books_spellings_are_accepted() {
        let options = parse(&[
            "--master=http://127.0.0.1:8080",
            "--node_monitor_grace_period=20s",
            "--pod_eviction_timeout=1m",
            "--leader-elect=false",
            "--service_account_private_key_file=/var/run/kubernetes/apiserver.key",
            "--v=2",
        ])
        .unwrap();
        assert_eq!(options.connection.master.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(options.nodes.node_monitor_grace_period, Duration::from_secs(20));
        assert_eq!(options.nodes.pod_eviction_timeout, Duration::from_secs(60));
        assert!(!options.leader_election.leader_elect);
        assert!(options.service_accounts.service_account_private_key_file.is_some());
        assert!(parse(&["--leader-elect"]).unwrap().leader_election.leader_elect);
    }

    #[test]
    fn mistakes_are_refused() {
        assert!(parse(&["--node-monitor-grace-period=soon"]).is_err());
        assert!(parse(&["--no-such-flag"]).is_err());
    }
}
