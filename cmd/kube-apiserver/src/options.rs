//! kube-apiserver's command line, with upstream's flag names, defaults and legacy aliases.
//!
//! `main` normalizes the book's underscore spellings (`--insecure_port`) before clap sees them;
//! every other unknown flag is an error, so a typo never silently falls back to a default.

use crate::storage::StorageFlags;
use api_types::validation::network::{Cidr, parse_cidr};
use clap::Parser;
use component_base::logging::LoggingArgs;
use component_base::version::VersionArgs;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Go duration flags (`60s`, `5m`), shared by every component.
pub use component_base::flags::parse_go_duration;

/// Every flag kube-apiserver accepts.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "kube-apiserver",
    about = "The Kubernetes API server: validates and stores the cluster's objects and serves \
             them over REST and watch.",
    disable_version_flag = true
)]
pub struct Options {
    #[command(flatten)]
    pub serving: ServingOptions,
    #[command(flatten)]
    pub limits: LimitOptions,
    #[command(flatten)]
    pub services: ServiceOptions,
    #[command(flatten)]
    pub admission: AdmissionOptions,
    #[command(flatten)]
    pub kubelet: KubeletOptions,
    #[command(flatten)]
    pub storage: StorageFlags,
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

/// Where the two ports listen and how the secure one gets its certificate.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ServingOptions {
    /// Address of the insecure port: no authentication, no authorization. 0.0.0.0 serves every
    /// interface. `--address` is the v1.0 name.
    #[arg(long, alias = "address", default_value = "127.0.0.1")]
    pub insecure_bind_address: IpAddr,
    /// Port of the insecure HTTP API; 0 turns it off. `--port` is the v1.0 name.
    #[arg(long, alias = "port", default_value_t = 8080)]
    pub insecure_port: u16,
    /// Address of the secure (HTTPS) port. `--public-address-override` is the v1.0 name.
    #[arg(long, alias = "public-address-override", default_value = "0.0.0.0")]
    pub bind_address: IpAddr,
    /// Port of the HTTPS API; 0 turns it off.
    #[arg(long, default_value_t = 6443)]
    pub secure_port: u16,
    /// The address advertised to the cluster's members (the `kubernetes` service's endpoint);
    /// by default the --bind-address, or this host's address when that is 0.0.0.0.
    #[arg(long)]
    pub advertise_address: Option<IpAddr>,
    /// PEM certificate (chain) of the HTTPS port; with --tls-private-key-file.
    #[arg(long, requires = "tls_private_key_file")]
    pub tls_cert_file: Option<PathBuf>,
    /// PEM private key of --tls-cert-file.
    #[arg(long, requires = "tls_cert_file")]
    pub tls_private_key_file: Option<PathBuf>,
    /// Where a self-signed certificate is kept (apiserver.crt, apiserver.key) when no
    /// --tls-cert-file is given; one is generated on first start.
    #[arg(long, default_value = "/var/run/kubernetes")]
    pub cert_dir: PathBuf,
}

/// How much work the server accepts at once and how long a request may take.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct LimitOptions {
    /// Most non-mutating requests served at once; more get 429. 0 means no limit. Watches and
    /// other long-running requests do not count.
    #[arg(long, default_value_t = 400)]
    pub max_requests_inflight: usize,
    /// Most mutating requests (create, update, patch, delete) served at once; 0 means no limit.
    #[arg(long, default_value_t = 200)]
    pub max_mutating_requests_inflight: usize,
    /// Seconds a watch lasts at least when the client sets no timeoutSeconds: each watch gets a
    /// random duration between this and twice this, spreading reconnects out.
    #[arg(long, default_value_t = 1800)]
    pub min_request_timeout: u64,
    /// How long a non-long-running request may take before it fails with 504 (`60s`, `1m`).
    #[arg(long, default_value = "60s", value_parser = parse_go_duration)]
    pub request_timeout: Duration,
}

/// Address ranges that services draw from.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ServiceOptions {
    /// The CIDR that service cluster IPs are allocated from; must not overlap node or pod
    /// networks.
    #[arg(long, default_value = "10.0.0.0/24", value_parser = parse_service_cidr)]
    pub service_cluster_ip_range: Cidr,
    /// The inclusive range NodePort services draw their ports from (`30000-32767`).
    #[arg(long, default_value = "30000-32767")]
    pub service_node_port_range: PortRange,
}

