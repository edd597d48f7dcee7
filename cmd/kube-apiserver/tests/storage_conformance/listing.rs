//! Lists: reads at past revisions, prefix isolation, and paging with continue tokens.

use super::Store;
use super::check::Case;
use super::history::History;
use kube_apiserver::storage::{ContinueToken, KeyValue, ListOptions, Revision, StorageError};

/// How far ahead of the store a "future" revision is asked for; far enough that a shared store
/// cannot reach it while the case runs.
const FUTURE: Revision = 1_000_000_000;

/// A list at any past revision shows the prefix exactly as it was then (old values, keys deleted
/// since present again, keys created since absent); a list at a future revision fails with
/// FutureRevision.
pub async fn case_list_at_revision(store: &Store) {
    let case = Case::new("list_at_revision");
    let prefix = case.key("items/");
    let item = |name: &str| format!("{prefix}{name}");
    let mut history = History::default();
    let before = history.create(&case, store, &case.key("elsewhere"), "outside the prefix").await;
    history.create(&case, store, &item("a"), "a1").await;
    history.create(&case, store, &item("b"), "b1").await;
    let all_three = history.create(&case, store, &item("c"), "c1").await;
    history.update(&case, store, &item("a"), "a2").await;
    history.delete(&case, store, &item("b"), true).await;
    history.create(&case, store, &item("d"), "d1").await;
    history.update(&case, store, &item("c"), "c2").await;
    history.delete(&case, store, &item("a"), false).await;
    history.create(&case, store, &item("b"), "b2").await;

    let at_before = list_at(&case, store, &prefix, before).await;
    case.same_items(
        format!("list {prefix} at revision {before}, before its first key"),
        &at_before,
        &[],
    );
    let at_three = list_at(&case, store, &prefix, all_three).await;
    case.same_items(
        format!("list {prefix} at revision {all_three}, before updates and deletes"),
        &at_three,
        &history.list_at(&prefix, all_three),
    );
    for revision in history.revisions() {
        let listed = list_at(&case, store, &prefix, revision).await;
        case.same_items(
            format!("list {prefix} at revision {revision}"),
            &listed,
            &history.list_at(&prefix, revision),
        );
    }

    let now = case.ok(format!("list {prefix}"), store.list(&prefix, ListOptions::default()).await);
    case.same_items(
        format!("list {prefix} at the current revision"),
        &now.items,
        &history.list_at(&prefix, Revision::MAX),
    );
    let last = history.last_revision();
    case.ensure(now.revision >= last, || {
        format!(
            "list {prefix} read at revision {}, before the case's last write at {last}",
            now.revision
        )
    });

    let current = case.ok("current_revision", store.current_revision().await);
    let requested = current + FUTURE;
    let error = case.error(
        format!("list {prefix} at the future revision {requested}"),
        store.list(&prefix, at_revision(requested)).await,
    );
    match error {
        StorageError::FutureRevision { requested: named, current: reported } => {
            case.same("revision named by FutureRevision", named, requested);
            case.ensure(reported >= current && reported < requested, || {
                format!(
                    "FutureRevision reports current revision {reported}, expected one in \
                     [{current}, {requested})"
                )
            });
        }
        other => case.fail(format!(
            "list at the future revision {requested}: expected FutureRevision, got {other:?}"
        )),
    }
}

/// A list of a prefix returns exactly the keys that start with it, nested ones included, in byte
/// order; sibling prefixes (`b-2/`, `b2/`, the bare `b`) stay out, and characters that are
/// wildcards in SQL LIKE or GLOB patterns (`_ % * ? [`) match only themselves.
pub async fn case_list_prefix_isolation(store: &Store) {
    let case = Case::new("list_prefix_isolation");
    let relative_keys = [
        "a/b/x",
        "a/b/y",
        "a/b/sub/z",
        "a/b/Zeta",
        "a/b/-dash",
        "a/b/.dot",
        "a/b/~tilde",
        "a/b/日本",
        "a/b",
        "a/b-2/x",
        "a/b2/x",
        "a/bb",
        "a/b.x/y",
        "a/a/x",
        "a/c/x",
        "w_x/in",
        "wXx/out",
        "p%q/in",
        "pZZq/out",
        "g*/in",
        "gg/out",
        "s?/in",
        "sx/out",
        "b[c]/in",
        "bc/out",
    ];
    let mut history = History::default();
    for relative in relative_keys {
        let key = case.key(relative);
        history.create(&case, store, &key, key.clone()).await;
    }
    for relative_prefix in ["a/b/", "a/b-2/", "a/", "w_x/", "p%q/", "g*/", "s?/", "b[c]/", "empty/"]
    {
        let prefix = case.key(relative_prefix);
        let page =
            case.ok(format!("list {prefix}"), store.list(&prefix, ListOptions::default()).await);
        case.same_items(
            format!("list {prefix}"),
            &page.items,
            &history.list_at(&prefix, Revision::MAX),
        );
        case.ensure(page.continue_token.is_none(), || {
            format!("list {prefix} without a limit returned a continue token")
        });
    }
}

