//! GET of a collection: selectors, paging with continue tokens, and upstream's
//! `resourceVersion`/`resourceVersionMatch` semantics over storage revisions.
//!
//! | resourceVersion | match | read |
//! |---|---|---|
//! | unset or `0` | unset | the latest state |
//! | `N` | unset, no limit / `NotOlderThan` | the latest state, which must have reached `N` (else 504) |
//! | `N` | unset with a limit / `Exact` | the state at revision `N` (410 once compacted) |
//!
//! Which of them the watch cache serves, as upstream's cacher decides (without its watch-list
//! and cache pagination features):
//!
//! | request | served by |
//! |---|---|
//! | `resourceVersion=0` | the cache in whatever state it has; a `limit` is ignored, as upstream's cache ignores it, so the whole list comes in one page |
//! | unset, no `limit` | the cache once it has reached the store's current revision (a consistent read, upstream's `ConsistentListFromCache`) |
//! | `N`, not older than, no `limit` | the cache once it has reached `N` |
//! | a `limit` (other than with `0`), `Exact`, or `continue` | storage |
//!
//! A cache that does not get there within its bound (3 s) leaves the list to storage, which
//! answers as it always did (504 for a revision the store has not reached either).
//!
//! Selectors are applied page by page as upstream's etcd store does: storage pages are read and
//! filtered until `limit` objects matched, and the continue token resumes after the last key
//! examined. `remainingItemCount` is reported only when no selector filters the keys, since only
//! then does a count of keys count results.

use super::GenericStore;
use super::convert::{decode_stored, to_json};
use super::errors::{Operation, storage_status, too_large_resource_version};
use super::filter::Filter;
use super::options::{parse_read_resource_version, validate_list_options};
use crate::registry::Strategy;
use crate::registry::cache::Freshness;
use crate::storage::{self, ContinueToken, Revision, StorageError};
use api_types::List;
use api_types::meta::v1::{ListMeta, ListOptions, Status, resource_version_match};
use serde_json::Value;

/// The largest storage page read while looking for objects that match a selector (upstream's
/// `maxLimit`): pages start at the client's limit and double while matches are scarce.
const MAX_PAGE_SIZE: usize = 10_000;

