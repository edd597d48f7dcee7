//! The scheduler's `/metrics`: attempts and their latency by result, under upstream's names.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use std::time::Duration;

/// How an attempt to schedule a pod ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Bound to a node.
    Scheduled,
    /// No node fits.
    Unschedulable,
    /// The binding (or something else) failed.
    Error,
}

impl Outcome {
    /// The `result` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Scheduled => "scheduled",
            Outcome::Unschedulable => "unschedulable",
            Outcome::Error => "error",
        }
    }
}

/// `scheduler_schedule_attempts_total` and `scheduler_scheduling_attempt_duration_seconds`,
/// labelled `result` and `profile` (the scheduler name).
#[derive(Clone)]
pub struct Metrics {
    attempts: IntCounterVec,
    duration: HistogramVec,
}

impl Metrics {
    /// Registers the metrics on `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Metrics> {
        let attempts = IntCounterVec::new(
            Opts::new(
                "scheduler_schedule_attempts_total",
                "Number of attempts to schedule pods, by the result.",
            ),
            &["result", "profile"],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "scheduler_scheduling_attempt_duration_seconds",
                "Scheduling attempt latency in seconds (scheduling algorithm + binding).",
            )
            .buckets(prometheus::exponential_buckets(0.001, 2.0, 15)?),
            &["result", "profile"],
        )?;
        registry.register(Box::new(attempts.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        Ok(Metrics { attempts, duration })
    }

    /// Counts one attempt that ended as `outcome` after `elapsed`.
    pub fn observe(&self, outcome: Outcome, profile: &str, elapsed: Duration) {
        let labels = [outcome.as_str(), profile];
        self.attempts.with_label_values(&labels).inc();
        self.duration.with_label_values(&labels).observe(elapsed.as_secs_f64());
    }
}
