//! Watches: replay from a revision then live events, key versus prefix watches, resume without
//! gaps or duplicates, deletes carrying the deleted value, and progress on request.
//!
//! A watch's expectations end with a sentinel write the watch must see next, which proves nothing
//! unexpected (an event from outside the prefix, a duplicate) came before it, without waiting for
//! a timeout.

use super::Store;
use super::check::Case;
use super::history::History;
use super::watching::Watch;

/// A watch from a past revision replays exactly the later changes under its key or prefix, in
/// order and with the right kinds and values, then follows live writes; a key watch ignores keys
/// that merely start with its key; a prefix watch ignores sibling prefixes.
pub async fn case_watch_from_revision(store: &Store) {
    let case = Case::new("watch_from_revision");
    let dir = case.key("watched/");
    let inside = |name: &str| format!("{dir}{name}");
    let (a, b) = (inside("a"), inside("b"));
    let outside = [case.key("watched-2/a"), case.key("watchedX"), case.key("watche")];
    let mut history = History::default();
    let start = history.create(&case, store, &outside[0], "outside before").await;
    let a_created = history.create(&case, store, &a, "a1").await;
    history.create(&case, store, &outside[1], "outside").await;
    history.create(&case, store, &b, "b1").await;
    history.update(&case, store, &a, "a2").await;
    history.create(&case, store, &inside("ab"), "shares a's name").await;
    history.create(&case, store, &inside("a/child"), "below a").await;
    history.delete(&case, store, &b, true).await;
    history.update(&case, store, &outside[1], "outside 2").await;
    history.create(&case, store, &b, "b2").await;
    history.update(&case, store, &a, "a3").await;

    let mut replay = Watch::open(&case, store, &dir, true, a_created).await;
    replay.expect(&history.events_after(a_created, &dir, true)).await;
    let mut key_watch = Watch::open(&case, store, &a, false, start).await;
    key_watch.expect(&history.events_after(start, &a, false)).await;
    let caught_up = history.last_revision();
    let mut live = Watch::open(&case, store, &dir, true, caught_up).await;

    history.update(&case, store, &a, "a4").await;
    history.delete(&case, store, &inside("ab"), false).await;
    history.create(&case, store, &outside[2], "outside").await;
    history.update(&case, store, &b, "b3").await;
    history.delete(&case, store, &a, true).await;
    history.update(&case, store, &outside[0], "outside").await;
    history.create(&case, store, &a, "sentinel").await;

    replay.expect(&history.events_after(caught_up, &dir, true)).await;
    key_watch.expect(&history.events_after(caught_up, &a, false)).await;
    live.expect(&history.events_after(caught_up, &dir, true)).await;
}

/// A watch that is dropped part-way and reopened from the last revision it delivered gets exactly
/// the events it missed, in order, none twice; twice over.
pub async fn case_watch_resume(store: &Store) {
    let case = Case::new("watch_resume");
    let dir = case.key("resumed/");
    let key = |n: usize| format!("{dir}{n}");
    let mut history = History::default();
    let start = history.create(&case, store, &case.key("resumed-other"), "outside").await;

    let mut first = Watch::open(&case, store, &dir, true, start).await;
    for n in 0..3 {
        history.create(&case, store, &key(n), format!("{n}")).await;
    }
    history.update(&case, store, &key(0), "0 again").await;
    history.delete(&case, store, &key(1), true).await;
    history.update(&case, store, &key(2), "2 again").await;
    let written = history.events_after(start, &dir, true);
    first.expect(&written[..3]).await;
    let seen = written[2].revision;
    drop(first);

    history.update(&case, store, &key(0), "0 while away").await;
    history.create(&case, store, &key(1), "1 reborn").await;
    history.delete(&case, store, &key(2), false).await;
    history.create(&case, store, &case.key("resumed-other/x"), "outside").await;
    history.create(&case, store, &key(3), "sentinel").await;
    let mut second = Watch::open(&case, store, &dir, true, seen).await;
    second.expect(&history.events_after(seen, &dir, true)).await;
    let seen = history.last_revision();
    drop(second);

    history.delete(&case, store, &key(3), true).await;
    history.update(&case, store, &key(1), "1 while away").await;
    history.create(&case, store, &key(4), "sentinel").await;
    let mut third = Watch::open(&case, store, &dir, true, seen).await;
    third.expect(&history.events_after(seen, &dir, true)).await;
}

/// Deletes reach prefix and key watchers, live and replayed, as Deleted events carrying the value
/// and revisions the key had just before, at the delete's own revision.
pub async fn case_watch_deletes(store: &Store) {
    let case = Case::new("watch_deletes");
    let dir = case.key("doomed/");
    let (a, b, c) = (format!("{dir}a"), format!("{dir}b"), format!("{dir}c"));
    let mut history = History::default();
    let start = history.create(&case, store, &case.key("marker"), "outside").await;
    history.create(&case, store, &a, "a").await;
    history.create(&case, store, &b, "b1").await;
    history.create(&case, store, &c, "c").await;
    history.update(&case, store, &b, "b2").await;
    history.update(&case, store, &b, "b3, last before delete").await;
    let before_deletes = history.last_revision();

    let mut on_prefix = Watch::open(&case, store, &dir, true, before_deletes).await;
    let mut on_b = Watch::open(&case, store, &b, false, before_deletes).await;
    history.delete(&case, store, &a, false).await;
    history.delete(&case, store, &b, true).await;
    history.delete(&case, store, &c, false).await;
    history.create(&case, store, &b, "sentinel").await;

    on_prefix.expect(&history.events_after(before_deletes, &dir, true)).await;
    on_b.expect(&history.events_after(before_deletes, &b, false)).await;
    let mut replayed = Watch::open(&case, store, &b, false, start).await;
    replayed.expect(&history.events_after(start, &b, false)).await;
}

/// A progress request is answered with a Progress event at the store's revision or later, even
/// when the writes that advanced the store are outside the watch, and again for every later
/// request; the watch goes on delivering changes afterwards.
pub async fn case_watch_progress(store: &Store) {
    let case = Case::new("watch_progress");
    let dir = case.key("progress/");
    let mut history = History::default();
    let start = history.create(&case, store, &case.key("progress-other/a"), "outside").await;
    let mut quiet = Watch::open(&case, store, &dir, true, start).await;
    let mut busy = Watch::open(&case, store, &dir, true, start).await;

    let outside = history.create(&case, store, &case.key("progress-other/b"), "outside").await;
    quiet.expect_progress(outside).await;

    history.create(&case, store, &format!("{dir}a"), "inside").await;
    busy.expect(&history.events_after(start, &dir, true)).await;
    let later = history.update(&case, store, &case.key("progress-other/b"), "again").await;
    let reported = busy.expect_progress(later).await;
    let current = case.ok("current revision", store.current_revision().await);
    case.ensure(reported <= current, || {
        format!("progress at revision {reported} is ahead of the store's revision {current}")
    });
    quiet.expect(&history.events_after(start, &dir, true)).await;
    quiet.expect_progress(later).await;

    let sentinel = history.create(&case, store, &format!("{dir}b"), "sentinel").await;
    busy.expect(&history.events_after(later, &dir, true)).await;
    busy.expect_progress(sentinel).await;
}
