//! Admission: the namespace plugins upstream runs before a write is stored, chosen by
//! `--admission-control` / `--enable-admission-plugins`.
//!
//! - `NamespaceLifecycle`: no new objects in a missing or terminating namespace; the system
//!   namespaces (`default`, `kube-system`, `kube-public`, `kube-node-lease`) cannot be deleted.
//! - `NamespaceExists`: no new objects in a missing namespace.
//! - `NamespaceAutoProvision`: a create in a missing namespace creates the namespace first.
//! - `AlwaysAdmit`: admits everything (v1.0's default).
//!
//! Upstream's other plugins (`LimitRanger`, `ServiceAccount`, `ResourceQuota`, ...) are
//! recognised, so that the command lines of existing setups keep working, but not enforced yet:
//! each is named in a warning at startup. Any other name is an error.
//!
//! They are applied by [`NamespaceAdmission`], a decorator over each namespaced resource's
//! create and over the Namespace resource's delete.

mod namespaces;

pub use namespaces::NamespaceAdmission;

use std::fmt;

/// The namespaces that exist from the start and that `NamespaceLifecycle` never lets go.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["default", "kube-system", "kube-public", "kube-node-lease"];

/// One admission plugin this apiserver knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plugin {
    AlwaysAdmit,
    NamespaceLifecycle,
    NamespaceExists,
    NamespaceAutoProvision,
}

impl Plugin {
    /// Every known plugin with its flag name.
    const ALL: [(&'static str, Plugin); 4] = [
        ("AlwaysAdmit", Plugin::AlwaysAdmit),
        ("NamespaceLifecycle", Plugin::NamespaceLifecycle),
        ("NamespaceExists", Plugin::NamespaceExists),
        ("NamespaceAutoProvision", Plugin::NamespaceAutoProvision),
    ];

    fn named(name: &str) -> Option<Plugin> {
        Self::ALL.iter().find(|(known, _)| *known == name).map(|(_, plugin)| *plugin)
    }
}

/// Upstream plugins accepted on the command line but not enforced by this apiserver yet.
/// `AlwaysDeny` is deliberately absent: quietly admitting where a deny was asked for would be
/// worse than refusing to start.
const NOT_ENFORCED: &[&str] = &[
    "AlwaysPullImages",
    "CertificateApproval",
    "CertificateSigning",
    "CertificateSubjectRestriction",
    "ClusterTrustBundleAttest",
    "DefaultIngressClass",
    "DefaultStorageClass",
    "DefaultTolerationSeconds",
    "DenyEscalatingExec",
    "DenyExecOnPrivileged",
    "EventRateLimit",
    "ExtendedResourceToleration",
    "ImagePolicyWebhook",
    "InitialResources",
    "LimitPodHardAntiAffinityTopology",
    "LimitRanger",
    "MutatingAdmissionWebhook",
    "NodeRestriction",
    "OwnerReferencesPermissionEnforcement",
    "PersistentVolumeClaimResize",
    "PersistentVolumeLabel",
    "PodNodeSelector",
    "PodSecurity",
    "PodSecurityPolicy",
    "PodTolerationRestriction",
    "Priority",
    "ResourceQuota",
    "RuntimeClass",
    "SecurityContextDeny",
    "ServiceAccount",
    "StorageObjectInUseProtection",
    "TaintNodesByCondition",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
];

/// Plugin names on the command line that this apiserver does not know; a startup error, so that
/// a typo never silently leaves a check off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlugins(pub Vec<String>);

impl fmt::Display for UnknownPlugins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Plugin::ALL.iter().map(|(name, _)| *name).collect();
        write!(f, "unknown admission plugins: {} (known: {})", self.0.join(", "), known.join(", "))
    }
}

impl std::error::Error for UnknownPlugins {}

/// The plugins the flags name, in order. With no plugin named, `NamespaceLifecycle` runs, as it
/// does by default on today's apiservers.
pub fn plugins(names: &[String]) -> Result<Vec<Plugin>, UnknownPlugins> {
    if names.is_empty() {
        return Ok(vec![Plugin::NamespaceLifecycle]);
    }
    let unknown: Vec<String> = names
        .iter()
        .filter(|name| Plugin::named(name).is_none() && !NOT_ENFORCED.contains(&name.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(UnknownPlugins(unknown));
    }
    for name in names.iter().filter(|name| NOT_ENFORCED.contains(&name.as_str())) {
        tracing::warn!(plugin = %name, "admission plugin accepted but not enforced");
    }
    Ok(names.iter().filter_map(|name| Plugin::named(name)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn known_plugins_keep_their_order() {
        assert_eq!(
            plugins(&names(&["NamespaceAutoProvision", "NamespaceLifecycle"])).unwrap(),
            vec![Plugin::NamespaceAutoProvision, Plugin::NamespaceLifecycle]
        );
        assert_eq!(plugins(&[]).unwrap(), vec![Plugin::NamespaceLifecycle]);
    }

    #[test]
    fn upstream_plugins_not_enforced_yet_are_accepted() {
        let book = names(&["NamespaceAutoProvision", "LimitRanger", "SecurityContextDeny"]);
        assert_eq!(plugins(&book).unwrap(), vec![Plugin::NamespaceAutoProvision]);
        assert_eq!(plugins(&names(&["AlwaysDeny"])).unwrap_err().0, names(&["AlwaysDeny"]));
    }

    #[test]
    fn unknown_plugins_are_named_in_the_error() {
        let error = plugins(&names(&["NamespaceExists", "Bogus", "Other"])).unwrap_err();
        assert_eq!(error.0, names(&["Bogus", "Other"]));
        assert!(error.to_string().starts_with("unknown admission plugins: Bogus, Other"));
    }
}
