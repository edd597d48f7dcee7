//! Secret and ConfigMap defaults.

use crate::api::core::v1::{ConfigMap, Secret};
use crate::defaults::ApplyDefaults;

/// The type of a secret that declares none: arbitrary user data.
const SECRET_TYPE_OPAQUE: &str = "Opaque";

impl ApplyDefaults for Secret {
    fn apply_defaults(&mut self) {
        if self.type_.is_empty() {
            self.type_ = SECRET_TYPE_OPAQUE.to_string();
        }
    }
}

/// Upstream turns a nil `data` into an empty map, which its encoder then omits: nothing a
/// client can observe, and an empty map is already the only "absent" here.
impl ApplyDefaults for ConfigMap {
    fn apply_defaults(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::{defaulted, defaulted_wire};
    use serde_json::json;

    #[test]
    fn secret_type_defaults_to_opaque() {
        let secret: Secret = defaulted(json!({"metadata": {"name": "s"}, "data": {"k": "dg=="}}));
        assert_eq!(secret.type_, "Opaque");
        let tls: Secret =
            defaulted(json!({"metadata": {"name": "s"}, "type": "kubernetes.io/tls"}));
        assert_eq!(tls.type_, "kubernetes.io/tls");
    }

    #[test]
    fn config_map_wire_form_is_unchanged() {
        let wire = json!({"metadata": {"name": "c", "creationTimestamp": null}});
        assert_eq!(defaulted_wire::<ConfigMap>(wire.clone()), wire);
    }
}
