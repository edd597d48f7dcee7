//! Applying a strategic merge patch to an object, and folding one patch into another.
//!
//! Both are the same walk over a map and its patch (upstream's `mergeMap`), run in one of two
//! modes. The server applies a patch: directives are carried out and disappear, and `null`
//! deletes. The three-way diff folds one patch into another: directives and `null`s must survive
//! into the result, which is still a patch.

use super::directives::{
    DELETE_FROM_PRIMITIVE_LIST, PATCH, RETAIN_KEYS, SET_ELEMENT_ORDER, is_directive_element,
    parallel_list_target,
};
use super::elements::{
    ElementKind, check_patch_follows_order, deduplicate, element_kind, merge_key_value,
    normalize_element_order, partition,
};
use super::field::Field;
use crate::go_fmt::{go_string, go_type_name};
use crate::patch::PatchError;
use crate::patch::equality::json_equal;
use crate::patch::schema::TypeSchema;
use serde_json::{Map, Value};

type Object = Map<String, Value>;

/// What a merge produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// A patched object: directives executed, `null` members removed.
    Apply,
    /// A combined patch: directives, parallel lists and `null` members kept.
    Combine,
}

/// One merge in one [`Mode`].
pub(super) struct Merger {
    mode: Mode,
}

impl Merger {
    pub(super) fn new(mode: Mode) -> Self {
        Merger { mode }
    }

    /// Merges `patch` into `original`, both maps of the type `schema` describes.
    pub(super) fn merge_map(
        &self,
        original: Object,
        mut patch: Object,
        schema: Option<&'static TypeSchema>,
    ) -> Result<Object, PatchError> {
        if let Some(directive) = patch.remove(PATCH) {
            match directive.as_str() {
                Some("replace") => {
                    return match self.mode {
                        // The map becomes the patch's content, as if merged into nothing.
                        Mode::Apply => self.merge_map(Object::new(), patch, schema),
                        Mode::Combine => Ok(patch),
                    };
                }
                // Upstream empties the map rather than removing its key.
                Some("delete") => return Ok(Object::new()),
                // The default, spelled out: upstream rejects it, we accept it as a no-op.
                Some("merge") => {}
                _ => {
                    let rendered = go_string(&directive);
                    patch.insert(PATCH.to_string(), directive);
                    return Err(PatchError::UnknownDirective {
                        directive: rendered,
                        item: go_string(&Value::Object(patch)),
                    });
                }
            }
        }
        let mut original = original;
        self.apply_retain_keys(&mut original, &mut patch)?;
        self.merge_ordered_lists(&mut original, &mut patch, schema)?;
        for (key, value) in patch {
            self.merge_member(&mut original, key, value, schema)?;
        }
        Ok(original)
    }

    /// Merges one member of a patch map into the original map.
    fn merge_member(
        &self,
        original: &mut Object,
        key: String,
        value: Value,
        schema: Option<&'static TypeSchema>,
    ) -> Result<(), PatchError> {
        let (name, is_delete_list) = if key.starts_with(DELETE_FROM_PRIMITIVE_LIST) {
            if self.mode == Mode::Combine {
                original.insert(key, value);
                return Ok(());
            }
            let target = parallel_list_target(&key, DELETE_FROM_PRIMITIVE_LIST)
                .ok_or(PatchError::BadPrimitiveListDirective)?;
            (target.to_string(), true)
        } else {
            (key, false)
        };
        let field = Field::lookup(schema, &name);

        if value.is_null() {
            original.remove(&name);
            if self.mode == Mode::Combine {
                original.insert(name, Value::Null);
            }
            return Ok(());
        }
        if is_delete_list && !value.is_array() {
            return Err(PatchError::BadPrimitiveListDirective);
        }

        let outcome = match (original.get_mut(&name), value) {
            // Deleting from a list that is not there changes nothing.
            (None, _) if is_delete_list => return Ok(()),
            (None, value) => self.patch_value(value, field)?,
            (Some(Value::Object(current)), Value::Object(patch)) => {
                let current = std::mem::take(current);
                if field.replaces() {
                    self.patch_value(Value::Object(patch), field)?
                } else {
                    Some(Value::Object(self.merge_map(current, patch, field.schema)?))
                }
            }
            (Some(Value::Array(current)), Value::Array(patch)) => {
                let current = std::mem::take(current);
                Some(Value::Array(self.merge_list_field(current, patch, field, is_delete_list)?))
            }
            // A deletion list aimed at something that is not a list leaves it alone.
            (Some(_), _) if is_delete_list => return Ok(()),
            // Scalars, and any change of JSON type: the patch value wins.
            (Some(_), value) => self.patch_value(value, field)?,
        };
        match outcome {
            Some(value) => original.insert(name, value),
            None => original.remove(&name),
        };
        Ok(())
    }