/// The 410 for a continue token whose revision was compacted; the new token it carries goes on
/// from the same key at the latest revision.
const CONTINUE_EXPIRED_MESSAGE: &str = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/// Which state of the store a list reads.
enum ReadAt {
    /// The latest state, which must be at least at the given revision.
    Latest { not_older_than: Option<Revision> },
    /// The state at exactly this revision.
    Exact(Revision),
    /// The next page of an earlier list, at that list's revision.
    Continue(ContinueToken),
}

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn list_objects(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<Value, Status> {
        if let Some(list) = self.list_from_cache(namespace, options).await? {
            return Ok(list);
        }
        let (items, metadata) = self.list_typed(namespace, options).await?;
        to_json(&List::new(items, metadata))
    }

    /// The list from the watch cache, when the request lets the cache serve it and the cache is
    /// fresh enough in time; `None` sends it to storage.
    async fn list_from_cache(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<Option<Value>, Status> {
        validate_list_options(&ListOptions { watch: false, ..options.clone() })?;
        let filter = Filter::parse::<T>(options)?;
        let namespace = namespace.filter(|namespace| !namespace.is_empty());
        let prefix = self.collection_prefix(namespace.or(filter.single_namespace()));
        let Some(freshness) = cache_freshness(&read_at(options, &prefix)?, options) else {
            return Ok(None);
        };
        if self.cache.fresh(freshness).await.is_none() {
            return Ok(None);
        }
        let (objects, revision) = self.cache.list(&prefix);
        let items = objects
            .iter()
            .filter(|cached| filter.matches(&cached.object))
            .map(|cached| cached.json.clone())
            .collect();
        // Built as JSON directly, the shape `List<T>` serializes to, so that the cached JSON of
        // each item is copied once and never re-encoded.
        let metadata = ListMeta { resource_version: revision.to_string(), ..Default::default() };
        let mut list = serde_json::Map::new();
        list.insert("apiVersion".into(), Value::String(T::API_VERSION.to_string()));
        list.insert("kind".into(), Value::String(format!("{}List", T::KIND)));
        list.insert("metadata".into(), to_json(&metadata)?);
        list.insert("items".into(), Value::Array(items));
        Ok(Some(Value::Object(list)))
    }

    /// The objects a list selects, as clients see them, with the list's metadata.
    pub(super) async fn list_typed(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<(Vec<T>, ListMeta), Status> {
        validate_list_options(&ListOptions { watch: false, ..options.clone() })?;
        let filter = Filter::parse::<T>(options)?;
        let namespace = namespace.filter(|namespace| !namespace.is_empty());
        let prefix = self.collection_prefix(namespace.or(filter.single_namespace()));
        let read = read_at(options, &prefix)?;
        let limit = usize::try_from(options.limit).unwrap_or(0);

        let mut request = match &read {
            ReadAt::Latest { .. } => storage::ListOptions::default(),
            ReadAt::Exact(revision) => {
                storage::ListOptions { revision: Some(*revision), ..Default::default() }
            }
            ReadAt::Continue(token) => {
                storage::ListOptions { continue_token: Some(token.clone()), ..Default::default() }
            }
        };
        let mut page_size = limit;
        let mut items = Vec::new();
        let mut metadata = ListMeta::default();
        loop {
            request.limit = (page_size > 0).then_some(page_size as i64);
            let page = match self.storage.list(&prefix, request.clone()).await {
                Ok(page) => page,
                Err(error) => return Err(self.list_failure(error, &read).await),
            };
            if let ReadAt::Latest { not_older_than: Some(minimum) } = read
                && minimum > page.revision
            {
                return Err(too_large_resource_version(minimum, page.revision));
            }
            metadata.resource_version = page.revision.to_string();
            let count = page.items.len();
            for (index, stored) in page.items.iter().enumerate() {
                let object: T = decode_stored(stored)?;
                if filter.matches(&object) {
                    items.push(object);
                }
                if limit > 0 && items.len() == limit {
                    let last_in_page = index + 1 == count;
                    let next = if last_in_page {
                        page.continue_token.clone()
                    } else {
                        Some(ContinueToken {
                            revision: page.revision,
                            start_key: format!("{}\u{0}", stored.key),
                        })
                    };
                    if let Some(next) = next {
                        metadata.continue_ = next.encode();
                        if filter.selects_everything() && last_in_page {
                            metadata.remaining_item_count = page.remaining;
                        }
                    }
                    return Ok((items, metadata));
                }
            }
            let Some(next) = page.continue_token else {
                return Ok((items, metadata));
            };
            request = storage::ListOptions { continue_token: Some(next), ..Default::default() };
            if limit > 0 {
                page_size = (page_size * 2).min(MAX_PAGE_SIZE).max(limit - items.len());
            }
        }
    }

    /// The `Status` for a failed storage list: a compacted continue token gets upstream's 410
    /// with a fresh token that goes on from the same key at the latest revision.
    async fn list_failure(&self, error: StorageError, read: &ReadAt) -> Status {
        if let (StorageError::Compacted { .. }, ReadAt::Continue(token)) = (&error, read)
            && let Ok(current) = self.storage.current_revision().await
        {
            let mut status = Status::resource_expired(CONTINUE_EXPIRED_MESSAGE);
            let fresh = ContinueToken { revision: current, start_key: token.start_key.clone() };
            status.metadata.continue_ = fresh.encode();
            return status;
        }
        storage_status::<T>(error, Operation::List, "")
    }
}

/// How fresh the watch cache must be to serve a list reading `read`; `None` when only storage
/// can serve it (see the module's table).
fn cache_freshness(read: &ReadAt, options: &ListOptions) -> Option<Freshness> {
    let ReadAt::Latest { not_older_than } = read else { return None };
    if options.resource_version == "0" {
        return Some(Freshness::Any);
    }
    if options.limit > 0 {
        return None;
    }
    Some(not_older_than.map_or(Freshness::Consistent, Freshness::AtLeast))
}

/// The state a list reads, from its `continue`, `resourceVersion` and `resourceVersionMatch`.
fn read_at(options: &ListOptions, prefix: &str) -> Result<ReadAt, Status> {
    if !options.continue_.is_empty() {
        if !options.resource_version.is_empty() && options.resource_version != "0" {
            return Err(Status::bad_request(
                "specifying resource version is not allowed when using continue",
            ));
        }
        let token = ContinueToken::decode(&options.continue_, prefix)
            .map_err(|error| Status::bad_request(error.to_string()))?;
        return Ok(ReadAt::Continue(token));
    }
    let revision = parse_read_resource_version(&options.resource_version)?;
    Ok(match (options.resource_version_match.as_str(), revision) {
        (resource_version_match::EXACT, Some(revision)) => ReadAt::Exact(revision),
        ("", Some(revision)) if options.limit > 0 => ReadAt::Exact(revision),
        (_, not_older_than) => ReadAt::Latest { not_older_than },
    })
}
