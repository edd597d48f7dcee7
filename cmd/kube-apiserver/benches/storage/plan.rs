//! How much work each measurement does, for the full run and for the quick smoke run.

use std::fmt;

/// The value written by every create and update unless `STORAGE_BENCH_VALUE_BYTES` says
/// otherwise: about the size of a Lease or a small ConfigMap as JSON.
const DEFAULT_VALUE_BYTES: usize = 256;

/// One concurrency level: how many clients run at once and how many operations they share.
#[derive(Clone, Copy, Debug)]
pub struct Level {
    pub clients: usize,
    pub creates: usize,
    /// Compare-and-swap updates, spread over the keys the creates made.
    pub updates: usize,
    pub gets: usize,
    /// Creates under the watched prefix while the watchers are open.
    pub watch_writes: usize,
}

/// Everything a run does. The full plan keeps a run of both backends under about three minutes
/// on a two-core machine; the quick plan only proves that every step works.
#[derive(Clone, Debug)]
pub struct Plan {
    pub quick: bool,
    /// Why this plan was chosen, for the header.
    pub reason: &'static str,
    pub value_bytes: usize,
    pub levels: Vec<Level>,
    /// How many keys the listed prefix holds.
    pub list_keys: usize,
    /// Sequential lists at one client; the figure is their median.
    pub list_repeats: usize,
    /// Watches open on one prefix while the watch latency is measured.
    pub watchers: usize,
}

impl Plan {
    /// The plan the command line and environment ask for.
    ///
    /// `cargo bench` passes `--bench` to the binary; `cargo test --benches` runs it without,
    /// and then only the quick plan makes sense. `--quick` (after `--`) or a non-empty
    /// `STORAGE_BENCH_QUICK` asks for the quick plan explicitly.
    pub fn from_environment() -> Plan {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let quick_env = std::env::var("STORAGE_BENCH_QUICK").is_ok_and(|value| !value.is_empty());
        let (quick, reason) = if args.iter().any(|arg| arg == "--quick") {
            (true, "--quick")
        } else if quick_env {
            (true, "STORAGE_BENCH_QUICK is set")
        } else if !args.iter().any(|arg| arg == "--bench") {
            (true, "not run by `cargo bench`")
        } else {
            (false, "cargo bench")
        };
        let value_bytes = std::env::var("STORAGE_BENCH_VALUE_BYTES")
            .ok()
            .map(|bytes| {
                bytes
                    .parse()
                    .unwrap_or_else(|_| panic!("STORAGE_BENCH_VALUE_BYTES={bytes:?}: not a size"))
            })
            .unwrap_or(DEFAULT_VALUE_BYTES);
        let mut plan = if quick { Plan::quick() } else { Plan::full() };
        plan.reason = reason;
        plan.value_bytes = value_bytes;
        plan
    }

    fn full() -> Plan {
        Plan {
            quick: false,
            reason: "",
            value_bytes: DEFAULT_VALUE_BYTES,
            levels: vec![
                Level {
                    clients: 1,
                    creates: 3_000,
                    updates: 3_000,
                    gets: 20_000,
                    watch_writes: 200,
                },
                Level {
                    clients: 64,
                    creates: 30_000,
                    updates: 30_000,
                    gets: 100_000,
                    watch_writes: 640,
                },
            ],
            list_keys: 10_000,
            list_repeats: 5,
            watchers: 1_000,
        }
    }

    fn quick() -> Plan {
        Plan {
            quick: true,
            reason: "",
            value_bytes: DEFAULT_VALUE_BYTES,
            levels: vec![
                Level { clients: 1, creates: 100, updates: 100, gets: 500, watch_writes: 20 },
                Level { clients: 64, creates: 640, updates: 640, gets: 2_560, watch_writes: 64 },
            ],
            list_keys: 1_000,
            list_repeats: 3,
            watchers: 100,
        }
    }

    /// The value every write stores: JSON-looking bytes of the planned size.
    pub fn value(&self) -> Vec<u8> {
        let mut value = br#"{"kind":"Bench","data":""#.to_vec();
        value.resize(self.value_bytes.saturating_sub(2).max(value.len()), b'x');
        value.extend_from_slice(br#""}"#);
        value
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.quick { "quick" } else { "full" };
        writeln!(f, "plan: {name} ({}); values of {} bytes", self.reason, self.value_bytes)?;
        for level in &self.levels {
            writeln!(
                f,
                "  {:>2} client(s): {} creates, {} CAS updates, {} gets, {} writes under watch",
                level.clients, level.creates, level.updates, level.gets, level.watch_writes
            )?;
        }
        write!(
            f,
            "  list: {} keys, {} sequential lists at 1 client, one list per client at higher \
             levels; watch: {} watchers on one prefix",
            self.list_keys, self.list_repeats, self.watchers
        )
    }
}
