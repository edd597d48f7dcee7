//! The address and port ranges services draw from, as offsets into a bitmap.

use crate::options::{PortRange, network_of};
use api_types::validation::network::Cidr;
use std::net::IpAddr;

/// Largest bitmap kept for an IPv6 range; upstream also bounds huge ranges.
const MAX_IP_OFFSETS: u128 = 1 << 16;

/// The usable addresses of `--service-cluster-ip-range`: for IPv4 every address but the network
/// and broadcast addresses, for IPv6 every address but the network (subnet-router) address, as
/// upstream's IP allocator counts them. Offset 0 is the first usable address, the one the
/// `kubernetes` service gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    cidr: Cidr,
    /// The first usable address as an integer.
    base: u128,
    size: u64,
}

impl IpRange {
    /// The usable addresses of `cidr`.
    pub fn new(cidr: Cidr) -> Self {
        let network = network_of(cidr);
        let (bits, base) = match network {
            IpAddr::V4(address) => (32, u128::from(u32::from(address))),
            IpAddr::V6(address) => (128, u128::from(address)),
        };
        let host_bits = bits - u32::from(cidr.prefix_length);
        let total = if host_bits >= 127 { u128::MAX } else { 1u128 << host_bits };
        let (base, size) = match network {
            IpAddr::V4(_) if host_bits >= 2 => (base + 1, total - 2),
            IpAddr::V6(_) if host_bits >= 1 => (base + 1, (total - 1).min(MAX_IP_OFFSETS)),
            _ => (base, total),
        };
        IpRange { cidr, base, size: size as u64 }
    }

    /// Number of usable addresses (the bitmap's size).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The CIDR as upstream prints it in `RangeAllocation.range` and in messages.
    pub fn cidr_text(&self) -> String {
        format!("{}/{}", network_of(self.cidr), self.cidr.prefix_length)
    }

    /// The offset of `address`, or `None` when it is not a usable address of the range.
    pub fn offset(&self, address: IpAddr) -> Option<u64> {
        let value = match (address, self.cidr.address) {
            (IpAddr::V4(address), IpAddr::V4(_)) => u128::from(u32::from(address)),
            (IpAddr::V6(address), IpAddr::V6(_)) => u128::from(address),
            _ => return None,
        };
        let offset = value.checked_sub(self.base)?;
        (offset < u128::from(self.size)).then_some(offset as u64)
    }

    /// The address at `offset`.
    pub fn address(&self, offset: u64) -> IpAddr {
        let value = self.base + u128::from(offset);
        match self.cidr.address {
            IpAddr::V4(_) => IpAddr::V4((value as u32).into()),
            IpAddr::V6(_) => IpAddr::V6(value.into()),
        }
    }
}

/// The offset of `port` in `range`, or `None` outside it.
pub fn port_offset(range: PortRange, port: i64) -> Option<u64> {
    let port = u16::try_from(port).ok()?;
    range.contains(port).then(|| u64::from(port - range.base))
}

/// The port at `offset` of `range`.
pub fn port_at(range: PortRange, offset: u64) -> i64 {
    i64::from(range.base) + offset as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::validation::network::parse_cidr;

    #[test]
    fn ipv4_ranges_skip_network_and_broadcast() {
        let range = IpRange::new(parse_cidr("10.0.0.0/24").unwrap());
        assert_eq!(range.size(), 254);
        assert_eq!(range.address(0), "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(range.offset("10.0.0.254".parse().unwrap()), Some(253));
        assert_eq!(range.offset("10.0.0.255".parse().unwrap()), None);
        assert_eq!(range.offset("10.0.0.0".parse().unwrap()), None);
        assert_eq!(range.offset("10.1.0.5".parse().unwrap()), None);
        assert_eq!(range.cidr_text(), "10.0.0.0/24");
    }

    #[test]
    fn ports_are_offsets_from_the_base() {
        let range: PortRange = "30000-32767".parse().unwrap();
        assert_eq!(port_offset(range, 30000), Some(0));
        assert_eq!(port_offset(range, 32767), Some(2767));
        assert_eq!(port_offset(range, 80), None);
        assert_eq!(port_offset(range, 32768), None);
        assert_eq!(port_at(range, 5), 30005);
    }
}
