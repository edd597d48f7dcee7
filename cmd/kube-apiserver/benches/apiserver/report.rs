//! What a run found and the tables it prints: per backend, creates through the API beside the
//! same creates on the store and a TCP echo, lists beside a raw list, watch fan-out beside one
//! raw watch, and whether the targets hold.

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

/// The throughput target: creates through the API at least this share of the store's own.
pub const THROUGHPUT_TARGET: f64 = 0.5;
/// The latency target: create p99 through the API at 64 clients at most this.
pub const P99_TARGET: Duration = Duration::from_millis(50);
/// The concurrency the latency target applies to.
pub const P99_TARGET_CLIENTS: usize = 64;

/// Operations timed one by one, and the wall-clock time all of them took together.
#[derive(Clone, Debug, Default)]
pub struct Timed {
    pub elapsed: Duration,
    /// Each operation's latency, sorted.
    pub latencies: Vec<Duration>,
}

impl Timed {
    pub fn new(elapsed: Duration, mut latencies: Vec<Duration>) -> Timed {
        latencies.sort();
        Timed { elapsed, latencies }
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    pub fn p50(&self) -> Duration {
        percentile(&self.latencies, 50.0).unwrap_or_default()
    }

    pub fn p99(&self) -> Duration {
        percentile(&self.latencies, 99.0).unwrap_or_default()
    }

    pub fn max(&self) -> Duration {
        self.latencies.last().copied().unwrap_or_default()
    }
}

impl fmt::Display for Timed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {:.2} s = {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
            self.latencies.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            millis(self.p50()),
            millis(self.p99())
        )
    }
}

/// The nearest-rank percentile of `sorted`; `None` when it is empty.
pub fn percentile<T: Copy>(sorted: &[T], percent: f64) -> Option<T> {
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

/// Creates at one concurrency level: through the API, on the store, and the TCP floor.
#[derive(Clone, Debug)]
pub struct CreateLevel {
    pub clients: usize,
    pub api: Timed,
    pub storage: Timed,
    pub echo: Timed,
}

impl CreateLevel {
    /// API creates/s over the store's: the throughput target is at least 0.5.
    pub fn ratio(&self) -> f64 {
        self.api.per_second() / self.storage.per_second()
    }
}

/// Full lists of one namespace.
#[derive(Clone, Debug)]
pub struct ListFigures {
    pub pods: usize,
    pub json: Timed,
    pub table: Timed,
    pub storage: Timed,
    pub json_bytes: usize,
    pub table_bytes: usize,
    pub storage_bytes: usize,
}

/// Watch fan-out: one writer's updates reaching many watch connections and one raw watch.
#[derive(Clone, Debug)]
pub struct FanOut {
    pub watchers: usize,
    pub updates: usize,
    /// Per update, from the start of the write to the last watcher receiving it.
    pub api_last: Timed,
    /// Per update, from the start of the write to the raw storage watch receiving it.
    pub storage: Timed,
    /// The updates themselves, through the API.
    pub writes: Timed,
    /// From the first write's start to the last delivery, through the API and on the raw watch.
    pub api_span: Duration,
    pub storage_span: Duration,
    /// Why watchers ended before receiving every update.
    pub failures: Vec<String>,
}

/// One backend's findings.
#[derive(Clone, Debug)]
pub struct BackendReport {
    pub title: String,
    pub creates: Vec<CreateLevel>,
    pub list: ListFigures,
    pub fanout: FanOut,
}

const LABEL: usize = 40;
const FIGURE: usize = 10;

impl fmt::Display for BackendReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\n== {} ==", self.title)?;
        self.fmt_creates(f)?;
        self.fmt_list(f)?;
        self.fmt_fanout(f)?;
        self.fmt_targets(f)
    }
}