    /// What a patch value becomes where nothing is merged under it. When applying, that is the
    /// value merged into nothing: `null` members dropped, directives carried out, and a map
    /// that is itself `$patch: delete` is no value at all.
    fn patch_value(&self, value: Value, field: Field<'_>) -> Result<Option<Value>, PatchError> {
        if self.mode == Mode::Combine {
            return Ok(Some(value));
        }
        match value {
            Value::Object(map) => {
                if map.get(PATCH).and_then(Value::as_str) == Some("delete") {
                    return Ok(None);
                }
                Ok(Some(Value::Object(self.merge_map(Object::new(), map, field.schema)?)))
            }
            Value::Array(items) => {
                Ok(Some(Value::Array(self.merge_list_field(Vec::new(), items, field, false)?)))
            }
            scalar => Ok(Some(scalar)),
        }
    }

    /// A list element that is added rather than merged with a live one.
    fn new_element(
        &self,
        element: Object,
        schema: Option<&'static TypeSchema>,
    ) -> Result<Value, PatchError> {
        Ok(Value::Object(match self.mode {
            Mode::Apply => self.merge_map(Object::new(), element, schema)?,
            Mode::Combine => element,
        }))
    }

    /// Merges a patch list into a live list as the field's strategy says.
    fn merge_list_field(
        &self,
        current: Vec<Value>,
        patch: Vec<Value>,
        field: Field<'_>,
        is_delete_list: bool,
    ) -> Result<Vec<Value>, PatchError> {
        // Deletion lists work on any primitive list, whatever its strategy.
        if field.merges() || is_delete_list {
            return self.merge_list(current, patch, field, is_delete_list);
        }
        match self.mode {
            Mode::Combine => Ok(patch),
            Mode::Apply => patch
                .into_iter()
                .filter(|element| !is_directive_element(element))
                .map(|element| match element {
                    Value::Object(map) => self.new_element(map, field.schema),
                    other => Ok(other),
                })
                .collect(),
        }
    }

    /// Merges two lists of a field with a `merge` strategy (or a deletion list).
    fn merge_list(
        &self,
        original: Vec<Value>,
        patch: Vec<Value>,
        field: Field<'_>,
        is_delete_list: bool,
    ) -> Result<Vec<Value>, PatchError> {
        let Some(kind) = element_kind(&[&original, &patch])? else {
            return Ok(original);
        };
        match kind {
            ElementKind::Primitive => {
                if is_delete_list && self.mode == Mode::Apply {
                    return Ok(original
                        .into_iter()
                        .filter(|value| !patch.iter().any(|doomed| json_equal(value, doomed)))
                        .collect());
                }
                let mut both = original.clone();
                both.extend(patch.iter().cloned());
                let (named, rest) = partition(deduplicate(both), &patch, None)?;
                normalize_element_order(named, rest, &patch, &original, None, kind)
            }
            ElementKind::Object => {
                let key = field.merge_key.ok_or_else(|| PatchError::ListWithoutMergeKey {
                    field: field.name.to_string(),
                })?;
                let (live, data) = self.apply_list_directives(original, patch, key, field)?;
                let merged = self.merge_by_key(live.clone(), &data, key, field.schema)?;
                let (named, rest) = partition(merged, &data, Some(key))?;
                normalize_element_order(named, rest, &data, &live, Some(key), kind)
            }
        }
    }

