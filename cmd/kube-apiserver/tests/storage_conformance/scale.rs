//! Size: values as large as the apiserver accepts, and more keys than one page or one naive
//! response holds.

use super::Store;
use super::check::{Case, finished};
use super::history::History;
use super::listing::{PagedList, at_revision};
use super::watching::Watch;
use kube_apiserver::storage::{KeyValue, ListOptions};
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinSet;

/// The largest object upstream's apiserver stores: 1.5 MiB.
pub const LARGE_VALUE_BYTES: usize = 3 << 19;

/// Keys the many-keys case creates.
pub const MANY_KEYS: usize = 100_000;
/// Tasks creating them at once.
const CREATORS: usize = 64;
/// Page size for listing them.
const MANY_KEYS_PAGE: usize = 5_000;

/// 1.5 MiB values holding every byte value (storage keeps bytes, not text: upstream stores
/// protobuf) round-trip exactly through create, get, update, lists now and at a past revision,
/// watch events and the value a delete returns.
pub async fn case_large_values(store: &Store) {
    let case = Case::new("large_values");
    let dir = case.key("large/");
    let key = format!("{dir}blob");
    let (first, second) = (large_value(1), large_value(2));
    let mut history = History::default();
    let start = history.create(&case, store, &case.key("marker"), "small").await;
    let mut watch = Watch::open(&case, store, &dir, true, start).await;

    let created = history.create(&case, store, &key, first.clone()).await;
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get of the large value", &got, &history.current(&key).expect("created"));
    history.update(&case, store, &key, second.clone()).await;
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get of the updated large value", &got, &history.current(&key).expect("updated"));
    let now = case.ok(format!("list {dir}"), store.list(&dir, ListOptions::default()).await);
    case.same_items(format!("list {dir}"), &now.items, &history.list_at(&dir, now.revision));
    let then = case.ok(
        format!("list {dir} at revision {created}"),
        store.list(&dir, at_revision(created)).await,
    );
    case.same_items(
        format!("list {dir} at revision {created}"),
        &then.items,
        &history.list_at(&dir, created),
    );
    history.delete(&case, store, &key, true).await;

    watch.expect(&history.events_after(start, &dir, true)).await;
    let mut replay = Watch::open(&case, store, &key, false, start).await;
    replay.expect(&history.events_after(start, &key, false)).await;
}

/// 1.5 MiB of deterministic noise in which every byte value occurs.
fn large_value(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut value: Vec<u8> = (0..=255).collect();
    while value.len() < LARGE_VALUE_BYTES {
        // xorshift64: cheap, and no two seeds give the same bytes.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        value.extend_from_slice(&state.to_le_bytes());
    }
    value.truncate(LARGE_VALUE_BYTES);
    value
}

/// 100,000 keys created by 64 concurrent tasks all come back, exactly and in order, from one
/// unpaged list and from a paged one; no two creates share a revision.
pub async fn case_many_keys(store: &Store) {
    let case = Case::new("many_keys");
    let dir = case.key("many/");
    let began = Instant::now();
    let mut creators = JoinSet::new();
    for creator in 0..CREATORS {
        let (case, store, dir) = (case.clone(), Arc::clone(store), dir.clone());
        creators.spawn(async move {
            let mut created = Vec::new();
            for n in (creator..MANY_KEYS).step_by(CREATORS) {
                let key = many_key(&dir, n);
                let value = many_value(n);
                let revision =
                    case.ok(format!("create {key}"), store.create(&key, value.clone()).await);
                created.push(KeyValue {
                    key,
                    value,
                    create_revision: revision,
                    mod_revision: revision,
                });
            }
            created
        });
    }
    let mut expected = Vec::with_capacity(MANY_KEYS);
    while let Some(created) = creators.join_next().await {
        expected.extend(finished(&case, created));
    }
    eprintln!(
        "storage conformance `many_keys`: created {MANY_KEYS} keys with {CREATORS} tasks in {:?}",
        began.elapsed()
    );
    expected.sort_unstable_by(|x, y| x.key.cmp(&y.key));
    let mut revisions: Vec<_> = expected.iter().map(|kv| kv.mod_revision).collect();
    revisions.sort_unstable();
    revisions.dedup();
    case.same(format!("distinct revisions among {MANY_KEYS} creates"), revisions.len(), MANY_KEYS);

    let began = Instant::now();
    let whole = case.ok(format!("list {dir}"), store.list(&dir, ListOptions::default()).await);
    let listing_once = began.elapsed();
    case.same_items(format!("list {dir} in one page"), &whole.items, &expected);
    case.ensure(whole.continue_token.is_none(), || {
        format!("list {dir} without a limit returned a continue token")
    });

    let began = Instant::now();
    let mut pages = PagedList::new(&case, &dir, MANY_KEYS_PAGE, expected);
    while pages.next_page(store).await {}
    let page_count = pages.finish();
    let listing_pages = began.elapsed();
    eprintln!(
        "storage conformance `many_keys`: listed them in one page in {listing_once:?} and in \
         {page_count} pages of {MANY_KEYS_PAGE} in {listing_pages:?}"
    );
}

fn many_key(dir: &str, n: usize) -> String {
    format!("{dir}{n:06}")
}

fn many_value(n: usize) -> Vec<u8> {
    format!("{{\"n\":{n}}}").into_bytes()
}