impl BackendReport {
    fn fmt_creates(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:LABEL$}", "pod creates")?;
        for level in &self.creates {
            write!(f, "{:>width$}", clients(level.clients), width = 4 * FIGURE + 2)?;
        }
        writeln!(f)?;
        let row = |f: &mut fmt::Formatter<'_>,
                   label: &str,
                   cells: &dyn Fn(&CreateLevel) -> [String; 4]| {
            write!(f, "{label:LABEL$}")?;
            for level in &self.creates {
                let [api, storage, ratio, echo] = cells(level);
                write!(f, "  {api:>FIGURE$}{storage:>FIGURE$}{ratio:>FIGURE$}{echo:>FIGURE$}")?;
            }
            writeln!(f)
        };
        row(f, "", &|_| ["apiserver", "storage", "api/stor", "TCP echo"].map(str::to_string))?;
        row(f, "per second", &|level| {
            [
                format!("{:.0}", level.api.per_second()),
                format!("{:.0}", level.storage.per_second()),
                format!("{:.2}", level.ratio()),
                format!("{:.0}", level.echo.per_second()),
            ]
        })?;
        let latency = |pick: fn(&Timed) -> Duration| {
            move |level: &CreateLevel| {
                let (api, storage) = (pick(&level.api), pick(&level.storage));
                [
                    format!("{:.2}", millis(api)),
                    format!("{:.2}", millis(storage)),
                    format!("{:.1}", api.as_secs_f64() / storage.as_secs_f64()),
                    format!("{:.3}", millis(pick(&level.echo))),
                ]
            }
        };
        row(f, "p50, ms", &latency(Timed::p50))?;
        row(f, "p99, ms", &latency(Timed::p99))?;
        row(f, "slowest, ms", &latency(Timed::max))
    }

    fn fmt_list(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = &self.list;
        writeln!(
            f,
            "\n{:LABEL$}  {:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}",
            format!("list of {} pods (1 client)", list.pods),
            "JSON",
            "Table",
            "storage",
            "JSON/stor",
            "Tbl/stor"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, label: &str, pick: fn(&Timed) -> Duration| {
            let (json, table, storage) = (pick(&list.json), pick(&list.table), pick(&list.storage));
            let ratio = |of: Duration| of.as_secs_f64() / storage.as_secs_f64();
            writeln!(
                f,
                "{label:LABEL$}  {:>FIGURE$.2}{:>FIGURE$.2}{:>FIGURE$.2}{:>FIGURE$.1}{:>FIGURE$.1}",
                millis(json),
                millis(table),
                millis(storage),
                ratio(json),
                ratio(table)
            )
        };
        row(f, &format!("p50 of {}, ms", list.json.latencies.len()), Timed::p50)?;
        row(f, "slowest, ms", Timed::max)?;
        let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
        writeln!(
            f,
            "{:LABEL$}  {:>FIGURE$.2}{:>FIGURE$.2}{:>FIGURE$.2}",
            "MiB per list",
            mib(list.json_bytes),
            mib(list.table_bytes),
            mib(list.storage_bytes)
        )
    }

    fn fmt_fanout(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fanout = &self.fanout;
        writeln!(
            f,
            "\nwatch fan-out: {} watch connections, {} updates from one writer",
            fanout.watchers, fanout.updates
        )?;
        writeln!(
            f,
            "{:LABEL$}  {:>FIGURE$}{:>FIGURE$}{:>FIGURE$}",
            "", "apiserver", "raw watch", "api/stor"
        )?;
        let latency = |f: &mut fmt::Formatter<'_>, label: &str, pick: fn(&Timed) -> Duration| {
            let (api, storage) = (pick(&fanout.api_last), pick(&fanout.storage));
            writeln!(
                f,
                "{label:LABEL$}  {:>FIGURE$.2}{:>FIGURE$.2}{:>FIGURE$.1}",
                millis(api),
                millis(storage),
                api.as_secs_f64() / storage.as_secs_f64()
            )
        };
        latency(f, "write start to last receiver, p50 ms", Timed::p50)?;
        latency(f, "  p99, ms", Timed::p99)?;
        let per_second = |events: usize, span: Duration| events as f64 / span.as_secs_f64();
        let delivered = fanout.updates * fanout.watchers;
        writeln!(
            f,
            "{:LABEL$}  {:>FIGURE$.0}{:>FIGURE$.0}",
            "events/s delivered, all receivers",
            per_second(delivered, fanout.api_span),
            per_second(fanout.updates, fanout.storage_span)
        )?;
        writeln!(
            f,
            "{:LABEL$}  {:>FIGURE$.0}  (one writer, each PATCH awaited: this paces both columns)",
            "updates/s written",
            per_second(fanout.updates, fanout.writes.elapsed)
        )?;
        writeln!(
            f,
            "{:LABEL$}  {:>FIGURE$.2}{:>FIGURE$}{:>FIGURE$}  (p99 {:.2})",
            "the writer's PATCH, p50 ms",
            millis(fanout.writes.p50()),
            "",
            "",
            millis(fanout.writes.p99())
        )?;
        for failure in fanout.failures.iter().take(3) {
            writeln!(f, "  a watcher ended early: {failure}")?;
        }
        if fanout.failures.len() > 3 {
            writeln!(f, "  ... and {} more watchers", fanout.failures.len() - 3)?;
        }
        Ok(())
    }

    fn fmt_targets(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\ntargets:")?;
        for level in &self.creates {
            let ratio = level.ratio();
            writeln!(
                f,
                "  creates/s >= {:.0}% of the store's at {}: {:.0}% -> {}",
                THROUGHPUT_TARGET * 100.0,
                clients(level.clients),
                ratio * 100.0,
                verdict(ratio >= THROUGHPUT_TARGET)
            )?;
        }
        for level in self.creates.iter().filter(|level| level.clients == P99_TARGET_CLIENTS) {
            let p99 = level.api.p99();
            write!(
                f,
                "  create p99 <= {} ms at {} clients: {:.2} ms -> {}",
                P99_TARGET.as_millis(),
                level.clients,
                millis(p99),
                verdict(p99 <= P99_TARGET)
            )?;
        }
        Ok(())
    }
}

fn clients(count: usize) -> String {
    match count {
        1 => "1 client".to_string(),
        count => format!("{count} clients"),
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
