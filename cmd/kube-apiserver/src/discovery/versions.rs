//! `/api`: the versions of the legacy core group, and where clients should reach the server.

use api_types::meta::v1::{APIVersions, ServerAddressByClientCIDR};

/// The `/api` document. `server_address` is the `host:port` clients should use, advertised for
/// every client network (`0.0.0.0/0`). Like `/api/v1`, it carries no `apiVersion`.
pub fn api_versions(server_address: &str) -> APIVersions {
    APIVersions {
        kind: "APIVersions".to_string(),
        api_version: String::new(),
        versions: vec!["v1".to_string()],
        server_address_by_client_cidrs: vec![ServerAddressByClientCIDR {
            client_cidr: "0.0.0.0/0".to_string(),
            server_address: server_address.to_string(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_real_api_document() {
        let body = r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"172.18.0.2:6443"}]}"#;
        assert_eq!(serde_json::to_string(&api_versions("172.18.0.2:6443")).unwrap(), body);
    }
}
