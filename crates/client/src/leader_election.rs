//! Leader election on a coordination/v1 `Lease`, so that of several replicas of a component
//! (controller-manager, scheduler) exactly one acts at a time, as client-go's
//! `tools/leaderelection` with its `LeaseLock` does.
//!
//! Candidates race to write their identity into the Lease; the apiserver's optimistic concurrency
//! on `resourceVersion` lets one write win. The holder renews every retry period. Others take the
//! Lease over only after it went unchanged for a whole lease duration, judged by when they saw
//! it change on their own clock (never by comparing clocks with the holder). A holder that cannot
//! renew within the renew deadline, or sees another holder, stops leading.

use crate::api::Api;
use crate::client::Client;
use crate::error::Error;
use crate::retry::jitter;
use api_types::api::coordination::v1::{Lease, LeaseSpec};
use api_types::meta::v1::{CreateOptions, MicroTime, UpdateOptions};
use component_base::ShutdownToken;
use component_base::control_plane::LeaderElectionOptions;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// How long a lease stays valid after its last observed change (upstream's default).
pub const DEFAULT_LEASE_DURATION: Duration = Duration::from_secs(15);
/// How long the leader keeps retrying a failed renewal before it stops leading.
pub const DEFAULT_RENEW_DEADLINE: Duration = Duration::from_secs(10);
/// How often the leader renews and candidates retry.
pub const DEFAULT_RETRY_PERIOD: Duration = Duration::from_secs(2);
/// Candidates spread their retries over up to this share of the retry period again.
const JITTER_FACTOR: f64 = 1.2;

/// Which Lease to contend for, as whom, and on what timing.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaderElectionConfig {
    /// The Lease's namespace (`kube-system` for the control plane's components).
    pub namespace: String,
    /// The Lease's name (`kube-controller-manager`, `kube-scheduler`).
    pub name: String,
    /// This candidate's unique name; [`default_identity`] unless set.
    pub identity: String,
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
    /// Clear the holder when leading ends other than by losing the lease, so the next candidate
    /// need not wait for the lease to expire.
    pub release_on_cancel: bool,
}

impl LeaderElectionConfig {
    /// Contend for `namespace/name` with upstream's default timing and a fresh identity.
    pub fn new(namespace: &str, name: &str) -> Self {
        LeaderElectionConfig {
            namespace: namespace.to_string(),
            name: name.to_string(),
            identity: default_identity(),
            lease_duration: DEFAULT_LEASE_DURATION,
            renew_deadline: DEFAULT_RENEW_DEADLINE,
            retry_period: DEFAULT_RETRY_PERIOD,
            release_on_cancel: false,
        }
    }

    /// The same checks upstream makes: the timings must nest, or leadership could overlap.
    fn validate(&self) -> Result<(), InvalidElectionConfig> {
        let invalid = |message: &str| Err(InvalidElectionConfig(message.to_string()));
        if self.name.is_empty() || self.namespace.is_empty() {
            return invalid("the lease needs a namespace and a name");
        }
        if self.identity.is_empty() {
            return invalid("the identity may not be empty");
        }
        if self.lease_duration < Duration::from_secs(1) {
            return invalid("leaseDuration must be at least one second");
        }
        if self.lease_duration <= self.renew_deadline {
            return invalid("leaseDuration must be greater than renewDeadline");
        }
        if self.renew_deadline <= self.retry_period.mul_f64(JITTER_FACTOR) {
            return invalid("renewDeadline must be greater than retryPeriod*JitterFactor");
        }
        if self.retry_period.is_zero() {
            return invalid("retryPeriod must be greater than zero");
        }
        Ok(())
    }
}

impl LeaderElectionConfig {
    /// The configuration the `--leader-elect-*` flags describe, releasing the lease when the
    /// process stops so that a standby takes over at once.
    pub fn from_flags(flags: &LeaderElectionOptions) -> Self {
        LeaderElectionConfig {
            lease_duration: flags.leader_elect_lease_duration,
            renew_deadline: flags.leader_elect_renew_deadline,
            retry_period: flags.leader_elect_retry_period,
            release_on_cancel: true,
            ..LeaderElectionConfig::new(
                &flags.leader_elect_resource_namespace,
                &flags.leader_elect_resource_name,
            )
        }
    }
}

