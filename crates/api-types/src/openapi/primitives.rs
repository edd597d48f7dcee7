//! Schemas of the types that serialize by hand, so derived schemas can refer to them.
//!
//! Upstream gives these types hand-written OpenAPI definitions too (they are strings on the wire,
//! whatever their Go shape); the definition names below are upstream's, so `kubectl explain`
//! shows the same type names.

use crate::intstr::IntOrString;
use crate::meta::v1::{MicroTime, Time};
use crate::quantity::Quantity;
use crate::serde_util::ByteString;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// Implements `JsonSchema` for a hand-serialized type as a named definition.
macro_rules! named_schema {
    ($ty:ty, $name:literal, $schema:expr) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

named_schema!(
    Quantity,
    "io.k8s.apimachinery.pkg.api.resource.Quantity",
    json_schema!({
        "description": "A fixed-point number with an optional SI, binary or decimal-exponent suffix \
                        (`100m`, `1Gi`, `2e3`); a plain number is accepted too.",
        "type": "string",
        "x-kubernetes-int-or-string": true
    })
);

named_schema!(
    IntOrString,
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    json_schema!({
        "description": "Either an integer or a string (a port name, a percentage).",
        "type": "string",
        "format": "int-or-string",
        "x-kubernetes-int-or-string": true
    })
);

named_schema!(
    Time,
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    json_schema!({
        "description": "A timestamp in RFC 3339 form, to the second.",
        "type": "string",
        "format": "date-time"
    })
);

named_schema!(
    MicroTime,
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    json_schema!({
        "description": "A timestamp in RFC 3339 form, to the microsecond.",
        "type": "string",
        "format": "date-time"
    })
);

impl JsonSchema for ByteString {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("ByteString")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "byte" })
    }
}