/// Paging: for several limits, the pages hold every key exactly once, in order, `limit` per page
/// with a continue token exactly when more follow and `remaining` (when given) counting down.
/// Pages after the first read at the first page's revision even when the prefix changes in
/// between; tokens survive the text round trip a client makes; malformed tokens are rejected with
/// InvalidContinue.
pub async fn case_paging(store: &Store) {
    let case = Case::new("paging");
    let prefix = case.key("pages/");
    let item = |n: usize| format!("{prefix}item-{n:03}");
    let mut history = History::default();
    for n in 0..23 {
        history.create(&case, store, &item(n), format!("value {n}")).await;
    }
    for neighbour in ["pages", "pages-2/item-000", "pagesX/item-000"] {
        history.create(&case, store, &case.key(neighbour), "outside").await;
    }

    let everything = history.list_at(&prefix, Revision::MAX);
    for limit in [1, 5, 22, 23, 24, 1000] {
        let mut pages = PagedList::new(&case, &prefix, limit, everything.clone());
        while pages.next_page(store).await {}
        pages.finish();
    }

    // Change the prefix between pages: later pages must not see it.
    let mut pages = PagedList::new(&case, &prefix, 5, everything.clone());
    pages.next_page(store).await;
    history.update(&case, store, &item(1), "changed, already served").await;
    history.update(&case, store, &item(10), "changed, not yet served").await;
    history.delete(&case, store, &item(15), true).await;
    history.create(&case, store, &format!("{prefix}item-0105"), "new in a later page").await;
    history.create(&case, store, &item(999), "new after the last key").await;
    while pages.next_page(store).await {}
    pages.finish();
    let now = history.list_at(&prefix, Revision::MAX);
    let mut pages = PagedList::new(&case, &prefix, 5, now);
    while pages.next_page(store).await {}
    pages.finish();

    reject_malformed_tokens(&case, store, &prefix).await;
}

/// Text a client might send that is no token, a token for another prefix, and tokens whose key
/// lies outside the listed prefix or whose revision is not a revision. The store itself must
/// refuse the last two, not only `ContinueToken::decode`: a start key before the prefix would
/// otherwise make the range read return the neighbours' keys.
async fn reject_malformed_tokens(case: &Case, store: &Store, prefix: &str) {
    for text in ["", "not a token!", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"] {
        let decoded = ContinueToken::decode(text, prefix);
        case.ensure(matches!(decoded, Err(StorageError::InvalidContinue(_))), || {
            format!(
                "decoding the continue text {text:?}: expected InvalidContinue, got {decoded:?}"
            )
        });
    }
    let revision = case.ok("current_revision", store.current_revision().await);
    let foreign = ContinueToken { revision, start_key: case.key("pages-2/item-000") };
    let decoded = ContinueToken::decode(&foreign.encode(), prefix);
    case.ensure(matches!(decoded, Err(StorageError::InvalidContinue(_))), || {
        format!(
            "decoding a token for {} under {prefix}: expected InvalidContinue, got {decoded:?}",
            foreign.start_key
        )
    });

    let bad_tokens = [
        (foreign, "a start key outside the prefix"),
        (
            ContinueToken { revision: -1, start_key: format!("{prefix}item-005") },
            "a negative revision",
        ),
    ];
    for (token, flaw) in bad_tokens {
        let listed = store
            .list(
                prefix,
                ListOptions {
                    continue_token: Some(token.clone()),
                    limit: Some(5),
                    ..ListOptions::default()
                },
            )
            .await;
        let error = case
            .error(format!("list {prefix} continuing from {token:?}, which has {flaw}"), listed);
        case.ensure(matches!(error, StorageError::InvalidContinue(_)), || {
            format!(
                "list {prefix} continuing from a token with {flaw}: expected InvalidContinue, got \
                 {error:?}"
            )
        });
    }
}

