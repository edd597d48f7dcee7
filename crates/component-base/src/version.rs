//! The build's version: what `--version` prints and what the apiserver serves at `/version`.
//!
//! Release builds stamp the git facts in through build-time environment variables named like
//! upstream's build scripts (`KUBE_GIT_VERSION`, `KUBE_GIT_COMMIT`, `KUBE_GIT_TREE_STATE`,
//! `KUBE_BUILD_DATE`); a plain `cargo build` falls back to the crate version and placeholder
//! values, as upstream does for ad-hoc builds.

use serde::{Deserialize, Serialize};

/// The program name upstream prints in front of the version.
const PRODUCT_NAME: &str = "Kubernetes";

/// The build date upstream reports when the build did not stamp one.
const UNSTAMPED_BUILD_DATE: &str = "1970-01-01T00:00:00Z";

/// The commit reported when the build did not stamp one.
const UNSTAMPED_GIT_COMMIT: &str = "unknown";

/// Build and platform facts, serialized exactly like upstream's `version.Info` so that
/// `kubectl version` and client libraries can read our `/version` answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VersionInfo {
    /// Major version number as a string, e.g. "1".
    pub major: String,
    /// Minor version number as a string, e.g. "1".
    pub minor: String,
    /// Semantic version with a leading `v`; clients compare versions on this field.
    pub git_version: String,
    /// The commit the binary was built from.
    pub git_commit: String,
    /// "clean" or "dirty" when stamped; empty for unstamped builds, as upstream.
    pub git_tree_state: String,
    /// Build time in RFC 3339 form (`YYYY-MM-DDTHH:MM:SSZ`).
    pub build_date: String,
    /// Upstream reports the Go toolchain here; we report the Rust compiler that built us.
    pub go_version: String,
    /// The compiler family ("gc" upstream, "rustc" here).
    pub compiler: String,
    /// `<os>/<arch>` spelled with Go's names, e.g. `linux/amd64`.
    pub platform: String,
}

impl VersionInfo {
    /// The version of this build, from build-time stamps or the crate version.
    pub fn current() -> Self {
        let git_version = option_env!("KUBE_GIT_VERSION")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("v{}", env!("CARGO_PKG_VERSION")));
        let (major, minor) = major_minor(&git_version);
        VersionInfo {
            major,
            minor,
            git_version,
            git_commit: option_env!("KUBE_GIT_COMMIT").unwrap_or(UNSTAMPED_GIT_COMMIT).to_owned(),
            git_tree_state: option_env!("KUBE_GIT_TREE_STATE").unwrap_or_default().to_owned(),
            build_date: option_env!("KUBE_BUILD_DATE").unwrap_or(UNSTAMPED_BUILD_DATE).to_owned(),
            go_version: env!("COMPONENT_BASE_RUSTC_VERSION").to_owned(),
            compiler: "rustc".to_owned(),
            platform: format!("{}/{}", std::env::consts::OS, go_arch(std::env::consts::ARCH)),
        }
    }
}

impl std::fmt::Display for VersionInfo {
    /// Displays as the git version, which is what upstream prints for a version.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.git_version)
    }
}

/// Splits `v1.2.3-beta+meta` into ("1", "2"); parts that are not numbers come back empty, which
/// is what upstream reports for builds without a proper version.
fn major_minor(git_version: &str) -> (String, String) {
    let core = git_version.trim_start_matches('v');
    let core = core.split(['-', '+']).next().unwrap_or_default();
    let mut parts = core.split('.').map(|part| {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            part.to_owned()
        } else {
            String::new()
        }
    });
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or_default();
    (major, minor)
}

/// Maps Rust's architecture names onto Go's (`GOARCH`), since clients parse `platform` with
/// Go's vocabulary in mind.
fn go_arch(rust_arch: &str) -> &str {
    match rust_arch {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "loongarch64" => "loong64",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "mips64" if cfg!(target_endian = "little") => "mips64le",
        "mips" if cfg!(target_endian = "little") => "mipsle",
        other => other,
    }
}

/// The `--version` flag every component accepts, like upstream's `--version[=raw]`.
///
/// Binaries flatten this into their clap parser instead of using clap's built-in version flag,
/// so the output matches upstream's.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct VersionArgs {
    /// Print version information and quit; `--version=raw` prints every build field.
    #[arg(
        long = "version",
        value_enum,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false"
    )]
    pub version: VersionFlag,
}

