//! The facts about the machine a reader needs to judge the figures: cores, load, where the data
//! lives, which etcd.

use std::path::Path;
use std::process::Command;

/// A few lines describing the machine, the storage under the data directories and the etcd.
pub fn describe() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = first_line_starting("/proc/cpuinfo", "model name")
        .and_then(|line| line.split(':').nth(1).map(|name| name.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".to_string());
    let temp = std::env::temp_dir();
    format!(
        "machine: {cores} cores ({cpu}), load average {}\n\
         data directories under {} ({}): both stores and etcd\n\
         etcd: {}",
        load_average(),
        temp.display(),
        mount_of(&temp),
        etcd_version()
    )
}

/// The 1-, 5- and 15-minute load averages: other work on the machine skews every figure.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|line| line.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// The file system type and device holding `path`, from the longest matching mount point.
fn mount_of(path: &Path) -> String {
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return "file system unknown".to_string();
    };
    mounts
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [device, mount_point, kind, ..] if path.starts_with(mount_point) => {
                    Some((mount_point.len(), format!("{kind} on {device}")))
                }
                _ => None,
            }
        })
        .max_by_key(|(length, _)| *length)
        .map_or_else(|| "file system unknown".to_string(), |(_, mount)| mount)
}

/// The first line of `etcd --version` of the binary the harness starts.
fn etcd_version() -> String {
    let binary = std::env::var("ETCD_BIN").unwrap_or_else(|_| "/usr/bin/etcd".to_string());
    Command::new(&binary)
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| {
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.lines().next().map(|line| format!("{line} ({binary})"))
        })
        .unwrap_or_else(|| format!("{binary} did not report a version"))
}

fn first_line_starting(file: &str, prefix: &str) -> Option<String> {
    std::fs::read_to_string(file)
        .ok()?
        .lines()
        .find(|line| line.starts_with(prefix))
        .map(str::to_string)
}