/// One paged list in progress, checked page by page against the items it must return.
pub struct PagedList<'a> {
    case: &'a Case,
    prefix: &'a str,
    limit: usize,
    expected: Vec<KeyValue>,
    /// How many of `expected` earlier pages returned.
    served: usize,
    pages: usize,
    /// The first page's revision, which every later page must read at.
    revision: Option<Revision>,
    next: Option<ContinueToken>,
    done: bool,
}

impl<'a> PagedList<'a> {
    /// A list of `prefix`, `limit` keys a page, that must return `expected` overall.
    pub fn new(case: &'a Case, prefix: &'a str, limit: usize, expected: Vec<KeyValue>) -> Self {
        PagedList {
            case,
            prefix,
            limit,
            expected,
            served: 0,
            pages: 0,
            revision: None,
            next: None,
            done: false,
        }
    }

    /// Reads and checks the next page; false once the last page has been read.
    pub async fn next_page(&mut self, store: &Store) -> bool {
        let case = self.case;
        let what = format!("list {} with limit {}, page {}", self.prefix, self.limit, self.pages);
        case.ensure(!self.done, || format!("{what}: the case reads past the last page"));
        let options = ListOptions {
            limit: Some(self.limit as i64),
            continue_token: self.next.take(),
            ..ListOptions::default()
        };
        let page = case.ok(&what, store.list(self.prefix, options).await);
        let revision = *self.revision.get_or_insert(page.revision);
        case.same(format!("{what}: revision (the first page's)"), page.revision, revision);

        let rest = &self.expected[self.served..];
        let wanted = &rest[..rest.len().min(self.limit)];
        case.same_items(&what, &page.items, wanted);
        self.served += wanted.len();
        self.pages += 1;
        let left = self.expected.len() - self.served;
        if let Some(remaining) = page.remaining {
            case.same(format!("{what}: remaining"), remaining, left as i64);
        }
        match page.continue_token {
            Some(token) => {
                case.ensure(left > 0, || format!("{what}: a continue token after the last key"));
                // Go through the text a client sends back, as the apiserver will.
                let text = token.encode();
                let decoded = case.ok(
                    format!("{what}: decode its continue token"),
                    ContinueToken::decode(&text, self.prefix),
                );
                case.same(
                    format!("{what}: continue token after encode and decode"),
                    &decoded,
                    &token,
                );
                case.same(format!("{what}: continue token's revision"), token.revision, revision);
                self.next = Some(decoded);
            }
            None => {
                case.ensure(left == 0, || {
                    format!("{what}: no continue token, but {left} keys were not returned")
                });
                self.done = true;
            }
        }
        !self.done
    }

    /// Checks that the pages returned everything; returns how many pages there were.
    pub fn finish(&self) -> usize {
        self.case.ensure(self.done && self.served == self.expected.len(), || {
            format!(
                "list {} with limit {}: {} of {} keys returned in {} pages",
                self.prefix,
                self.limit,
                self.served,
                self.expected.len(),
                self.pages
            )
        });
        self.pages
    }
}

/// The items of a list at `revision`, which must succeed, read at exactly that revision and fit
/// in one page.
async fn list_at(case: &Case, store: &Store, prefix: &str, revision: Revision) -> Vec<KeyValue> {
    let what = format!("list {prefix} at revision {revision}");
    let page = case.ok(&what, store.list(prefix, at_revision(revision)).await);
    case.same(format!("{what}: page revision"), page.revision, revision);
    case.ensure(page.continue_token.is_none(), || {
        format!("{what}: a continue token on a list without limit")
    });
    page.items
}

/// Options for an unpaged list at `revision`.
pub fn at_revision(revision: Revision) -> ListOptions {
    ListOptions { revision: Some(revision), ..ListOptions::default() }
}
