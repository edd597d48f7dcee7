//! Where a proxied request goes: a host, a port, whether TLS is spoken and how it is verified,
//! and the path and query to ask for. Also the `[scheme:]name[:port]` spelling of proxy targets.

use rustls::ClientConfig;
use std::sync::Arc;

/// One backend URL, resolved from a pod, service or node.
pub struct Location {
    /// An IP address (without brackets) or a DNS name.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The TLS client settings when the backend speaks HTTPS; `None` for plain HTTP.
    pub tls: Option<Arc<ClientConfig>>,
    /// The path to request, starting with `/`.
    pub path: String,
    /// The raw query, without `?`; empty for none.
    pub query: String,
}

impl Location {
    /// `host:port`, with an IPv6 address in brackets, as the `Host` header and messages want it.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The request target: the path and, when there is one, the query.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The whole URL, for log lines and error messages.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}{}", self.authority(), self.path_and_query())
    }
}

/// The scheme a proxy target names, as upstream accepts it (`http`, `https`, or none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Unspecified,
    Http,
    Https,
}

impl Scheme {
    /// The port a URL of this scheme means when it names none.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http | Scheme::Unspecified => 80,
        }
    }
}

/// A proxy target's name as the client wrote it: `name`, `name:port` or `scheme:name:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetName<'a> {
    /// The scheme to speak to the backend.
    pub scheme: Scheme,
    /// The pod, service or node.
    pub name: &'a str,
    /// Empty when none was given.
    pub port: &'a str,
}

/// Splits `[scheme:]name[:port]`, as upstream's `SplitSchemeNamePort`; `None` when the form or
/// the scheme is not one it accepts, or the name is empty.
pub fn split_scheme_name_port(id: &str) -> Option<TargetName<'_>> {
    let parts: Vec<&str> = id.split(':').collect();
    let (scheme, name, port) = match parts.as_slice() {
        [name] => ("", *name, ""),
        [name, port] => ("", *name, *port),
        [scheme, name, port] => (*scheme, *name, *port),
        _ => return None,
    };
    let scheme = match scheme {
        "" => Scheme::Unspecified,
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => return None,
    };
    (!name.is_empty()).then_some(TargetName { scheme, name, port })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names() {
        let split = |id| split_scheme_name_port(id).map(|t| (t.scheme, t.name, t.port));
        assert_eq!(split("web"), Some((Scheme::Unspecified, "web", "")));
        assert_eq!(split("web:8080"), Some((Scheme::Unspecified, "web", "8080")));
        assert_eq!(split("web:http"), Some((Scheme::Unspecified, "web", "http")));
        assert_eq!(split("https:web:443"), Some((Scheme::Https, "web", "443")));
        assert_eq!(split("http:web:"), Some((Scheme::Http, "web", "")));
        assert_eq!(split("ftp:web:21"), None);
        assert_eq!(split(":8080"), None);
        assert_eq!(split("a:b:c:d"), None);
    }

    #[test]
    fn urls() {
        let location = Location {
            host: "fd00::1".into(),
            port: 10250,
            tls: None,
            path: "/containerLogs/ns/web/app".into(),
            query: "follow=true".into(),
        };
        assert_eq!(location.authority(), "[fd00::1]:10250");
        assert_eq!(location.url(), "http://[fd00::1]:10250/containerLogs/ns/web/app?follow=true");
    }
}
