//! Resource lists (requests, limits, capacities, quotas) are stored at millis at the finest:
//! anything finer is rounded up, as upstream does for API compatibility.

use crate::quantity::Quantity;
use std::collections::BTreeMap;

/// A map from resource name to quantity, upstream's `ResourceList`.
pub(crate) type ResourceList = BTreeMap<String, Quantity>;

/// Rounds every quantity with digits below a thousandth up (away from zero) to whole millis;
/// quantities already at millis or coarser keep their value and their spelling.
pub(crate) fn round_up_to_millis(list: &mut ResourceList) {
    for quantity in list.values_mut() {
        let millis = quantity.milli_value();
        let saturated = millis == i64::MAX || millis == i64::MIN;
        let rounded = Quantity::from_milli(millis, quantity.format());
        if !saturated && rounded != *quantity {
            *quantity = rounded;
        }
    }
}

#[cfg(test)]
pub(crate) fn resource_list(pairs: &[(&str, &str)]) -> ResourceList {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), Quantity::parse(value).expect(value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rounded(text: &str) -> String {
        let mut list = resource_list(&[("cpu", text)]);
        round_up_to_millis(&mut list);
        list["cpu"].to_string()
    }

    #[test]
    fn sub_milli_values_round_up_to_the_next_milli() {
        assert_eq!(rounded("0.0001"), "1m");
        assert_eq!(rounded("1.0001"), "1001m");
        assert_eq!(rounded("100u"), "1m");
        assert_eq!(rounded("1n"), "1m");
        assert_eq!(rounded("-1n"), "-1m");
    }

    #[test]
    fn milli_or_coarser_values_are_untouched() {
        for text in ["500m", "1", "2Gi", "1.234", "1e3", "0"] {
            assert_eq!(rounded(text), text);
        }
    }
}
