//! Endpoints: every subset has addresses, every address is a usable IP (with a valid hostname
//! and node name), every port is a valid, named-when-several port with a known protocol.

use crate::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset, Endpoints};
use crate::validation::common::{
    validate_dns1123_label, validate_protocol, validate_qualified_name,
};
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::{name_is_dns_subdomain, port_number_errors};
use crate::validation::network::{validate_ip, validate_non_special_ip};
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};

impl Validate for Endpoints {
    fn validate(&self) -> ErrorList {
        validate_endpoints(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        // Node names may change on update: an address can move when a node IP or pod CIDR is
        // reused.
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_endpoints(self));
        errors
    }
}

fn validate_endpoints(endpoints: &Endpoints) -> ErrorList {
    let mut errors = validate_core_object_meta(
        &endpoints.metadata,
        true,
        name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let subsets_path = FieldPath::new("subsets");
    for (index, subset) in endpoints.subsets.iter().enumerate() {
        errors.append(validate_subset(subset, &subsets_path.index(index)));
    }
    errors
}

fn validate_subset(subset: &EndpointSubset, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    // A headless service's endpoints may have no ports, but never no addresses.
    if subset.addresses.is_empty() && subset.not_ready_addresses.is_empty() {
        errors.push(FieldError::required(path, "must specify `addresses` or `notReadyAddresses`"));
    }
    for (index, address) in subset.addresses.iter().enumerate() {
        errors.append(validate_address(address, &path.child("addresses").index(index)));
    }
    for (index, address) in subset.not_ready_addresses.iter().enumerate() {
        errors.append(validate_address(address, &path.child("notReadyAddresses").index(index)));
    }
    let require_names = subset.ports.len() > 1;
    for (index, port) in subset.ports.iter().enumerate() {
        errors.append(validate_port(port, require_names, &path.child("ports").index(index)));
    }
    errors
}

fn validate_address(address: &EndpointAddress, path: &FieldPath) -> ErrorList {
    let ip_path = path.child("ip");
    let mut errors = validate_ip(&ip_path, &address.ip);
    if !address.hostname.is_empty() {
        errors.append(validate_dns1123_label(&address.hostname, &path.child("hostname")));
    }
    if let Some(node_name) = &address.node_name {
        for message in name_is_dns_subdomain(node_name, false) {
            errors.push(FieldError::invalid(&path.child("nodeName"), node_name, message));
        }
    }
    errors.append(validate_non_special_ip(&ip_path, &address.ip));
    errors
}

fn validate_port(port: &EndpointPort, require_name: bool, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let name_path = path.child("name");
    if require_name && port.name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else if !port.name.is_empty() {
        errors.append(validate_dns1123_label(&port.name, &name_path));
    }
    for message in port_number_errors(i64::from(port.port)) {
        errors.push(FieldError::invalid(&path.child("port"), port.port, message));
    }
    errors.append(validate_protocol(&port.protocol, &path.child("protocol")));
    if let Some(app_protocol) = &port.app_protocol {
        errors.append(validate_qualified_name(app_protocol, &path.child("appProtocol")));
    }
    errors
}