/// The admission chain, as names; the admission module interprets them.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct AdmissionOptions {
    /// Admission plugins in order, comma separated (the v1.0 flag the book uses).
    #[arg(long, value_delimiter = ',')]
    pub admission_control: Vec<String>,
    /// Admission plugins to enable, comma separated (today's flag).
    #[arg(long, value_delimiter = ',')]
    pub enable_admission_plugins: Vec<String>,
}

impl AdmissionOptions {
    /// The plugins to run: the legacy list first, in its order, then any further plugins named
    /// by --enable-admission-plugins.
    pub fn plugins(&self) -> Vec<String> {
        let mut plugins: Vec<String> = Vec::new();
        let named = self.admission_control.iter().chain(&self.enable_admission_plugins);
        for name in named.map(|name| name.trim()).filter(|name| !name.is_empty()) {
            if !plugins.iter().any(|known| known == name) {
                plugins.push(name.to_string());
            }
        }
        plugins
    }
}

/// How the apiserver reaches kubelets, for logs, exec, attach, port-forward and the node proxy.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct KubeletOptions {
    /// The kubelet port used when a node does not report one in
    /// `status.daemonEndpoints.kubeletEndpoint.Port`.
    #[arg(long, default_value_t = 10250)]
    pub kubelet_port: u16,
    /// Talk HTTPS to kubelets (the v1.0 default); `--kubelet-https=false` uses plain HTTP.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub kubelet_https: bool,
    /// PEM CA bundle that kubelets' serving certificates must chain to. Without it the
    /// kubelet's certificate is not verified, as the v1.0 apiserver did not verify it.
    #[arg(long)]
    pub kubelet_certificate_authority: Option<PathBuf>,
    /// PEM client certificate presented to kubelets; with --kubelet-client-key.
    #[arg(long, requires = "kubelet_client_key")]
    pub kubelet_client_certificate: Option<PathBuf>,
    /// PEM private key of --kubelet-client-certificate.
    #[arg(long, requires = "kubelet_client_certificate")]
    pub kubelet_client_key: Option<PathBuf>,
    /// How long connecting to a kubelet (and its TLS handshake) may take (`5s`).
    #[arg(long, default_value = "5s", value_parser = parse_go_duration)]
    pub kubelet_timeout: Duration,
    /// Node address types tried in order to reach a kubelet, comma separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP"
    )]
    pub kubelet_preferred_address_types: Vec<String>,
}

/// An inclusive range of ports, as upstream's `--service-node-port-range` takes it:
/// `30000-32767`, `30000+2767` (base plus size) or a single port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortRange {
    pub base: u16,
    /// Number of ports; the range is `base..base + size`.
    pub size: u32,
}

impl PortRange {
    /// Whether `port` lies in the range.
    pub fn contains(&self, port: u16) -> bool {
        let port = u32::from(port);
        let base = u32::from(self.base);
        port >= base && port < base + self.size
    }
}

impl FromStr for PortRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid =
            || format!("invalid port range {text:?}: expected <low>-<high> or <base>+<size>");
        let number = |part: &str| part.trim().parse::<u16>().map_err(|_| invalid());
        let text_trimmed = text.trim();
        let (base, size) = if let Some((low, high)) = text_trimmed.split_once('-') {
            let (low, high) = (number(low)?, number(high)?);
            if high < low {
                return Err(invalid());
            }
            (low, u32::from(high - low) + 1)
        } else if let Some((base, size)) = text_trimmed.split_once('+') {
            let (base, size) = (number(base)?, number(size)?);
            if u32::from(base) + u32::from(size) > u32::from(u16::MAX) + 1 {
                return Err(invalid());
            }
            (base, u32::from(size))
        } else {
            (number(text_trimmed)?, 1)
        };
        if base == 0 || size == 0 {
            return Err(invalid());
        }
        Ok(PortRange { base, size })
    }
}

impl fmt::Display for PortRange {
    /// `low-high`, the form upstream prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let high = u32::from(self.base) + self.size - 1;
        write!(f, "{}-{high}", self.base)
    }
}

