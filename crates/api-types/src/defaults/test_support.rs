//! The one helper every defaults test uses: default an object given as wire JSON, checking on
//! the way that defaulting is idempotent.

use super::ApplyDefaults;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;

/// Reads `wire` as a `T`, applies defaults, and fails unless a second pass changes nothing.
#[track_caller]
pub(crate) fn defaulted<T>(wire: Value) -> T
where
    T: ApplyDefaults + DeserializeOwned + Clone + PartialEq + Debug,
{
    let mut object: T =
        serde_json::from_value(wire.clone()).unwrap_or_else(|err| panic!("reading {wire}: {err}"));
    object.apply_defaults();
    let mut again = object.clone();
    again.apply_defaults();
    assert_eq!(again, object, "defaulting twice changed the object");
    object
}

/// [`defaulted`], written back to JSON, for tests that compare the whole wire form.
#[track_caller]
pub(crate) fn defaulted_wire<T>(wire: Value) -> Value
where
    T: ApplyDefaults + DeserializeOwned + Serialize + Clone + PartialEq + Debug,
{
    serde_json::to_value(defaulted::<T>(wire)).expect("serializing")
}
