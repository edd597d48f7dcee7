//! Named health checks and upstream's `/healthz`, `/livez` and `/readyz` answers.
//!
//! The answer formats follow upstream so probes, scripts and people reading `?verbose` output see
//! what they are used to: `ok` when healthy; one `[+]name ok` / `[-]name failed: reason withheld`
//! line per check plus a summary line when verbose or failing; `?exclude=name` to skip a check;
//! `/<probe>/<name>` for a single check.

use std::collections::BTreeSet;
use std::sync::Arc;

use hyper::StatusCode;

use crate::metrics::OwnMetrics;

/// A health check: cheap, non-blocking, `true` when healthy. It runs on every probe request,
/// so it should read state kept up to date elsewhere rather than do I/O.
pub type HealthCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// The name of the check that stands in when a probe has no checks, as upstream does.
const PING: &str = "ping";

/// The three probe endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// `/healthz`: the legacy combined probe.
    Healthz,
    /// `/livez`: should the process be restarted?
    Livez,
    /// `/readyz`: should the process get traffic?
    Readyz,
}

impl Probe {
    /// The probe's path segment, also its name in messages and metrics.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Probe::Healthz => "healthz",
            Probe::Livez => "livez",
            Probe::Readyz => "readyz",
        }
    }

    /// The probe served at `/<segment>`.
    pub(crate) fn from_segment(segment: &str) -> Option<Self> {
        [Probe::Healthz, Probe::Livez, Probe::Readyz]
            .into_iter()
            .find(|probe| probe.name() == segment)
    }
}

/// One registered check and which probes it takes part in.
#[derive(Clone)]
struct NamedCheck {
    name: String,
    check: HealthCheck,
    readiness_only: bool,
}

impl NamedCheck {
    /// Whether this check decides the given probe.
    fn applies_to(&self, probe: Probe) -> bool {
        !self.readiness_only || probe == Probe::Readyz
    }
}

/// What a probe request gets back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProbeAnswer {
    /// 200 when healthy, 500 when not.
    pub(crate) status: StatusCode,
    /// Plain text body.
    pub(crate) body: String,
}

/// The checks a health server runs.
#[derive(Clone, Default)]
pub(crate) struct HealthChecks {
    checks: Vec<NamedCheck>,
}

impl HealthChecks {
    /// Adds a check, replacing any earlier check of the same name.
    pub(crate) fn add(&mut self, name: String, check: HealthCheck, readiness_only: bool) {
        self.checks.retain(|existing| existing.name != name);
        self.checks.push(NamedCheck { name, check, readiness_only });
    }

    /// The checks deciding `probe`, in registration order; `ping` alone when there are none.
    fn for_probe(&self, probe: Probe) -> Vec<NamedCheck> {
        let applicable: Vec<NamedCheck> =
            self.checks.iter().filter(|check| check.applies_to(probe)).cloned().collect();
        if applicable.is_empty() {
            vec![NamedCheck {
                name: PING.to_owned(),
                check: Arc::new(|| true),
                readiness_only: false,
            }]
        } else {
            applicable
        }
    }

    /// Whether a check named `name` decides `probe` (the stand-in `ping` included).
    pub(crate) fn decides(&self, probe: Probe, name: &str) -> bool {
        self.for_probe(probe).iter().any(|check| check.name == name)
    }

    /// Answers `/<probe>?<query>`: runs every applicable check not excluded by the query.
    pub(crate) fn answer_probe(
        &self,
        probe: Probe,
        query: &str,
        metrics: &OwnMetrics,
    ) -> ProbeAnswer {
        let request = ProbeQuery::parse(query);
        let mut unmatched_excludes = request.excluded.clone();
        let mut report = String::new();
        let mut failed = Vec::new();
        for check in self.for_probe(probe) {
            if unmatched_excludes.remove(&check.name) {
                report.push_str(&format!("[+]{} excluded: ok\n", check.name));
                continue;
            }
            let healthy = (check.check)();
            metrics.record_check(&check.name, probe.name(), healthy);
            if healthy {
                report.push_str(&format!("[+]{} ok\n", check.name));
            } else {
                report.push_str(&format!("[-]{} failed: reason withheld\n", check.name));
                failed.push(check.name);
            }
        }
        if !unmatched_excludes.is_empty() {
            let names: Vec<String> =
                unmatched_excludes.iter().map(|name| format!("{name:?}")).collect();
            report.push_str(&format!(
                "warn: some health checks cannot be excluded: no matches for {}\n",
                names.join(",")
            ));
        }
        if !failed.is_empty() {
            tracing::debug!(probe = probe.name(), failed = ?failed, "health checks failed");
            report.push_str(&format!("{} check failed\n", probe.name()));
            return ProbeAnswer { status: StatusCode::INTERNAL_SERVER_ERROR, body: report };
        }
        let body = if request.verbose {
            report.push_str(&format!("{} check passed\n", probe.name()));
            report
        } else {
            "ok".to_owned()
        };
        ProbeAnswer { status: StatusCode::OK, body }
    }

