//! The `Warning` header upstream sends with every request to a deprecated API
//! (`299 - "v1 ComponentStatus is deprecated in v1.19+"`), which kubectl prints before its
//! output. Upstream derives it from each type's lifecycle markers; the few served types that
//! carry one are listed here.

use crate::registry::ResourceInfo;

/// Served resources upstream marks deprecated: group, version, plural, and the release that
/// deprecated them.
const DEPRECATED: &[(&str, &str, &str, &str)] = &[("", "v1", "componentstatuses", "v1.19")];

/// The `Warning` header value for requests to `info`'s resource, if it is deprecated.
pub fn warning(info: &ResourceInfo) -> Option<String> {
    let (.., since) = DEPRECATED.iter().find(|(group, version, plural, _)| {
        *group == info.group && *version == info.version && *plural == info.plural
    })?;
    let api_version = info.group_version();
    Some(format!("299 - \"{api_version} {} is deprecated in {since}+\"", info.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_statuses_are_deprecated() {
        let mut info = crate::discovery::test_support::pods();
        assert_eq!(warning(&info), None);
        info.kind = "ComponentStatus";
        info.plural = "componentstatuses";
        assert_eq!(
            warning(&info).as_deref(),
            Some("299 - \"v1 ComponentStatus is deprecated in v1.19+\"")
        );
    }
}
