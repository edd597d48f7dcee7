//! Every write the embedded store acknowledged survives the process being killed with SIGKILL.
//!
//! The test runs its own binary again as a child (selected by an environment variable) that
//! writes from several tasks at once and prints a line for each acknowledged write. The parent
//! kills the child mid-stream, reopens the store and checks that every acknowledged write is there
//! with the revision it was acknowledged with, that the database is intact, and that revisions
//! carry on. Several rounds run against the same directory, each killing at another point.

use kube_apiserver::storage::Storage;
use kube_apiserver::storage::embedded::{EmbeddedOptions, EmbeddedStorage};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child: the data directory to write to.
const CHILD_DIR: &str = "EMBEDDED_CRASH_CHILD_DIR";
/// Set in the child: which round it is, so its keys differ from earlier rounds'.
const CHILD_ROUND: &str = "EMBEDDED_CRASH_CHILD_ROUND";
const THIS_TEST: &str = "acknowledged_writes_survive_kill_9";
const CHILD_WRITERS: usize = 8;
/// A child left alone stops by itself after this long.
const CHILD_DEADLINE: Duration = Duration::from_secs(30);
const ROUNDS: usize = 4;

/// One write the child reported as acknowledged.
#[derive(Debug)]
struct Ack {
    key: String,
    revision: i64,
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    if let Ok(dir) = std::env::var(CHILD_DIR) {
        let round = std::env::var(CHILD_ROUND).expect("round is set");
        write_until_killed(Path::new(&dir), &round);
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let mut acked = Vec::new();
    for round in 0..ROUNDS {
        let kill_after = 30 + round * 170;
        let acks = run_child_and_kill(dir.path(), round, kill_after);
        assert!(acks.len() >= kill_after, "round {round}: {} acks", acks.len());
        acked.extend(acks);
        verify_store(dir.path(), round, &acked);
    }
}

/// The child: writes distinct keys from several tasks and reports each acknowledged revision.
fn write_until_killed(dir: &Path, round: &str) {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let store = std::sync::Arc::new(
            EmbeddedStorage::open(dir, EmbeddedOptions::default())
                .await
                .expect("child opens the store"),
        );
        let started = Instant::now();
        let writers = (0..CHILD_WRITERS).map(|writer| {
            let store = std::sync::Arc::clone(&store);
            let round = round.to_string();
            tokio::spawn(async move {
                let mut index = 0;
                while started.elapsed() < CHILD_DEADLINE {
                    let key = format!("/registry/crash/r{round}-w{writer}-{index}");
                    let revision = store.create(&key, key.clone().into_bytes()).await.unwrap();
                    // One line per write, printed whole: stdout is line-buffered and locked.
                    println!("ack {key} {revision}");
                    index += 1;
                }
            })
        });
        for writer in writers.collect::<Vec<_>>() {
            writer.await.unwrap();
        }
    });
}

/// Starts a child for `round`, kills it after `kill_after` acks, and returns every ack it
/// printed, including those still in the pipe when it died.
fn run_child_and_kill(dir: &Path, round: usize, kill_after: usize) -> Vec<Ack> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([THIS_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .env(CHILD_ROUND, round.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("child starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acks = Vec::new();
    while acks.len() < kill_after {
        let line = lines.next().expect("child writes until killed").expect("child output is text");
        acks.extend(parse_ack(&line));
    }
    child.kill().expect("SIGKILL is delivered");
    for line in lines {
        acks.extend(parse_ack(&line.expect("child output is text")));
    }
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the child died of SIGKILL");
    acks
}

/// An ack line, or `None` for the test harness's own output.
fn parse_ack(line: &str) -> Option<Ack> {
    let mut fields = line.strip_prefix("ack ")?.split(' ');
    let key = fields.next()?.to_string();
    let revision = fields.next()?.parse().ok()?;
    Some(Ack { key, revision })
}

fn verify_store(dir: &Path, round: usize, acked: &[Ack]) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = EmbeddedStorage::open(dir, EmbeddedOptions::default())
            .await
            .expect("the store opens cleanly after kill -9");
        for ack in acked {
            let stored = store
                .get(&ack.key)
                .await
                .unwrap_or_else(|error| panic!("acknowledged {ack:?} is lost: {error}"));
            assert_eq!(stored.mod_revision, ack.revision, "{ack:?}");
            assert_eq!(stored.create_revision, ack.revision, "{ack:?}");
            assert_eq!(stored.value, ack.key.as_bytes(), "{ack:?}");
        }
        let mut revisions: Vec<i64> = acked.iter().map(|ack| ack.revision).collect();
        revisions.sort_unstable();
        revisions.dedup();
        assert_eq!(revisions.len(), acked.len(), "no revision acknowledged twice");
        let newest_ack = *revisions.last().unwrap();
        let current = store.current_revision().await.unwrap();
        assert!(current >= newest_ack, "current {current} < acked {newest_ack}");
        let probe = format!("/registry/crash/probe-{round}");
        let next = store.create(&probe, b"after".to_vec()).await.unwrap();
        assert_eq!(next, current + 1, "revisions carry on after the crash");
    });
    for database in sqlite_files(dir) {
        let connection = rusqlite::Connection::open(&database).unwrap();
        let check: String =
            connection.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(check, "ok", "{}", database.display());
    }
}

/// The store's database files, whatever the backend names them.
fn sqlite_files(dir: &Path) -> Vec<PathBuf> {
    let databases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "db"))
        .collect();
    assert!(!databases.is_empty(), "the store keeps a database file");
    databases
}