    /// Answers `/<probe>/<name>`: runs that one check; `None` when no such check decides `probe`.
    pub(crate) fn answer_single(
        &self,
        probe: Probe,
        name: &str,
        metrics: &OwnMetrics,
    ) -> Option<ProbeAnswer> {
        let check = self.for_probe(probe).into_iter().find(|check| check.name == name)?;
        let healthy = (check.check)();
        metrics.record_check(&check.name, probe.name(), healthy);
        Some(if healthy {
            ProbeAnswer { status: StatusCode::OK, body: "ok".to_owned() }
        } else {
            ProbeAnswer {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                body: format!("internal server error: {name} check failed\n"),
            }
        })
    }
}

/// The options a probe request's query string can carry.
#[derive(Debug, Default, PartialEq, Eq)]
struct ProbeQuery {
    /// `?verbose`: list every check even when all pass.
    verbose: bool,
    /// `?exclude=a&exclude=b`: checks to skip (sorted, for stable messages).
    excluded: BTreeSet<String>,
}

impl ProbeQuery {
    /// Reads `verbose` and `exclude` out of a raw query string; other keys are ignored.
    fn parse(query: &str) -> Self {
        let mut parsed = ProbeQuery::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match percent_decode(key).as_str() {
                "verbose" => parsed.verbose = true,
                "exclude" => {
                    parsed.excluded.insert(percent_decode(value));
                }
                _ => {}
            }
        }
        parsed
    }
}

/// Decodes `%XX` escapes and `+` as in form-encoded query strings; malformed escapes stay as
/// written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = match bytes[index..] {
            [b'%', high, low, ..] => hex_digit(high).zip(hex_digit(low)),
            _ => None,
        };
        match (bytes[index], escaped) {
            (_, Some((high, low))) => {
                decoded.push(high << 4 | low);
                index += 3;
            }
            (b'+', None) => {
                decoded.push(b' ');
                index += 1;
            }
            (byte, None) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The value of one hexadecimal digit.
fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::VersionInfo;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn metrics() -> OwnMetrics {
        OwnMetrics::new(&VersionInfo::current())
    }

    fn flag_check(flag: &Arc<AtomicBool>) -> HealthCheck {
        let flag = Arc::clone(flag);
        Arc::new(move || flag.load(Ordering::SeqCst))
    }

    #[test]
    fn no_checks_means_ping() {
        let checks = HealthChecks::default();
        let metrics = metrics();
        let quiet = checks.answer_probe(Probe::Healthz, "", &metrics);
        assert_eq!((quiet.status, quiet.body.as_str()), (StatusCode::OK, "ok"));
        let verbose = checks.answer_probe(Probe::Livez, "verbose", &metrics);
        assert_eq!(verbose.body, "[+]ping ok\nlivez check passed\n");
    }

    #[test]
    fn failing_check_lists_every_check() {
        let etcd = Arc::new(AtomicBool::new(false));
        let mut checks = HealthChecks::default();
        checks.add("log".into(), Arc::new(|| true), false);
        checks.add("etcd".into(), flag_check(&etcd), false);
        let answer = checks.answer_probe(Probe::Healthz, "", &metrics());
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            answer.body,
            "[+]log ok\n[-]etcd failed: reason withheld\nhealthz check failed\n"
        );

        etcd.store(true, Ordering::SeqCst);
        let answer = checks.answer_probe(Probe::Healthz, "verbose=1", &metrics());
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, "[+]log ok\n[+]etcd ok\nhealthz check passed\n");
    }

    #[test]
    fn excluded_checks_are_skipped_and_unknown_ones_reported() {
        let mut checks = HealthChecks::default();
        checks.add("etcd".into(), Arc::new(|| false), false);
        let answer =
            checks.answer_probe(Probe::Readyz, "exclude=etcd&exclude=nope&verbose", &metrics());
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer.body,
            "[+]etcd excluded: ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nreadyz check passed\n"
        );
    }

    #[test]
    fn readiness_only_checks_decide_only_readyz() {
        let mut checks = HealthChecks::default();
        checks.add("informer-sync".into(), Arc::new(|| false), true);
        let metrics = metrics();
        assert_eq!(checks.answer_probe(Probe::Livez, "", &metrics).status, StatusCode::OK);
        assert_eq!(checks.answer_probe(Probe::Healthz, "", &metrics).status, StatusCode::OK);
        assert_eq!(
            checks.answer_probe(Probe::Readyz, "", &metrics).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert!(checks.answer_single(Probe::Livez, "informer-sync", &metrics).is_none());
    }

    #[test]
    fn single_check_answers() {
        let mut checks = HealthChecks::default();
        checks.add("etcd".into(), Arc::new(|| false), false);
        checks.add("etcd".into(), Arc::new(|| true), false);
        let metrics = metrics();
        let answer = checks.answer_single(Probe::Healthz, "etcd", &metrics).unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (StatusCode::OK, "ok"));
        assert!(checks.answer_single(Probe::Healthz, "missing", &metrics).is_none());

        checks.add("etcd".into(), Arc::new(|| false), false);
        let answer = checks.answer_single(Probe::Healthz, "etcd", &metrics).unwrap();
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(answer.body, "internal server error: etcd check failed\n");
    }

    #[test]
    fn query_strings_are_decoded() {
        let query = ProbeQuery::parse("exclude=poststarthook%2Fstart-informers&exclude=a+b&x=%zz");
        assert!(!query.verbose);
        assert_eq!(
            query.excluded.into_iter().collect::<Vec<_>>(),
            ["a b", "poststarthook/start-informers"]
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e2%9c%93"), "\u{2713}");
    }
}
