//! Command-line spelling compatibility.
//!
//! Upstream's flag library treats `_` and `-` in flag names as the same word separator, and old
//! command lines (including the book's) say `--etcd_servers` or `--insecure_bind_address`. Clap
//! only knows the dashed names, so binaries rewrite the arguments before parsing:
//!
//! ```
//! let args = component_base::flags::normalize_args(
//!     ["kube-apiserver", "--etcd_servers=http://127.0.0.1:4001"].map(String::from),
//! );
//! assert_eq!(args[1], "--etcd-servers=http://127.0.0.1:4001");
//! ```

/// The argument after which everything is positional and must be passed through untouched.
const END_OF_FLAGS: &str = "--";

/// Rewrites long flag names spelled with underscores (`--a_b[=v]`) to their dashed form
/// (`--a-b[=v]`) so clap accepts upstream's spelling.
///
/// Only the name part of `--name` or `--name=value` changes: values, short flags, positional
/// arguments and everything after a bare `--` are kept as given.
pub fn normalize_args<I>(args: I) -> Vec<String>
where
    I: IntoIterator<Item = String>,
{
    let mut flags_ended = false;
    args.into_iter()
        .map(|arg| {
            if flags_ended {
                arg
            } else if arg == END_OF_FLAGS {
                flags_ended = true;
                arg
            } else {
                normalize_long_flag(arg)
            }
        })
        .collect()
}

/// The process's own arguments, normalized; what a `main` hands to clap's `parse_from`.
pub fn normalized_env_args() -> Vec<String> {
    normalize_args(std::env::args())
}

/// Dashes the name of one `--name[=value]` argument; anything else comes back unchanged.
fn normalize_long_flag(arg: String) -> String {
    let Some(flag) = arg.strip_prefix("--") else {
        return arg;
    };
    let name_end = flag.find('=').unwrap_or(flag.len());
    let (name, rest) = flag.split_at(name_end);
    if !name.contains('_') {
        return arg;
    }
    format!("--{}{rest}", name.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(args: &[&str]) -> Vec<String> {
        normalize_args(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn underscores_in_flag_names_become_dashes() {
        assert_eq!(
            normalize(&[
                "kube-apiserver",
                "--insecure_bind_address=0.0.0.0",
                "--etcd_servers",
                "http://127.0.0.1:4001",
                "--service_cluster_ip_range=10.0.0.0/16",
                "--allow_privileged",
            ]),
            [
                "kube-apiserver",
                "--insecure-bind-address=0.0.0.0",
                "--etcd-servers",
                "http://127.0.0.1:4001",
                "--service-cluster-ip-range=10.0.0.0/16",
                "--allow-privileged",
            ]
        );
    }

    #[test]
    fn values_keep_their_underscores() {
        assert_eq!(
            normalize(&[
                "kubelet",
                "--api_servers=http://my_host:8080",
                "--root_dir",
                "/var/lib/a_b"
            ]),
            ["kubelet", "--api-servers=http://my_host:8080", "--root-dir", "/var/lib/a_b"]
        );
        assert_eq!(normalize(&["--v=2", "--x=a_b=c_d"]), ["--v=2", "--x=a_b=c_d"]);
    }

    #[test]
    fn nothing_after_the_terminator_changes() {
        assert_eq!(
            normalize(&["kubectl", "--some_flag", "--", "--not_a_flag", "--"]),
            ["kubectl", "--some-flag", "--", "--not_a_flag", "--"]
        );
    }

    #[test]
    fn short_flags_and_positionals_are_untouched() {
        assert_eq!(
            normalize(&["kube-proxy", "-v", "3", "-a_b", "file_name", "_--x_y"]),
            ["kube-proxy", "-v", "3", "-a_b", "file_name", "_--x_y"]
        );
    }

    #[test]
    fn already_dashed_flags_are_unchanged() {
        assert_eq!(
            normalize(&["--log-format=json", "--logtostderr=true"]),
            ["--log-format=json", "--logtostderr=true"]
        );
    }
}
