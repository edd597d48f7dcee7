//! Revisions: every ReplicaSet a Deployment made carries `deployment.kubernetes.io/revision`, a
//! number one higher than any before it when its template becomes current again, which is what
//! `kubectl rollout history` lists and `kubectl rollout undo` goes back through.

use api_types::meta::v1::ObjectMeta;

/// The revision annotation on ReplicaSets and on the Deployment (its current revision).
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// The earlier revisions a ReplicaSet had, when an undo made an old template current again.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// The deployment's replicas, recorded on its ReplicaSets (upstream's proportional scaling uses it).
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `replicas + maxSurge`, recorded on its ReplicaSets.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// Why a revision was made (`kubectl ... --record`, or set by hand); copied to the ReplicaSet.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// The revision an object carries; 0 without one (or with garbage).
pub fn revision_of(meta: &ObjectMeta) -> i64 {
    meta.annotations.get(REVISION_ANNOTATION).and_then(|value| value.parse().ok()).unwrap_or(0)
}

/// The revision the current template's ReplicaSet should carry: one past the highest of the
/// others.
pub fn next_revision<'a>(others: impl IntoIterator<Item = &'a ObjectMeta>) -> i64 {
    others.into_iter().map(revision_of).max().unwrap_or(0) + 1
}

/// Sets `meta`'s revision to `revision`, keeping the old value in the history annotation when
/// it changes (an old template made current again); returns whether anything changed.
pub fn set_revision(meta: &mut ObjectMeta, revision: i64) -> bool {
    let old = revision_of(meta);
    if old == revision {
        return false;
    }
    if old > 0 {
        let history = meta.annotations.entry(REVISION_HISTORY_ANNOTATION.into()).or_default();
        if !history.is_empty() {
            history.push(',');
        }
        history.push_str(&old.to_string());
    }
    meta.annotations.insert(REVISION_ANNOTATION.into(), revision.to_string());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(revision: Option<&str>) -> ObjectMeta {
        let mut meta = ObjectMeta::default();
        if let Some(revision) = revision {
            meta.annotations.insert(REVISION_ANNOTATION.into(), revision.into());
        }
        meta
    }

    #[test]
    fn revisions_count_up_and_remember_their_past() {
        assert_eq!(next_revision([]), 1);
        let others = [meta(Some("1")), meta(Some("3")), meta(None), meta(Some("junk"))];
        assert_eq!(next_revision(&others), 4);
        let mut undone = meta(Some("1"));
        assert!(set_revision(&mut undone, 4));
        assert_eq!(undone.annotations[REVISION_ANNOTATION], "4");
        assert_eq!(undone.annotations[REVISION_HISTORY_ANNOTATION], "1");
        assert!(set_revision(&mut undone, 6));
        assert_eq!(undone.annotations[REVISION_HISTORY_ANNOTATION], "1,4");
        assert!(!set_revision(&mut undone, 6));
        let mut fresh = meta(None);
        set_revision(&mut fresh, 1);
        assert!(!fresh.annotations.contains_key(REVISION_HISTORY_ANNOTATION));
    }
}
