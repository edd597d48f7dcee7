//! The label and field selectors of a list or watch, parsed and checked against the fields the
//! kind supports, as upstream's handlers do before a request reaches storage.

use crate::registry::Strategy;
use api_types::fields::FieldSelector;
use api_types::labels::Selector;
use api_types::meta::v1::{ListOptions, Status};
use api_types::validation::names::name_is_dns_label;

/// Which objects a list or watch returns.
pub(super) struct Filter {
    labels: Selector,
    fields: FieldSelector,
}

impl Filter {
    /// The selectors of `options`: 400 if either does not parse, or if the field selector names a
    /// field the kind does not offer (`field label not supported: <field>`, as upstream).
    pub(super) fn parse<T: Strategy>(options: &ListOptions) -> Result<Self, Status> {
        let labels = Selector::parse(&options.label_selector)
            .map_err(|error| Status::bad_request(error.message().to_string()))?;
        let fields = FieldSelector::parse(&options.field_selector)
            .map_err(|error| Status::bad_request(error.to_string()))?;
        let supported = T::default().field_set();
        if let Some(unknown) =
            fields.requirements().iter().find(|term| !supported.contains_key(&term.field))
        {
            return Err(Status::bad_request(format!(
                "field label not supported: {}",
                unknown.field
            )));
        }
        Ok(Filter { labels, fields })
    }

    /// Whether `object` is selected.
    pub(super) fn matches<T: Strategy>(&self, object: &T) -> bool {
        self.labels.matches(&object.metadata().labels)
            && (self.fields.is_empty() || self.fields.matches(&object.field_set()))
    }

    /// Whether every object is selected, so that counts of stored keys are counts of results.
    pub(super) fn selects_everything(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }

    /// The one namespace the field selector confines results to (`metadata.namespace=x`), which
    /// lets a request across namespaces read only that namespace's keys.
    pub(super) fn single_namespace(&self) -> Option<&str> {
        self.fields
            .requires_exact_match("metadata.namespace")
            .filter(|namespace| name_is_dns_label(namespace, false).is_empty())
    }
}
