//! Per-phase timings and the memory held after each, printed to stderr
//! when `OKRA_LOG=debug` is set.

use std::sync::OnceLock;
use std::time::Instant;

pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED
        .get_or_init(|| std::env::var("OKRA_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("debug")))
}

/// Runs `work` and, at debug level, prints how long it took.
pub fn phase<T>(name: &str, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let started = Instant::now();
    let result = work();
    eprintln!(
        "debug: {name}: {:.1} ms{}",
        started.elapsed().as_secs_f64() * 1000.0,
        resident().map_or(String::new(), |mib| format!(", {mib} MiB resident"))
    );
    result
}

/// The memory the process holds now, in MiB, where the system tells.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