/// Runs `work` as the control plane's components do: at once with `--leader-elect=false` (the
/// work itself ends on shutdown), else only while this process holds the Lease the flags name,
/// until `shutdown`.
pub async fn run_with_flags<Fut>(
    client: Client,
    flags: &LeaderElectionOptions,
    shutdown: &ShutdownToken,
    work: impl FnOnce() -> Fut,
) -> Result<Outcome, InvalidElectionConfig>
where
    Fut: Future<Output = ()>,
{
    if !flags.leader_elect {
        work().await;
        return Ok(Outcome::Finished);
    }
    let elector = LeaderElector::new(client, LeaderElectionConfig::from_flags(flags))?;
    Ok(elector.run(shutdown.wait(), work).await)
}

/// A [`LeaderElectionConfig`] whose timings could let two candidates lead at once.
#[derive(Debug, thiserror::Error)]
#[error("leader election: {0}")]
pub struct InvalidElectionConfig(String);

/// This process's candidate name: the hostname, `_`, and a random UUID, as upstream's
/// components build it, so two processes on one host never share an identity.
pub fn default_identity() -> String {
    format!("{}_{}", hostname(), random_uuid())
}

/// Why [`LeaderElector::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The cancel future completed (before or while leading).
    Cancelled,
    /// Renewal failed past the renew deadline, or another candidate holds the lease now.
    Lost,
    /// The work run while leading finished by itself.
    Finished,
}

/// One candidate for one Lease; cheap to clone, clones are the same candidate.
#[derive(Clone)]
pub struct LeaderElector {
    inner: Arc<Inner>,
}

struct Inner {
    leases: Api<Lease>,
    config: LeaderElectionConfig,
    observed: Mutex<Observed>,
    leading: watch::Sender<bool>,
}

/// The Lease as last read or written, and when its record last changed as seen from here.
struct Observed {
    lease: Option<Lease>,
    changed_at: Instant,
}

/// One try at taking or keeping the lease.
enum Attempt {
    Held,
    HeldByOther(String),
    Failed(Error),
}

impl LeaderElector {
    /// A candidate for `config`'s Lease; fails when the timings do not nest.
    pub fn new(
        client: Client,
        config: LeaderElectionConfig,
    ) -> Result<Self, InvalidElectionConfig> {
        config.validate()?;
        let leases = Api::namespaced(client, &config.namespace);
        let (leading, _) = watch::channel(false);
        let observed = Observed { lease: None, changed_at: Instant::now() };
        Ok(LeaderElector {
            inner: Arc::new(Inner { leases, config, observed: Mutex::new(observed), leading }),
        })
    }

    /// This candidate's identity.
    pub fn identity(&self) -> &str {
        &self.inner.config.identity
    }

    /// Whether this candidate leads right now.
    pub fn is_leader(&self) -> bool {
        *self.inner.leading.borrow()
    }

    /// Follows leadership: `true` when this candidate started leading, `false` when it stopped.
    pub fn leadership(&self) -> watch::Receiver<bool> {
        self.inner.leading.subscribe()
    }

    /// The holder this candidate last saw in the Lease, if any.
    pub fn observed_leader(&self) -> Option<String> {
        let observed = self.inner.observed.lock().expect("election lock");
        let holder = observed.lease.as_ref()?.spec.holder_identity.clone()?;
        (!holder.is_empty()).then_some(holder)
    }

