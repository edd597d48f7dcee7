//! The loop every controller's workers run (seed 001's informer + workqueue pattern): take a
//! key, sync it, forget its failures on success, retry it with backoff on failure, give up after
//! [`MAX_RETRIES`] (the next change or resync brings it back), stop on shutdown.

use client::workqueue::WorkQueue;
use component_base::ShutdownToken;
use std::future::Future;

/// Failures after which a key is dropped until something changes (upstream's `maxRetries`).
pub const MAX_RETRIES: u32 = 15;

/// Runs `workers` concurrent workers over `queue` until `shutdown`, then shuts the queue down
/// and waits for the workers to finish their current keys.
pub async fn run_workers<F, Fut>(
    controller: &'static str,
    queue: WorkQueue<String>,
    workers: usize,
    shutdown: ShutdownToken,
    sync: F,
) where
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), client::Error>> + Send,
{
    let mut tasks = Vec::new();
    for _ in 0..workers.max(1) {
        let queue = queue.clone();
        let sync = sync.clone();
        tasks.push(tokio::spawn(async move {
            while let Some(key) = queue.get().await {
                match sync(key.clone()).await {
                    Ok(()) => queue.forget(&key),
                    Err(error) if queue.num_requeues(&key) < MAX_RETRIES => {
                        tracing::debug!(controller, %key, %error, "sync failed; retrying");
                        queue.add_rate_limited(key.clone());
                    }
                    Err(error) => {
                        tracing::warn!(controller, %key, %error, "sync failed too often; dropping");
                        queue.forget(&key);
                    }
                }
                queue.done(&key);
            }
        }));
    }
    shutdown.wait().await;
    queue.shut_down();
    for task in tasks {
        let _ = task.await;
    }
}

/// `namespace/name` split in two (a cluster-scoped key has no namespace).
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or(("", key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    #[test]
    fn keys_split_into_namespace_and_name() {
        assert_eq!(split_key("default/web"), ("default", "web"));
        assert_eq!(split_key("node-1"), ("", "node-1"));
    }

    #[tokio::test]
    async fn failures_are_retried_until_they_succeed_and_shutdown_stops_the_workers() {
        let queue: WorkQueue<String> = WorkQueue::default();
        let attempts = Arc::new(AtomicU32::new(0));
        let shutdown = ShutdownToken::new();
        let counter = attempts.clone();
        let workers =
            tokio::spawn(run_workers("test", queue.clone(), 2, shutdown.clone(), move |_key| {
                let counter = counter.clone();
                async move {
                    if counter.fetch_add(1, Ordering::SeqCst) < 2 {
                        Err(client::Error::Transport("refused".into()))
                    } else {
                        Ok(())
                    }
                }
            }));
        queue.add("default/web".to_string());
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while attempts.load(Ordering::SeqCst) < 3 {
            assert!(tokio::time::Instant::now() < deadline, "retries never came");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        shutdown.trigger();
        tokio::time::timeout(Duration::from_secs(5), workers).await.unwrap().unwrap();
        assert_eq!(attempts.load(Ordering::SeqCst), 3);
        assert_eq!(queue.num_requeues(&"default/web".to_string()), 0, "forgotten after success");
    }
}
