//! How long one list of a whole prefix takes, alone and with other clients listing at once.

use super::report::ListTiming;
use kube_apiserver::storage::{ListOptions, Storage};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// `repeats` lists of `prefix` one after the other; the figure is their median.
pub fn sequential(
    runtime: &Handle,
    store: &Arc<dyn Storage>,
    prefix: &str,
    expected: usize,
    repeats: usize,
) -> ListTiming {
    let times = runtime.block_on(async {
        let mut times = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            times.push(list_once(store.as_ref(), prefix, expected).await);
        }
        times
    });
    ListTiming::from_times(times)
}

/// One list of `prefix` per client, all started together; the figure is the median time of one.
pub fn concurrent(
    runtime: &Handle,
    store: &Arc<dyn Storage>,
    prefix: &str,
    expected: usize,
    clients: usize,
) -> ListTiming {
    let times = runtime.block_on(async {
        let lists: Vec<_> = (0..clients)
            .map(|_| {
                let (store, prefix) = (Arc::clone(store), prefix.to_string());
                tokio::spawn(async move { list_once(store.as_ref(), &prefix, expected).await })
            })
            .collect();
        let mut times = Vec::with_capacity(clients);
        for list in lists {
            times.push(list.await.expect("a list task panicked"));
        }
        times
    });
    ListTiming::from_times(times)
}

/// Reads every key under `prefix` in one unpaged list, checks the count, and returns the time.
async fn list_once(store: &dyn Storage, prefix: &str, expected: usize) -> Duration {
    let started = Instant::now();
    let page = store
        .list(prefix, ListOptions::default())
        .await
        .unwrap_or_else(|error| panic!("list {prefix}: {error}"));
    let elapsed = started.elapsed();
    assert_eq!(page.items.len(), expected, "keys listed under {prefix}");
    elapsed
}
