//! How much work each measurement does: the full run `cargo bench` makes, the quick smoke run,
//! and the environment variables that override either.

use std::fmt;

/// One concurrency level of the create measurement.
#[derive(Clone, Copy, Debug)]
pub struct Level {
    pub clients: usize,
    /// Pods created through the API, and as many values created directly on the store.
    pub creates: usize,
}

/// Everything a run does. The full plan keeps a run over both backends under about three
/// minutes on a two-core machine; the quick plan only proves that every step works.
#[derive(Clone, Debug)]
pub struct Plan {
    pub quick: bool,
    /// Why this plan was chosen, for the header.
    pub reason: &'static str,
    pub levels: Vec<Level>,
    /// Turns the API and the store take at each level's creates.
    pub rounds: usize,
    /// Pods in the listed namespace.
    pub list_pods: usize,
    /// Lists of each kind; the figures are their median and slowest.
    pub list_repeats: usize,
    /// Watch connections open on the watched namespace.
    pub watchers: usize,
    /// Updates of the watched pod, made one after another by one writer.
    pub watch_updates: usize,
    /// The backends to run, in order: `embedded`, `etcd3`.
    pub backends: Vec<String>,
    /// Extra apiserver flags, to see what one costs (`--admission-control=AlwaysAdmit`).
    pub server_flags: Vec<String>,
}

impl Plan {
    /// The plan the command line and environment ask for.
    ///
    /// `cargo bench` passes `--bench` to the binary; `cargo test --benches` runs it without,
    /// and then only the quick plan makes sense. `--quick` (after `--`) or a non-empty
    /// `APISERVER_BENCH_QUICK` asks for the quick plan explicitly. Each size can be set on its
    /// own: `APISERVER_BENCH_CREATES_1`, `APISERVER_BENCH_CREATES_64`,
    /// `APISERVER_BENCH_LIST_PODS`, `APISERVER_BENCH_LIST_REPEATS`, `APISERVER_BENCH_WATCHERS`,
    /// `APISERVER_BENCH_WATCH_UPDATES`, `APISERVER_BENCH_ROUNDS`. `APISERVER_BENCH_BACKENDS`
    /// (`embedded,etcd3`) picks the backends, and `APISERVER_BENCH_FLAGS` adds apiserver flags
    /// (space separated) to see what one costs.
    pub fn from_environment() -> Plan {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let quick_env = std::env::var("APISERVER_BENCH_QUICK").is_ok_and(|value| !value.is_empty());
        let (quick, reason) = if args.iter().any(|arg| arg == "--quick") {
            (true, "--quick")
        } else if quick_env {
            (true, "APISERVER_BENCH_QUICK is set")
        } else if !args.iter().any(|arg| arg == "--bench") {
            (true, "not run by `cargo bench`")
        } else {
            (false, "cargo bench")
        };
        let mut plan = if quick { Plan::quick() } else { Plan::full() };
        plan.reason = reason;
        for level in &mut plan.levels {
            let variable = format!("APISERVER_BENCH_CREATES_{}", level.clients);
            level.creates = size(&variable, level.creates);
        }
        plan.rounds = size("APISERVER_BENCH_ROUNDS", plan.rounds).max(1);
        plan.list_pods = size("APISERVER_BENCH_LIST_PODS", plan.list_pods);
        plan.list_repeats = size("APISERVER_BENCH_LIST_REPEATS", plan.list_repeats).max(1);
        plan.watchers = size("APISERVER_BENCH_WATCHERS", plan.watchers).max(1);
        plan.watch_updates = size("APISERVER_BENCH_WATCH_UPDATES", plan.watch_updates).max(1);
        if let Ok(backends) = std::env::var("APISERVER_BENCH_BACKENDS") {
            plan.backends = backends.split(',').map(|name| name.trim().to_string()).collect();
        }
        if let Ok(flags) = std::env::var("APISERVER_BENCH_FLAGS") {
            plan.server_flags = flags.split_whitespace().map(str::to_string).collect();
        }
        plan
    }

    fn full() -> Plan {
        Plan {
            quick: false,
            reason: "",
            levels: vec![
                Level { clients: 1, creates: 2_000 },
                Level { clients: 64, creates: 20_000 },
            ],
            rounds: 10,
            list_pods: 10_000,
            list_repeats: 5,
            watchers: 1_000,
            watch_updates: 200,
            backends: vec!["embedded".to_string(), "etcd3".to_string()],
            server_flags: Vec::new(),
        }
    }

    fn quick() -> Plan {
        Plan {
            quick: true,
            reason: "",
            levels: vec![Level { clients: 1, creates: 100 }, Level { clients: 64, creates: 640 }],
            rounds: 2,
            list_pods: 500,
            list_repeats: 3,
            watchers: 50,
            watch_updates: 20,
            backends: vec!["embedded".to_string(), "etcd3".to_string()],
            server_flags: Vec::new(),
        }
    }
}

/// A size from the environment variable `name`, or `default` when it is unset.
fn size(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value:?}: not a count")),
        Err(_) => default,
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.quick { "quick" } else { "full" };
        writeln!(f, "plan: {name} ({}); backends: {}", self.reason, self.backends.join(", "))?;
        if !self.server_flags.is_empty() {
            writeln!(f, "  extra apiserver flags: {}", self.server_flags.join(" "))?;
        }
        for level in &self.levels {
            writeln!(
                f,
                "  {:>2} client(s): {} pod creates through the API, {} creates on the store, {} \
                 TCP echoes",
                level.clients, level.creates, level.creates, level.creates
            )?;
        }
        writeln!(f, "  creates: the API and the store take {} turns each", self.rounds)?;
        write!(
            f,
            "  list: {} pods, {} lists of each kind; watch: {} watchers, {} updates from one \
             writer",
            self.list_pods, self.list_repeats, self.watchers, self.watch_updates
        )
    }
}
