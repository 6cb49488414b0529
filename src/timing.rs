//! Per-phase timings, printed to stderr when `OKRA_LOG=debug` is set.

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
        "debug: {name}: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    result
}
