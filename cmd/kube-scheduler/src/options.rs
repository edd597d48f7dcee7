//! kube-scheduler's command line: upstream's flag names and defaults, the book's underscore
//! spellings (normalized by `main`). The connection, serving and leader-election flags are the
//! control plane's shared ones (`component_base::control_plane`), with the scheduler's defaults
//! (port 10251, Lease `kube-scheduler`).

use crate::algorithm::Algorithm;
use crate::algorithm::provider::DEFAULT_PROVIDER;
use crate::policy::{Policy, PolicyError};
use crate::scheduler::DEFAULT_SCHEDULER_NAME;
use clap::{CommandFactory, FromArgMatches, Parser};
use component_base::control_plane::{ConnectionOptions, LeaderElectionOptions, ServingOptions};
use component_base::logging::LoggingArgs;
use component_base::version::VersionArgs;
use std::path::PathBuf;

/// The scheduler's health and metrics port (upstream's insecure port).
pub const DEFAULT_PORT: u16 = 10251;
const DEFAULT_PORT_TEXT: &str = "10251";

/// Every flag kube-scheduler accepts.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "kube-scheduler",
    about = "The Kubernetes scheduler: assigns every pod without a node to the node that suits \
             it best.",
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
    pub scheduling: SchedulingOptions,
    #[command(flatten)]
    pub logging: LoggingArgs,
    #[command(flatten)]
    pub version: VersionArgs,
}

/// What and how to schedule.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct SchedulingOptions {
    /// The set of predicates and priorities to use (`DefaultProvider`,
    /// `ClusterAutoscalerProvider`); ignored when a policy file is given.
    #[arg(long, default_value = DEFAULT_PROVIDER)]
    pub algorithm_provider: String,
    /// A JSON `Policy` file naming the predicates and priorities (with weights and arguments).
    #[arg(long)]
    pub policy_config_file: Option<PathBuf>,
    /// Only pods whose `spec.schedulerName` is this are scheduled; also the events' source.
    #[arg(long, default_value = DEFAULT_SCHEDULER_NAME)]
    pub scheduler_name: String,
    /// Percentage of nodes to find feasible before scoring; 0 adapts it to the cluster size.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub percentage_of_nodes_to_score: u32,
    /// Threads checking nodes for one pod; 0 means one per CPU.
    #[arg(long, default_value_t = 0)]
    pub parallelism: usize,
}

impl SchedulingOptions {
    /// The algorithm the flags ask for: the policy file's, else the provider's.
    pub fn algorithm(&self) -> Result<Algorithm, PolicyError> {
        match &self.policy_config_file {
            Some(path) => Algorithm::from_policy(&Policy::from_file(path)?),
            None => Algorithm::from_provider(&self.algorithm_provider),
        }
    }
}

impl Options {
    /// Parses already-normalized arguments (the program name first).
    pub fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let command = Options::command()
            .mut_arg("port", |arg| arg.default_value(DEFAULT_PORT_TEXT))
            .mut_arg("leader_elect_resource_name", |arg| arg.default_value("kube-scheduler"));
        let matches = command.try_get_matches_from(args)?;
        Options::from_arg_matches(&matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use component_base::flags::normalize_args;

    fn parse(args: &[&str]) -> Result<Options, clap::Error> {
        let argv = std::iter::once("kube-scheduler").chain(args.iter().copied());
        Options::try_parse_args(normalize_args(argv.map(String::from)))
    }

    #[test]
    fn defaults_are_upstreams() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.serving.port, 10251);
        assert!(options.leader_election.leader_elect);
        assert_eq!(options.leader_election.leader_elect_resource_name, "kube-scheduler");
        assert_eq!(options.leader_election.leader_elect_resource_namespace, "kube-system");
        assert_eq!(options.scheduling.algorithm_provider, "DefaultProvider");
        assert_eq!(options.scheduling.scheduler_name, "default-scheduler");
        assert!(options.scheduling.policy_config_file.is_none());
    }

    #[test]
    fn the_books_spellings_are_accepted() {
        let options = parse(&[
            "--master=http://127.0.0.1:8080",
            "--policy_config_file=/etc/kubernetes/scheduler-policy.json",
            "--algorithm_provider=ClusterAutoscalerProvider",
            "--scheduler-name=my-scheduler",
            "--leader-elect=false",
            "--port=0",
            "--v=2",
        ])
        .unwrap();
        assert_eq!(options.connection.master.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(options.scheduling.algorithm_provider, "ClusterAutoscalerProvider");
        assert_eq!(options.scheduling.scheduler_name, "my-scheduler");
        assert!(options.scheduling.policy_config_file.is_some());
        assert!(!options.leader_election.leader_elect);
        assert_eq!(options.serving.port, 0);
    }

    #[test]
    fn mistakes_are_refused() {
        assert!(parse(&["--no-such-flag"]).is_err());
        assert!(parse(&["--percentage-of-nodes-to-score=150"]).is_err());
        let unknown = parse(&["--algorithm-provider=Nope"]).unwrap();
        assert!(unknown.scheduling.algorithm().is_err());
    }
}