    /// Contends for the lease until `cancel` completes; once leading, runs `lead` while renewing,
    /// and drops it when leadership is lost. Returns why it stopped; a component that lost the
    /// lease should exit, as upstream's do.
    pub async fn run<Fut>(
        &self,
        cancel: impl Future<Output = ()>,
        lead: impl FnOnce() -> Fut,
    ) -> Outcome
    where
        Fut: Future<Output = ()>,
    {
        let config = &self.inner.config;
        tokio::pin!(cancel);
        tracing::info!(lease = %format!("{}/{}", config.namespace, config.name),
            identity = %config.identity, "attempting to acquire leader lease");
        tokio::select! {
            () = &mut cancel => return Outcome::Cancelled,
            () = self.acquire() => {}
        }
        tracing::info!(lease = %config.name, identity = %config.identity, "acquired leader lease");
        self.inner.leading.send_replace(true);
        let outcome = tokio::select! {
            () = &mut cancel => Outcome::Cancelled,
            () = lead() => Outcome::Finished,
            () = self.keep_renewing() => Outcome::Lost,
        };
        self.inner.leading.send_replace(false);
        match outcome {
            Outcome::Lost => tracing::info!(lease = %config.name, "leader election lost"),
            _ if config.release_on_cancel => self.release().await,
            _ => {}
        }
        outcome
    }

    /// Retries (jittered) until the lease is ours.
    async fn acquire(&self) {
        let config = &self.inner.config;
        loop {
            match tokio::time::timeout(config.renew_deadline, self.try_acquire_or_renew()).await {
                Ok(Attempt::Held) => return,
                Ok(Attempt::HeldByOther(holder)) => {
                    tracing::debug!(%holder, lease = %config.name, "lease is held by another");
                }
                Ok(Attempt::Failed(error)) => {
                    tracing::warn!(%error, lease = %config.name, "failed to acquire lease");
                }
                Err(_) => tracing::warn!(lease = %config.name, "acquiring the lease timed out"),
            }
            tokio::time::sleep(jitter(config.retry_period, JITTER_FACTOR)).await;
        }
    }

    /// Renews every retry period; returns when a renewal could not succeed within the renew
    /// deadline, or another candidate holds the lease.
    async fn keep_renewing(&self) {
        let config = &self.inner.config;
        loop {
            tokio::time::sleep(config.retry_period).await;
            let deadline = Instant::now() + config.renew_deadline;
            loop {
                match tokio::time::timeout_at(deadline, self.try_acquire_or_renew()).await {
                    Ok(Attempt::Held) => break,
                    Ok(Attempt::HeldByOther(holder)) => {
                        tracing::info!(%holder, lease = %config.name, "the lease moved to another holder");
                        return;
                    }
                    Ok(Attempt::Failed(error)) => {
                        tracing::warn!(%error, lease = %config.name, "failed to renew lease");
                    }
                    Err(_) => {
                        tracing::warn!(lease = %config.name, "renewing the lease timed out");
                        return;
                    }
                }
                let retry_at = (Instant::now() + config.retry_period).min(deadline);
                tokio::time::sleep_until(retry_at).await;
                if Instant::now() >= deadline {
                    return;
                }
            }
        }
    }

    /// One read and (at most) one write: create the lease, renew it, or take it over once it
    /// went unchanged for its duration.
    async fn try_acquire_or_renew(&self) -> Attempt {
        let config = &self.inner.config;
        let now = MicroTime::now();
        let current = match self.inner.leases.get_opt(&config.name).await {
            Ok(current) => current,
            Err(error) => return Attempt::Failed(error),
        };
        let Some(current) = current else {
            let mut lease = Lease::default();
            lease.metadata.name = config.name.clone();
            lease.metadata.namespace = config.namespace.clone();
            lease.spec = self.record(&LeaseSpec::default(), now, false);
            lease.spec.lease_transitions = Some(0);
            return match self.inner.leases.create(&lease, &CreateOptions::default()).await {
                Ok(created) => {
                    self.observe(created);
                    Attempt::Held
                }
                Err(error) => Attempt::Failed(error),
            };
        };
        let holder = current.spec.holder_identity.clone().unwrap_or_default();
        let holding = holder == config.identity;
        let changed_at = self.observe(current.clone());
        let lease_duration =
            Duration::from_secs(current.spec.lease_duration_seconds.unwrap_or(0).max(0) as u64);
        if !holder.is_empty() && !holding && changed_at + lease_duration > Instant::now() {
            return Attempt::HeldByOther(holder);
        }
        let mut update = current.clone();
        update.spec = self.record(&current.spec, now, holding);
        match self.inner.leases.replace(&config.name, &update, &UpdateOptions::default()).await {
            Ok(updated) => {
                self.observe(updated);
                Attempt::Held
            }
            Err(error) => Attempt::Failed(error),
        }
    }