/// `--service-cluster-ip-range`: a CIDR whose address is the network itself (no host bits), as
/// upstream requires.
fn parse_service_cidr(text: &str) -> Result<Cidr, String> {
    let cidr = parse_cidr(text.trim()).ok_or_else(|| format!("invalid CIDR address: {text:?}"))?;
    if network_of(cidr) != cidr.address {
        return Err(format!(
            "{text:?} has host bits set; did you mean {}/{}?",
            network_of(cidr),
            cidr.prefix_length
        ));
    }
    Ok(cidr)
}

/// The network address of a CIDR (its address with the host bits cleared).
pub fn network_of(cidr: Cidr) -> IpAddr {
    match cidr.address {
        IpAddr::V4(address) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(cidr.prefix_length)).unwrap_or(0);
            IpAddr::V4((u32::from(address) & mask).into())
        }
        IpAddr::V6(address) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(cidr.prefix_length)).unwrap_or(0);
            IpAddr::V6((u128::from(address) & mask).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use component_base::flags::normalize_args;

    fn parse(args: &[&str]) -> Result<Options, clap::Error> {
        let argv = std::iter::once("kube-apiserver").chain(args.iter().copied());
        Options::try_parse_args(normalize_args(argv.map(String::from)))
    }

    #[test]
    fn defaults_are_upstreams() {
        let options = parse(&[]).unwrap();
        let serving = &options.serving;
        assert_eq!(serving.insecure_bind_address.to_string(), "127.0.0.1");
        assert_eq!(serving.insecure_port, 8080);
        assert_eq!(serving.bind_address.to_string(), "0.0.0.0");
        assert_eq!(serving.secure_port, 6443);
        assert_eq!(serving.cert_dir, PathBuf::from("/var/run/kubernetes"));
        assert_eq!(serving.tls_cert_file, None);
        assert_eq!(options.limits.max_requests_inflight, 400);
        assert_eq!(options.limits.max_mutating_requests_inflight, 200);
        assert_eq!(options.limits.min_request_timeout, 1800);
        assert_eq!(options.limits.request_timeout, Duration::from_secs(60));
        assert_eq!(options.services.service_cluster_ip_range.to_string_form(), "10.0.0.0/24");
        assert_eq!(options.services.service_node_port_range.to_string(), "30000-32767");
        assert!(options.admission.plugins().is_empty());
        assert_eq!(options.storage.etcd_prefix, "/registry");
        assert_eq!(options.kubelet.kubelet_port, 10250);
        assert!(options.kubelet.kubelet_https);
        assert_eq!(options.kubelet.kubelet_timeout, Duration::from_secs(5));
        assert_eq!(
            options.kubelet.kubelet_preferred_address_types,
            ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"]
        );
    }

    #[test]
    fn kubelet_flags() {
        let options = parse(&[
            "--kubelet-https=false",
            "--kubelet-port=10251",
            "--kubelet_timeout=2s",
            "--kubelet-preferred-address-types=InternalIP,Hostname",
        ])
        .unwrap();
        assert!(!options.kubelet.kubelet_https);
        assert_eq!(options.kubelet.kubelet_port, 10251);
        assert_eq!(options.kubelet.kubelet_timeout, Duration::from_secs(2));
        assert_eq!(options.kubelet.kubelet_preferred_address_types, ["InternalIP", "Hostname"]);
        assert!(parse(&["--kubelet-https"]).unwrap().kubelet.kubelet_https);
        let half = parse(&["--kubelet-client-certificate=/tmp/c.pem"]).unwrap_err();
        assert!(half.to_string().contains("--kubelet-client-key"), "{half}");
    }

    #[test]
    fn the_books_command_line_parses() {
        let options = parse(&[
            "--etcd_servers=http://127.0.0.1:4001",
            "--insecure-bind-address=0.0.0.0",
            "--insecure-port=8080",
            "--service-cluster-ip-range=10.254.0.0/16",
            "--service-node-port-range=1-65535",
            "--admission_control=NamespaceAutoProvision,LimitRanger,SecurityContextDeny",
            "--logtostderr=true",
            "--v=0",
        ])
        .unwrap();
        assert_eq!(options.serving.insecure_bind_address.to_string(), "0.0.0.0");
        assert_eq!(options.storage.etcd_servers, ["http://127.0.0.1:4001"]);
        assert_eq!(options.services.service_cluster_ip_range.to_string_form(), "10.254.0.0/16");
        assert!(options.services.service_node_port_range.contains(65535));
        assert_eq!(
            options.admission.plugins(),
            ["NamespaceAutoProvision", "LimitRanger", "SecurityContextDeny"]
        );
    }

    #[test]
    fn legacy_names_are_aliases() {
        let options =
            parse(&["--address=0.0.0.0", "--port=8888", "--public_address_override=10.1.2.3"])
                .unwrap();
        assert_eq!(options.serving.insecure_bind_address.to_string(), "0.0.0.0");
        assert_eq!(options.serving.insecure_port, 8888);
        assert_eq!(options.serving.bind_address.to_string(), "10.1.2.3");
    }

    #[test]
    fn admission_lists_merge_in_order_without_repeats() {
        let options = parse(&[
            "--admission-control=NamespaceLifecycle,LimitRanger",
            "--enable-admission-plugins=LimitRanger,ResourceQuota",
        ])
        .unwrap();
        assert_eq!(
            options.admission.plugins(),
            ["NamespaceLifecycle", "LimitRanger", "ResourceQuota"]
        );
    }

    #[test]
    fn zero_ports_and_limits_are_accepted() {
        let options = parse(&[
            "--secure-port=0",
            "--insecure-port=0",
            "--max-requests-inflight=0",
            "--request-timeout=1m30s",
        ])
        .unwrap();
        assert_eq!(options.serving.secure_port, 0);
        assert_eq!(options.serving.insecure_port, 0);
        assert_eq!(options.limits.max_requests_inflight, 0);
        assert_eq!(options.limits.request_timeout, Duration::from_secs(90));
    }

    #[test]
    fn unknown_and_malformed_flags_fail_naming_the_flag() {
        let unknown = parse(&["--runtime_config=api/all=true"]).unwrap_err();
        assert_eq!(unknown.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(unknown.to_string().contains("--runtime-config"), "{unknown}");

        let bad_cidr = parse(&["--service-cluster-ip-range=10.0.0.1/33"]).unwrap_err();
        assert!(bad_cidr.to_string().contains("--service-cluster-ip-range"), "{bad_cidr}");
        let host_bits = parse(&["--service-cluster-ip-range=10.0.0.1/24"]).unwrap_err();
        assert!(host_bits.to_string().contains("10.0.0.0/24"), "{host_bits}");
        let bad_range = parse(&["--service-node-port-range=32767-30000"]).unwrap_err();
        assert!(bad_range.to_string().contains("--service-node-port-range"), "{bad_range}");
        assert!(parse(&["--insecure-port=70000"]).is_err());
        assert!(parse(&["--request-timeout=soon"]).is_err());
        let half_tls = parse(&["--tls-cert-file=/tmp/cert.pem"]).unwrap_err();
        assert!(half_tls.to_string().contains("--tls-private-key-file"), "{half_tls}");
    }

    #[test]
    fn port_range_forms() {
        let range: PortRange = "30000-32767".parse().unwrap();
        assert_eq!(range, PortRange { base: 30000, size: 2768 });
        assert!(range.contains(30000) && range.contains(32767));
        assert!(!range.contains(29999) && !range.contains(32768));
        assert_eq!("30000+100".parse::<PortRange>().unwrap().to_string(), "30000-30099");
        assert_eq!("8080".parse::<PortRange>().unwrap().to_string(), "8080-8080");
        for bad in ["", "a-b", "0-10", "10-5", "65535+2", "1-2-3"] {
            assert!(bad.parse::<PortRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn network_addresses() {
        let cidr = parse_cidr("10.1.2.3/16").unwrap();
        assert_eq!(network_of(cidr).to_string(), "10.1.0.0");
        let cidr = parse_cidr("fd00::1234/64").unwrap();
        assert_eq!(network_of(cidr).to_string(), "fd00::");
        let cidr = parse_cidr("1.2.3.4/0").unwrap();
        assert_eq!(network_of(cidr).to_string(), "0.0.0.0");
    }

    /// Test helper: a CIDR written back in its usual form.
    trait CidrText {
        fn to_string_form(&self) -> String;
    }

    impl CidrText for Cidr {
        fn to_string_form(&self) -> String {
            format!("{}/{}", self.address, self.prefix_length)
        }
    }
}
