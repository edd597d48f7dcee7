//! Retrying a read-modify-write that lost an optimistic-concurrency race, and the [`Backoff`]
//! schedule it (and other bounded retries) sleeps on. Upstream keeps the same helpers in
//! client-go's `util/retry` and apimachinery's `wait.Backoff`.

use crate::error::{Error, Result};
use std::future::Future;
use std::time::Duration;

/// A bounded schedule of waits: `steps` attempts, the first wait `duration`, each next one
/// multiplied by `factor` (up to `cap`), each stretched by a random share of up to `jitter`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub duration: Duration,
    pub factor: f64,
    pub jitter: f64,
    /// How many attempts the schedule allows (at least one is always made).
    pub steps: u32,
    /// Once a wait would exceed this, it stays here and no further steps are taken.
    pub cap: Option<Duration>,
}

impl Backoff {
    /// Upstream's `retry.DefaultRetry`: five quick tries, for conflicts that resolve at once.
    pub const DEFAULT_RETRY: Backoff = Backoff {
        duration: Duration::from_millis(10),
        factor: 1.0,
        jitter: 0.1,
        steps: 5,
        cap: None,
    };

    /// Upstream's `retry.DefaultBackoff`: four tries spreading out fast, for contended objects.
    pub const DEFAULT_BACKOFF: Backoff = Backoff {
        duration: Duration::from_millis(10),
        factor: 5.0,
        jitter: 0.1,
        steps: 4,
        cap: None,
    };

    /// The next wait, advancing the schedule.
    pub fn step(&mut self) -> Duration {
        if self.steps == 0 {
            return jitter(self.duration, self.jitter);
        }
        self.steps -= 1;
        let current = self.duration;
        if self.factor != 0.0 {
            self.duration = self.duration.mul_f64(self.factor);
            if let Some(cap) = self.cap
                && self.duration > cap
            {
                self.duration = cap;
                self.steps = 0;
            }
        }
        jitter(current, self.jitter)
    }
}

/// `duration` plus a random share of up to `max_factor` of it; a non-positive factor adds up to
/// the whole duration, as upstream's `wait.Jitter` does.
pub fn jitter(duration: Duration, max_factor: f64) -> Duration {
    let max_factor = if max_factor <= 0.0 { 1.0 } else { max_factor };
    duration + duration.mul_f64(fastrand::f64() * max_factor)
}

/// Runs `attempt` until it succeeds, fails with an error `retriable` rejects, or `backoff` runs
/// out of steps (then the last error is returned).
pub async fn on_error<T, E, F, Fut>(
    mut backoff: Backoff,
    retriable: impl Fn(&E) -> bool,
    mut attempt: F,
) -> std::result::Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, E>>,
{
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) if backoff.steps <= 1 || !retriable(&error) => return Err(error),
            Err(_) => tokio::time::sleep(backoff.step()).await,
        }
    }
}

/// Runs a read-modify-write `attempt` again (re-reading inside `attempt`) while the apiserver
/// answers 409 Conflict, on `backoff`'s schedule: [`Backoff::DEFAULT_RETRY`] suits most callers.
pub async fn retry_on_conflict<T, F, Fut>(backoff: Backoff, attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    on_error(backoff, Error::is_conflict, attempt).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::meta::v1::Status;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn conflict() -> Error {
        Error::from(Status::conflict("", "configmaps", "c", "the object has been modified"))
    }

    #[test]
    fn steps_grow_by_the_factor_up_to_the_cap() {
        let mut backoff = Backoff {
            duration: Duration::from_millis(10),
            factor: 2.0,
            jitter: 0.0,
            steps: 10,
            cap: Some(Duration::from_millis(50)),
        };
        let waits: Vec<u128> = (0..4).map(|_| backoff.step().as_millis()).collect();
        // No jitter configured means up to the whole duration again, so each wait lies in
        // [d, 2d].
        for (wait, base) in waits.iter().zip([10u128, 20, 40, 50]) {
            assert!((base..=2 * base).contains(wait), "{waits:?}");
        }
        assert_eq!(backoff.steps, 0, "reaching the cap ends the schedule");
        let mut retry = Backoff::DEFAULT_RETRY;
        for _ in 0..4 {
            let wait = retry.step();
            assert!(wait >= Duration::from_millis(10) && wait <= Duration::from_millis(11));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn conflicts_are_retried_for_the_schedule_s_steps_only() {
        let attempts = AtomicU32::new(0);
        let result: Result<()> = retry_on_conflict(Backoff::DEFAULT_RETRY, || async {
            attempts.fetch_add(1, Ordering::SeqCst);
            Err(conflict())
        })
        .await;
        assert!(result.unwrap_err().is_conflict());
        assert_eq!(attempts.load(Ordering::SeqCst), 5);

        attempts.store(0, Ordering::SeqCst);
        let result = retry_on_conflict(Backoff::DEFAULT_RETRY, || async {
            match attempts.fetch_add(1, Ordering::SeqCst) {
                0 | 1 => Err(conflict()),
                n => Ok(n),
            }
        })
        .await;
        assert_eq!(result.unwrap(), 2);

        attempts.store(0, Ordering::SeqCst);
        let result: Result<()> = retry_on_conflict(Backoff::DEFAULT_RETRY, || async {
            attempts.fetch_add(1, Ordering::SeqCst);
            Err(Error::from(Status::not_found("", "configmaps", "c")))
        })
        .await;
        assert!(result.unwrap_err().is_not_found());
        assert_eq!(attempts.load(Ordering::SeqCst), 1, "other errors are not retried");
    }
}
