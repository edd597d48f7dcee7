//! IP addresses and CIDRs as the API accepts them: parsed the way upstream's "sloppy" parsers do
//! (IPv4 octets may carry leading zeros, read as decimal), so that every address a Go apiserver
//! stored is accepted here too, with upstream's messages for the ones it rejects.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Parses an IP address like upstream's `ParseIPSloppy`: dotted-quad IPv4 whose octets are
/// decimal numbers up to 255 (leading zeros allowed), or IPv6 (including an embedded IPv4 tail).
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        *octet = decimal_at_most(part, 255)?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// A parsed CIDR: the address as written and the prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub address: IpAddr,
    pub prefix_length: u8,
}

/// Parses `address/length` like upstream's `ParseCIDRSloppy`: a sloppy IP and a decimal prefix
/// length no longer than the address.
pub fn parse_cidr(text: &str) -> Option<Cidr> {
    let (address, length) = text.split_once('/')?;
    let address = parse_ip(address)?;
    let max_length = if address.is_ipv4() { 32 } else { 128 };
    let prefix_length = decimal_at_most(length, max_length)?;
    Some(Cidr { address, prefix_length })
}

/// A non-empty run of decimal digits (leading zeros allowed) whose value is at most `max`.
fn decimal_at_most(digits: &str, max: u8) -> Option<u8> {
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u8, |value, byte| {
        let digit = byte.checked_sub(b'0').filter(|digit| *digit <= 9)?;
        value
            .checked_mul(10)
            .and_then(|value| value.checked_add(digit))
            .filter(|value| *value <= max)
    })
}

/// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) counts as IPv4, as in Go.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether an address is IPv6 (and not IPv4-mapped), as upstream's family checks decide.
pub fn is_ipv6(address: IpAddr) -> bool {
    unmapped(address).is_ipv6()
}

/// Whether a list of addresses holds both families (the dual-stack test for clusterIPs).
pub fn is_dual_stack(addresses: &[IpAddr]) -> bool {
    addresses.iter().any(|address| is_ipv6(*address))
        && addresses.iter().any(|address| !is_ipv6(*address))
}

/// The field error for a value that must be an IP address.
pub fn validate_ip(path: &FieldPath, value: &str) -> ErrorList {
    match parse_ip(value) {
        Some(_) => ErrorList::new(),
        None => FieldError::invalid(
            path,
            value,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )
        .into(),
    }
}

/// The field error for a value that must be a CIDR.
pub fn validate_cidr(path: &FieldPath, value: &str) -> ErrorList {
    match parse_cidr(value) {
        Some(_) => ErrorList::new(),
        None => FieldError::invalid(
            path,
            value,
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        )
        .into(),
    }
}

/// Rejects addresses that cannot name a backend: unspecified, loopback and link-local ones
/// (Endpoints addresses, external IPs).
pub fn validate_non_special_ip(path: &FieldPath, value: &str) -> ErrorList {
    let Some(address) = parse_ip(value) else {
        return FieldError::invalid(path, value, "must be a valid IP address").into();
    };
    let mut errors = ErrorList::new();
    let address = unmapped(address);
    let (unspecified, loopback, link_local_unicast, link_local_multicast) = match address {
        IpAddr::V4(v4) => {
            let [first, second, third, _] = v4.octets();
            (
                v4.is_unspecified(),
                v4.is_loopback(),
                first == 169 && second == 254,
                first == 224 && second == 0 && third == 0,
            )
        }
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            (
                v6.is_unspecified(),
                v6.is_loopback(),
                segments[0] & 0xffc0 == 0xfe80,
                segments[0] & 0xff0f == 0xff02,
            )
        }
    };
    if unspecified {
        errors.push(FieldError::invalid(path, value, format!("may not be unspecified ({value})")));
    }
    if loopback {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if link_local_unicast {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if link_local_multicast {
        errors.push(FieldError::invalid(
            path,
            value,
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_is_parsed_sloppily() {
        assert_eq!(parse_ip("010.001.0.255"), Some(IpAddr::V4(Ipv4Addr::new(10, 1, 0, 255))));
        assert_eq!(parse_ip("0000.0.0.0"), Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", "", "1.2.3.4 "] {
            assert_eq!(parse_ip(bad), None, "{bad}");
        }
        assert!(parse_ip("2001:db8::ffff").is_some());
        assert!(parse_ip("::ffff:10.0.0.1").is_some());
        assert_eq!(parse_ip("fe80::1%eth0"), None);
    }

    #[test]
    fn cidrs() {
        let cidr = parse_cidr("10.0.0.0/08").unwrap();
        assert_eq!(cidr.prefix_length, 8);
        assert!(parse_cidr("2001:db8::/64").is_some());
        assert!(parse_cidr("10.0.0.0/0").is_some());
        for bad in ["10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/+8", "x/8"] {
            assert_eq!(parse_cidr(bad), None, "{bad}");
        }
    }

    #[test]
    fn families() {
        let v4 = parse_ip("10.0.0.1").unwrap();
        let v6 = parse_ip("fd00::1").unwrap();
        let mapped = parse_ip("::ffff:10.0.0.1").unwrap();
        assert!(is_dual_stack(&[v4, v6]));
        assert!(!is_dual_stack(&[v4, mapped]));
        assert!(!is_dual_stack(&[v6]));
    }

    #[test]
    fn ip_and_cidr_messages() {
        let path = FieldPath::new("spec").child("externalIPs").index(0);
        assert_eq!(
            validate_ip(&path, "1.2.3")[0].to_string(),
            r#"spec.externalIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#
        );
        assert!(validate_ip(&path, "1.2.3.4").is_empty());
        assert_eq!(
            validate_cidr(&path, "1.2.3.4")[0].detail,
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        );
    }

    #[test]
    fn special_addresses_are_rejected() {
        let path = FieldPath::new("ip");
        let details = |value: &str| -> Vec<String> {
            validate_non_special_ip(&path, value).iter().map(|error| error.detail.clone()).collect()
        };
        assert_eq!(details("0.0.0.0"), ["may not be unspecified (0.0.0.0)"]);
        assert_eq!(
            details("127.0.0.2"),
            ["may not be in the loopback range (127.0.0.0/8, ::1/128)"]
        );
        assert_eq!(
            details("fe80::1"),
            ["may not be in the link-local range (169.254.0.0/16, fe80::/10)"]
        );
        assert_eq!(
            details("224.0.0.9"),
            ["may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"]
        );
        assert_eq!(
            details("ff02::2"),
            ["may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"]
        );
        assert_eq!(
            details("::ffff:127.0.0.1"),
            ["may not be in the loopback range (127.0.0.0/8, ::1/128)"]
        );
        assert!(details("10.1.2.3").is_empty());
        assert_eq!(details("nope"), ["must be a valid IP address"]);
    }
}
