//! Per-phase timings, the processor time the whole process spent meanwhile
//! and the memory held after each, printed to stderr when `OKRA_LOG=debug`
//! is set.

use std::sync::OnceLock;
use std::time::Instant;

pub(crate) fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED
        .get_or_init(|| std::env::var("OKRA_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("debug")))
}

/// Runs `work` and, at debug level, prints how long it took.
pub(crate) fn phase<T>(name: &str, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let result = work();
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map_or(String::new(), |(after, before)| {
            format!(", {:.2} CPU-s", after - before)
        });
    eprintln!(
        "debug: {name}: {:.1} ms{cpu}{}",
        started.elapsed().as_secs_f64() * 1000.0,
        resident().map_or(String::new(), |mib| format!(", {mib} MiB resident"))
    );
    result
}

/// User and system time the process has spent so far, on all its threads.
#[cfg(unix)]
fn cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `getrusage` fills the struct it is given, or fails and
    // leaves it unread.
    let usage = unsafe {
        (libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) == 0).then(|| usage.assume_init())
    }?;
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

#[cfg(not(unix))]
fn cpu_seconds() -> Option<f64> {
    None
}

/// The memory the process holds now, in MiB, where the system tells.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
