//! What a run found, the table it prints, and the progress lines printed on the way.

use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Prints a progress line (to stderr, so that stdout holds only the report), stamped with the
/// time since the run started.
pub fn progress(message: impl fmt::Display) {
    let started = STARTED.get_or_init(Instant::now);
    eprintln!("[{:>6.1} s] {message}", started.elapsed().as_secs_f64());
}

/// A number of operations and the time they took.
#[derive(Clone, Copy, Debug)]
pub struct Throughput {
    pub ops: usize,
    pub elapsed: Duration,
}

impl Throughput {
    pub fn per_second(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64()
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {:.2} s = {:.0}/s",
            self.ops,
            self.elapsed.as_secs_f64(),
            self.per_second()
        )
    }
}

/// One operation's throughput through our store and through its floor.
#[derive(Clone, Copy, Debug)]
pub struct Compared {
    pub ours: Throughput,
    pub floor: Throughput,
}

impl Compared {
    /// Ours over the floor: 1.0 means our layers cost nothing measurable.
    pub fn ratio(&self) -> f64 {
        self.ours.per_second() / self.floor.per_second()
    }
}

/// How long lists took.
#[derive(Clone, Debug)]
pub struct ListTiming {
    pub median: Duration,
    pub max: Duration,
    pub lists: usize,
}

impl ListTiming {
    pub fn from_times(mut times: Vec<Duration>) -> ListTiming {
        times.sort();
        ListTiming {
            median: percentile(&times, 50.0).unwrap_or_default(),
            max: times.last().copied().unwrap_or_default(),
            lists: times.len(),
        }
    }
}

/// Delivery latencies over every (watcher, event) pair, in seconds after the write's
/// acknowledgement (negative when the event arrived first).
#[derive(Clone, Debug)]
pub struct WatchLatency {
    pub p50: f64,
    pub p99: f64,
    pub samples: usize,
    /// Deliveries that reached the watcher before the writer saw its acknowledgement.
    pub early: usize,
    /// Why watchers ended before receiving every event.
    pub failures: Vec<String>,
}

impl WatchLatency {
    pub fn from_latencies(mut latencies: Vec<f64>, failures: Vec<String>) -> WatchLatency {
        latencies.sort_by(f64::total_cmp);
        WatchLatency {
            p50: percentile(&latencies, 50.0).unwrap_or_default(),
            p99: percentile(&latencies, 99.0).unwrap_or_default(),
            samples: latencies.len(),
            early: latencies.iter().filter(|latency| **latency < 0.0).count(),
            failures,
        }
    }
}

/// The nearest-rank percentile of `sorted`; `None` when it is empty.
fn percentile<T: Copy>(sorted: &[T], percent: f64) -> Option<T> {
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

/// Everything measured at one concurrency level.
#[derive(Clone, Debug)]
pub struct LevelReport {
    pub clients: usize,
    pub creates: Compared,
    pub updates: Compared,
    pub gets: Compared,
    pub list: Option<ListTiming>,
    pub watch: WatchLatency,
    /// The same watch measurement on the floor, where the backend has one.
    pub watch_floor: Option<WatchLatency>,
}

/// One backend's table.
#[derive(Clone, Debug)]
pub struct BackendReport {
    /// What was measured, e.g. "embedded (SQLite WAL, synchronous=FULL)".
    pub title: String,
    /// What the floor is, in a sentence.
    pub floor: String,
    pub list_keys: usize,
    pub watchers: usize,
    pub levels: Vec<LevelReport>,
}

/// Width of the row labels, and of each figure column.
const LABEL: usize = 40;
const FIGURE: usize = 11;

/// One level's three cells of a row: ours, the floor, and their ratio.
type Cells = [String; 3];

impl fmt::Display for BackendReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\n== {} ==", self.title)?;
        write!(f, "{:LABEL$}", "")?;
        for level in &self.levels {
            let clients = match level.clients {
                1 => "1 client".to_string(),
                n => format!("{n} clients"),
            };
            write!(f, "{clients:>width$}", width = 3 * FIGURE + 2)?;
        }
        writeln!(f)?;
        let heading = ["ours", "floor", "ours/floor"].map(str::to_string);
        self.row(f, "", |_| heading.clone())?;

        self.row(f, "creates/s", |level| throughput(level.creates))?;
        self.row(f, "CAS updates/s", |level| throughput(level.updates))?;
        self.row(f, "gets/s", |level| throughput(level.gets))?;
        let list = format!("list of {} keys, ms (median)", self.list_keys);
        self.row(f, &list, |level| ours_only(level.list.as_ref().map(|list| millis(list.median))))?;
        self.row(f, "  slowest list, ms", |level| {
            ours_only(level.list.as_ref().map(|list| millis(list.max)))
        })?;
        let watch = format!("watch p50, ms after ack ({} watchers)", self.watchers);
        self.row(f, &watch, |level| latency(level, |watch| watch.p50))?;
        self.row(f, "watch p99, ms", |level| latency(level, |watch| watch.p99))?;
        self.row(f, "  delivered before the ack", |level| {
            let share = |watch: &WatchLatency| {
                let share = 100.0 * watch.early as f64 / watch.samples.max(1) as f64;
                format!("{share:.0}%")
            };
            let floor = level.watch_floor.as_ref().map_or("-".to_string(), share);
            [share(&level.watch), floor, String::new()]
        })?;
        for level in &self.levels {
            let watches = [("ours", Some(&level.watch)), ("floor", level.watch_floor.as_ref())];
            for (who, watch) in watches {
                let failures = watch.map_or(&[][..], |watch| &watch.failures[..]);
                for failure in failures.iter().take(3) {
                    let clients = level.clients;
                    writeln!(f, "  {who}, {clients} clients: a watcher ended early: {failure}")?;
                }
                if failures.len() > 3 {
                    writeln!(f, "  ... and {} more watchers", failures.len() - 3)?;
                }
            }
        }
        write!(f, "floor: {}", self.floor)
    }
}

impl BackendReport {
    fn row(
        &self,
        f: &mut fmt::Formatter<'_>,
        label: &str,
        cells: impl Fn(&LevelReport) -> Cells,
    ) -> fmt::Result {
        write!(f, "{label:LABEL$}")?;
        for level in &self.levels {
            let [ours, floor, ratio] = cells(level);
            write!(f, "  {ours:>FIGURE$}{floor:>FIGURE$}{ratio:>FIGURE$}")?;
        }
        writeln!(f)
    }
}

fn throughput(compared: Compared) -> Cells {
    [
        format!("{:.0}", compared.ours.per_second()),
        format!("{:.0}", compared.floor.per_second()),
        format!("{:.2}", compared.ratio()),
    ]
}

/// A latency row: ours, the floor's, and ours over the floor's (above 1 means we are slower;
/// shown only when both are positive, as a ratio of signed latencies means nothing).
fn latency(level: &LevelReport, pick: impl Fn(&WatchLatency) -> f64) -> Cells {
    let millis = |seconds: f64| format!("{:.2}", seconds * 1000.0);
    let ours = pick(&level.watch);
    let floor = level.watch_floor.as_ref().map(pick);
    let ratio = match floor {
        Some(floor) if floor > 0.0 && ours > 0.0 => format!("{:.2}", ours / floor),
        _ => "-".to_string(),
    };
    [millis(ours), floor.map_or("-".to_string(), millis), ratio]
}

fn ours_only(figure: Option<String>) -> Cells {
    [figure.unwrap_or_else(|| "-".to_string()), "-".to_string(), "-".to_string()]
}

fn millis(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}
