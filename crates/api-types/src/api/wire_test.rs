//! Test support for the wire-fidelity tests of every group: the one assertion they all make.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads `wire` as a `T` and writes it back, failing unless the JSON is unchanged (key order
/// aside). Returns the typed value so the caller can also check what was read.
#[track_caller]
pub(crate) fn assert_round_trip<T: Serialize + DeserializeOwned>(wire: &Value) -> T {
    let typed: T = serde_json::from_value(wire.clone())
        .unwrap_or_else(|err| panic!("deserializing {wire}: {err}"));
    let written = serde_json::to_value(&typed).expect("serializing");
    assert_eq!(&written, wire, "round trip changed the JSON");
    typed
}
