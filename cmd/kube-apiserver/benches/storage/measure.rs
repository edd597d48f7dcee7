//! The order of measurements for one backend: at each concurrency level the single-key
//! operations (ours, then the floor, back to back, so that outside load hits both alike) and the
//! watch latency; then the lists.

use super::listing;
use super::plan::{Level, Plan};
use super::report::{Compared, LevelReport, Throughput, progress};
use super::single_key::{AsyncWorkload, Ours, Workload};
use super::watch_latency::{WatchOps, WatchRun};
use kube_apiserver::storage::{Revision, Storage};
use std::sync::Arc;
use std::time::Duration;
use tokio::runtime::Handle;

/// All the keys the bench writes live under this prefix, as the apiserver's would.
const ROOT: &str = "/registry/bench";

/// Clients that fill the listed prefix (untimed set-up).
const FILL_CLIENTS: usize = 64;

/// Untimed creates and gets through ours and the floor before the first measurement, so that
/// neither is timed while it opens connections and files or grows its database from nothing.
const WARM_UP_OPS: usize = 200;

/// Measures `store` against `floor` (and its watches against `watch_floor`, when there is one)
/// as `plan` says, printing progress lines as it goes.
pub fn backend(
    runtime: &Handle,
    plan: &Plan,
    name: &str,
    store: &Arc<dyn Storage>,
    floor: &mut dyn Workload,
    watch_floor: Option<Arc<dyn WatchOps>>,
) -> Vec<LevelReport> {
    let watch_ours: Arc<dyn WatchOps> = Arc::new(Ours(Arc::clone(store)));
    let mut ours = AsyncWorkload::new(Ours(Arc::clone(store)), runtime.clone());
    let value = plan.value();
    for (workload, who) in [(&mut ours as &mut dyn Workload, "ours"), (floor, "bare")] {
        let warm_up_keys = keys(&format!("{ROOT}/warm-up-{who}/"), WARM_UP_OPS);
        workload.create_all(1, &warm_up_keys, &value);
        workload.get_many(1, &warm_up_keys, WARM_UP_OPS);
    }
    progress(format!("{name}: warmed up with {WARM_UP_OPS} creates and gets each"));
    let mut reports: Vec<LevelReport> = plan
        .levels
        .iter()
        .map(|level| {
            let step = Step { name, level };
            let (creates, updates, gets) = step.single_key(&mut ours, floor, &value);
            let watch_run = |who: &str, watched: &Arc<dyn WatchOps>| {
                let latency = WatchRun {
                    prefix: &format!("{ROOT}/watch-{who}-{}/", level.clients),
                    watchers: plan.watchers,
                    writers: level.clients,
                    writes: level.watch_writes,
                    value: &value,
                }
                .measure(runtime, watched);
                progress(format!(
                    "{name}, {} clients: watch delivery ({who}) to {} watchers, {} samples: \
                     p50 {:.3} ms, p99 {:.3} ms after the ack",
                    level.clients,
                    plan.watchers,
                    latency.samples,
                    latency.p50 * 1000.0,
                    latency.p99 * 1000.0
                ));
                latency
            };
            let watch = watch_run("ours", &watch_ours);
            let watch_floor = watch_floor.as_ref().map(|bare| watch_run("bare", bare));
            LevelReport {
                clients: level.clients,
                creates,
                updates,
                gets,
                list: None,
                watch,
                watch_floor,
            }
        })
        .collect();

    let prefix = format!("{ROOT}/list/");
    let (filled, _) = ours.create_all(FILL_CLIENTS, &keys(&prefix, plan.list_keys), &value);
    progress(format!(
        "{name}: filled {prefix} with {} keys in {:.2} s",
        plan.list_keys,
        filled.as_secs_f64()
    ));
    for report in &mut reports {
        let list = match report.clients {
            1 => listing::sequential(runtime, store, &prefix, plan.list_keys, plan.list_repeats),
            clients => listing::concurrent(runtime, store, &prefix, plan.list_keys, clients),
        };
        progress(format!(
            "{name}, {} clients: {} lists of {} keys: median {:?}, slowest {:?}",
            report.clients, list.lists, plan.list_keys, list.median, list.max
        ));
        report.list = Some(list);
    }
    reports
}

/// One backend at one concurrency level.
struct Step<'a> {
    name: &'a str,
    level: &'a Level,
}

impl Step<'_> {
    /// Creates, then updates the created keys, then gets them: ours and the floor alternately,
    /// each on keys of its own.
    fn single_key(
        &self,
        ours: &mut dyn Workload,
        floor: &mut dyn Workload,
        value: &[u8],
    ) -> (Compared, Compared, Compared) {
        let Level { clients, creates, updates, gets, .. } = *self.level;
        let ours_keys = keys(&format!("{ROOT}/ours-{clients}/"), creates);
        let floor_keys = keys(&format!("{ROOT}/bare-{clients}/"), creates);

        let mut ours_created = Vec::new();
        let mut floor_created = Vec::new();
        let create_times = self.compare("creates", creates, ours, floor, |workload, is_ours| {
            let keys = if is_ours { &ours_keys } else { &floor_keys };
            let (elapsed, revisions) = workload.create_all(clients, keys, value);
            let created = if is_ours { &mut ours_created } else { &mut floor_created };
            *created = with_revisions(keys, revisions);
            elapsed
        });
        let update_times =
            self.compare("CAS updates", updates, ours, floor, |workload, is_ours| {
                let keys = if is_ours { &ours_created } else { &floor_created };
                workload.update_many(clients, keys, updates, value)
            });
        let get_times = self.compare("gets", gets, ours, floor, |workload, is_ours| {
            let keys = if is_ours { &ours_keys } else { &floor_keys };
            workload.get_many(clients, keys, gets)
        });
        (create_times, update_times, get_times)
    }

    /// Runs `run` on ours and then on the floor, reporting each.
    fn compare(
        &self,
        what: &str,
        ops: usize,
        ours: &mut dyn Workload,
        floor: &mut dyn Workload,
        mut run: impl FnMut(&mut dyn Workload, bool) -> Duration,
    ) -> Compared {
        let ours = Throughput { ops, elapsed: run(ours, true) };
        let floor = Throughput { ops, elapsed: run(floor, false) };
        let compared = Compared { ours, floor };
        progress(format!(
            "{}, {} clients: {what}: ours {ours}; floor {floor}; ours/floor {:.2}",
            self.name,
            self.level.clients,
            compared.ratio()
        ));
        compared
    }
}

/// `count` keys under `prefix`, numbered so that they sort in creation order.
fn keys(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|index| format!("{prefix}{index:06}")).collect()
}

fn with_revisions(keys: &[String], revisions: Vec<Revision>) -> Vec<(String, Revision)> {
    keys.iter().cloned().zip(revisions).collect()
}
