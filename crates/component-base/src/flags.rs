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

use std::time::Duration;

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

/// Parses a Go `time.Duration` string (`60s`, `1m30s`, `1.5h`, `500ms`); a bare number is
/// taken as seconds, which is how upstream's older flags were written.
pub fn parse_go_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration {text:?}");
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid());
    }
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_end =
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).ok_or_else(invalid)?;
        let (number, after) = rest.split_at(number_end);
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let unit_end = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, remainder) = after.split_at(unit_end);
        let seconds_per_unit = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(invalid()),
        };
        total += value * seconds_per_unit;
        rest = remainder;
    }
    Duration::try_from_secs_f64(total).map_err(|_| invalid())
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
    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_go_duration("1m0s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_go_duration("1h2m3s"), Ok(Duration::from_secs(3723)));
        assert_eq!(parse_go_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_go_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_go_duration("45"), Ok(Duration::from_secs(45)));
        for bad in ["", "s", "1x", "-1s", "1.s.", "m1"] {
            assert!(parse_go_duration(bad).is_err(), "{bad}");
        }
    }
}