    /// The lease record naming this candidate: a renewal keeps the acquire time and the
    /// transition count, a takeover starts a new term.
    fn record(&self, previous: &LeaseSpec, now: MicroTime, renewing: bool) -> LeaseSpec {
        let seconds = self.inner.config.lease_duration.as_secs().min(i32::MAX as u64) as i32;
        let transitions = previous.lease_transitions.unwrap_or(0);
        LeaseSpec {
            holder_identity: Some(self.inner.config.identity.clone()),
            lease_duration_seconds: Some(seconds),
            acquire_time: if renewing { previous.acquire_time.or(Some(now)) } else { Some(now) },
            renew_time: Some(now),
            lease_transitions: Some(if renewing { transitions } else { transitions + 1 }),
            ..previous.clone()
        }
    }

    /// Remembers `lease`; if its record differs from the one seen before, notes that it changed
    /// now. Returns when the record last changed.
    fn observe(&self, lease: Lease) -> Instant {
        let mut observed = self.inner.observed.lock().expect("election lock");
        let same = observed.lease.as_ref().is_some_and(|seen| seen.spec == lease.spec);
        if !same {
            observed.changed_at = Instant::now();
        }
        observed.lease = Some(lease);
        observed.changed_at
    }

    /// Clears the holder (with a one-second duration) so another candidate can take over at
    /// once, if this candidate still holds the lease as last seen.
    async fn release(&self) {
        let config = &self.inner.config;
        let lease = self.inner.observed.lock().expect("election lock").lease.clone();
        let Some(mut lease) = lease else { return };
        if lease.spec.holder_identity.as_deref() != Some(config.identity.as_str()) {
            return;
        }
        let now = MicroTime::now();
        lease.spec.holder_identity = Some(String::new());
        lease.spec.lease_duration_seconds = Some(1);
        lease.spec.acquire_time = Some(now);
        lease.spec.renew_time = Some(now);
        match self.inner.leases.replace(&config.name, &lease, &UpdateOptions::default()).await {
            Ok(released) => {
                self.observe(released);
                tracing::info!(lease = %config.name, "released leader lease");
            }
            Err(error) => tracing::warn!(%error, lease = %config.name, "failed to release lease"),
        }
    }
}

/// The kernel's hostname, as Go's `os.Hostname` reads it on Linux.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// A random (version 4) UUID in its usual text form.
fn random_uuid() -> String {
    let mut bytes: [u8; 16] = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_hostname_and_a_uuid() {
        let identity = default_identity();
        let (host, uuid) = identity.rsplit_once('_').unwrap();
        assert_eq!(host, hostname());
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.as_bytes()[14], b'4');
        assert_ne!(default_identity(), identity);
    }

    #[test]
    fn timings_must_nest() {
        let config = LeaderElectionConfig::new("kube-system", "kube-scheduler");
        assert_eq!(config.validate().map_err(|e| e.to_string()), Ok(()));
        let bad = LeaderElectionConfig { renew_deadline: config.lease_duration, ..config.clone() };
        assert!(bad.validate().unwrap_err().to_string().contains("greater than renewDeadline"));
        let bad = LeaderElectionConfig { retry_period: Duration::from_secs(9), ..config.clone() };
        assert!(bad.validate().unwrap_err().to_string().contains("retryPeriod*JitterFactor"));
        let bad = LeaderElectionConfig { identity: String::new(), ..config };
        assert!(bad.validate().is_err());
    }
}