/// What `--version` was asked to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum VersionFlag {
    /// Not requested: the binary runs normally.
    #[default]
    False,
    /// Print `Kubernetes <gitVersion>`.
    True,
    /// Print every field of [`VersionInfo`].
    Raw,
}

impl VersionArgs {
    /// The text `--version` asks for, if it was given; separate from printing so it can be tested.
    pub fn requested_output(&self) -> Option<String> {
        let info = VersionInfo::current();
        match self.version {
            VersionFlag::False => None,
            VersionFlag::True => Some(format!("{PRODUCT_NAME} {info}")),
            VersionFlag::Raw => Some(format!("{info:#?}")),
        }
    }

    /// Prints the requested version text and exits successfully, as upstream binaries do right
    /// after parsing flags; returns normally when `--version` was not given.
    pub fn print_and_exit_if_requested(&self) {
        if let Some(text) = self.requested_output() {
            println!("{text}");
            std::process::exit(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        version: VersionArgs,
    }

    #[test]
    fn json_has_upstream_keys_in_upstream_order() {
        let info = VersionInfo {
            major: "1".into(),
            minor: "1".into(),
            git_version: "v1.1.0".into(),
            git_commit: "abc".into(),
            git_tree_state: "clean".into(),
            build_date: "2015-11-09T00:00:00Z".into(),
            go_version: "rustc 1.85.0".into(),
            compiler: "rustc".into(),
            platform: "linux/amd64".into(),
        };
        let json = serde_json::to_string(&info).unwrap();
        assert_eq!(
            json,
            r#"{"major":"1","minor":"1","gitVersion":"v1.1.0","gitCommit":"abc","gitTreeState":"clean","buildDate":"2015-11-09T00:00:00Z","goVersion":"rustc 1.85.0","compiler":"rustc","platform":"linux/amd64"}"#
        );
        let back: VersionInfo = serde_json::from_str(&json).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn current_version_is_consistent() {
        let info = VersionInfo::current();
        assert!(info.git_version.starts_with('v'), "{}", info.git_version);
        assert_eq!(major_minor(&info.git_version), (info.major, info.minor));
        assert_eq!(info.compiler, "rustc");
        assert!(!info.go_version.is_empty());
        assert!(
            info.platform.starts_with(&format!("{}/", std::env::consts::OS)),
            "{}",
            info.platform
        );
        assert!(!info.platform.contains("x86_64"), "{}", info.platform);
    }

    #[test]
    fn major_minor_comes_from_the_semantic_version() {
        assert_eq!(major_minor("v1.1.0"), ("1".into(), "1".into()));
        assert_eq!(major_minor("v0.1.0"), ("0".into(), "1".into()));
        assert_eq!(major_minor("v1.2-beta.0+abc"), ("1".into(), "2".into()));
        assert_eq!(major_minor("dev"), (String::new(), String::new()));
    }

    #[test]
    fn architectures_use_go_names() {
        assert_eq!(go_arch("x86_64"), "amd64");
        assert_eq!(go_arch("aarch64"), "arm64");
        assert_eq!(go_arch("x86"), "386");
        assert_eq!(go_arch("s390x"), "s390x");
    }

    #[test]
    fn version_flag_forms() {
        let absent = Cli::try_parse_from(["kubelet"]).unwrap();
        assert_eq!(absent.version.version, VersionFlag::False);
        assert_eq!(absent.version.requested_output(), None);

        let bare = Cli::try_parse_from(["kubelet", "--version"]).unwrap();
        let text = bare.version.requested_output().unwrap();
        assert_eq!(text, format!("Kubernetes {}", VersionInfo::current().git_version));

        let raw = Cli::try_parse_from(["kubelet", "--version=raw"]).unwrap();
        let text = raw.version.requested_output().unwrap();
        assert!(text.contains("git_commit"), "{text}");

        let off = Cli::try_parse_from(["kubelet", "--version=false"]).unwrap();
        assert_eq!(off.version.version, VersionFlag::False);
        assert!(Cli::try_parse_from(["kubelet", "--version=bogus"]).is_err());
    }
}