    /// Carries out the directive elements of a keyed patch list: `{"<key>": v, "$patch":
    /// "delete"}` removes the live elements keyed `v`, `{"$patch": "replace"}` makes the
    /// patch's data elements the whole list. Returns the live list and the data elements left
    /// to merge.
    fn apply_list_directives(
        &self,
        mut live: Vec<Value>,
        patch: Vec<Value>,
        key: &str,
        field: Field<'_>,
    ) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
        let mut data = Vec::with_capacity(patch.len());
        let mut replace = false;
        for element in patch {
            let Some(directive) = element.get(PATCH) else {
                data.push(element);
                continue;
            };
            match directive.as_str() {
                Some("delete") => {
                    let doomed = merge_key_value(&element, key)?;
                    live.retain(|candidate| {
                        !candidate.get(key).is_some_and(|value| json_equal(value, doomed))
                    });
                }
                Some("replace") => replace = true,
                Some("merge") => return Err(PatchError::MergeDirectiveInList),
                _ => {
                    return Err(PatchError::UnknownDirective {
                        directive: go_string(directive),
                        item: go_string(&element),
                    });
                }
            }
        }
        if !replace {
            return Ok((live, data));
        }
        let replacement = data
            .into_iter()
            .map(|element| match element {
                Value::Object(map) => self.new_element(map, field.schema),
                other => Ok(other),
            })
            .collect::<Result<_, _>>()?;
        Ok((replacement, Vec::new()))
    }

    /// Merges each patch element into the live element with the same merge key, or appends it.
    fn merge_by_key(
        &self,
        mut merged: Vec<Value>,
        data: &[Value],
        key: &str,
        schema: Option<&'static TypeSchema>,
    ) -> Result<Vec<Value>, PatchError> {
        for element in data {
            let identity = merge_key_value(element, key)?;
            let patch = element.as_object().cloned().unwrap_or_default();
            let existing = merged.iter().position(|candidate| {
                candidate.get(key).is_some_and(|value| json_equal(value, identity))
            });
            match existing {
                Some(index) => {
                    let current = match std::mem::take(&mut merged[index]) {
                        Value::Object(map) => map,
                        _ => Object::new(),
                    };
                    merged[index] = Value::Object(self.merge_map(current, patch, schema)?);
                }
                None => merged.push(self.new_element(patch, schema)?),
            }
        }
        Ok(merged)
    }

    /// Carries out `$retainKeys`: keys of the original map it does not list are cleared, and
    /// the patch may not set a key it does not list.
    fn apply_retain_keys(
        &self,
        original: &mut Object,
        patch: &mut Object,
    ) -> Result<(), PatchError> {
        let Some(retain) = patch.remove(RETAIN_KEYS) else {
            return Ok(());
        };
        if self.mode == Mode::Combine {
            match original.get(RETAIN_KEYS) {
                Some(existing) if !json_equal(existing, &retain) => {
                    return Err(PatchError::BadRetainKeysDirective);
                }
                Some(_) => {}
                None => {
                    original.insert(RETAIN_KEYS.to_string(), retain);
                }
            }
            return Ok(());
        }
        let Value::Array(kept) = retain else {
            return Err(PatchError::BadRetainKeysDirective);
        };
        let is_kept = |key: &str| kept.iter().any(|entry| entry.as_str() == Some(key));
        let sets_dropped_key = patch.iter().any(|(key, value)| {
            !value.is_null()
                && !key.starts_with(DELETE_FROM_PRIMITIVE_LIST)
                && !key.starts_with(SET_ELEMENT_ORDER)
                && !is_kept(key)
        });
        if sets_dropped_key {
            return Err(PatchError::BadRetainKeysDirective);
        }
        original.retain(|key, _| is_kept(key));
        Ok(())
    }

    /// Carries out every `$setElementOrder/<field>` of the patch: merges the field's lists and
    /// puts the result in the given order, live-only elements keeping their relative place.
    fn merge_ordered_lists(
        &self,
        original: &mut Object,
        patch: &mut Object,
        schema: Option<&'static TypeSchema>,
    ) -> Result<(), PatchError> {
        let order_keys: Vec<String> =
            patch.keys().filter(|key| key.starts_with(SET_ELEMENT_ORDER)).cloned().collect();
        for key in order_keys {
            if let Some(order) = patch.remove(&key) {
                self.merge_ordered_list(original, patch, &key, order, schema)?;
            }
        }
        Ok(())
    }

    /// Carries out one `$setElementOrder/<field>` directive whose value is `order`.
    fn merge_ordered_list(
        &self,
        original: &mut Object,
        patch: &mut Object,
        key: &str,
        order: Value,
        schema: Option<&'static TypeSchema>,
    ) -> Result<(), PatchError> {
        if self.mode == Mode::Combine {
            match original.get(key) {
                Some(existing) if !json_equal(existing, &order) => {
                    return Err(PatchError::BadSetElementOrderDirective);
                }
                Some(_) => {}
                None => {
                    original.insert(key.to_string(), order.clone());
                }
            }
        }
        let Value::Array(order) = order else {
            return Err(PatchError::BadSetElementOrderDirective);
        };
        let name = parallel_list_target(key, SET_ELEMENT_ORDER)
            .ok_or(PatchError::BadSetElementOrderDirective)?;
        let field = Field::lookup(schema, name);
        let live = live_list(original, name)?;
        let patched = take_patch_list(patch, name)?;
        check_patch_follows_order(patched.as_deref().unwrap_or_default(), &order, field.merge_key)?;

        let live_order = live.clone().unwrap_or_default();
        let merged = match (live, patched) {
            (Some(live), None) => live,
            (None, Some(patched)) => match self.patch_value(Value::Array(patched), field)? {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            },
            (Some(live), Some(patched)) => self.merge_list_field(live, patched, field, false)?,
            (None, None) => return Ok(()),
        };
        let Some(kind) = element_kind(&[&live_order, &merged])? else {
            original.insert(name.to_string(), Value::Array(merged));
            return Ok(());
        };
        let (named, rest) = partition(merged, &order, field.merge_key)?;
        let ordered =
            normalize_element_order(named, rest, &order, &live_order, field.merge_key, kind)?;
        original.insert(name.to_string(), Value::Array(ordered));
        Ok(())
    }
}

/// The live list called `name`; absent and `null` both mean "no list".
fn live_list(original: &Object, name: &str) -> Result<Option<Vec<Value>>, PatchError> {
    match original.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(list)) => Ok(Some(list.clone())),
        Some(other) => Err(not_a_list(other)),
    }
}

/// Takes the patch list called `name` out of the patch (a `null` stays: it deletes the field).
fn take_patch_list(patch: &mut Object, name: &str) -> Result<Option<Vec<Value>>, PatchError> {
    match patch.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(_)) => match patch.remove(name) {
            Some(Value::Array(list)) => Ok(Some(list)),
            _ => Ok(None),
        },
        Some(other) => Err(not_a_list(other)),
    }
}

fn not_a_list(value: &Value) -> PatchError {
    PatchError::UnexpectedType { expected: "[]interface {}", found: go_type_name(value) }
}
