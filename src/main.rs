//! The `imgcost` binary: parse arguments, run the library, render, exit with the right code.

mod cli;

use std::process::ExitCode;

/// A check allocates many small strings and trees across threads. jemalloc does that faster
/// than the system allocator and keeps a run of ten thousand manifests near 165 MB, where
/// glibc's per-thread arenas need more time and mimalloc more memory (docs/performance.md).
/// Only where it pays and builds: Linux and macOS (jemalloc does not build with MSVC, and on
/// Windows the measurement was never made). The `jemalloc` feature (on by default) selects it;
/// without it the system allocator serves, which heap profilers can follow.
#[cfg(all(unix, feature = "jemalloc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Whether standard output was open when the process started, asked before Rust's runtime
/// reopens a closed one on `/dev/null` (it does, before `main`): `imgcost check >&-` would
/// otherwise write its verdict nowhere and exit 0. Runs as a C constructor, which the loader
/// calls before `main`; on other platforms stdout is taken as open.
// The one unsafe code of imgcost: a constructor placed in the loader's table, and the fcntl it
// makes. Both are as small as they can be; nothing else needs to run before `main`.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[allow(unsafe_code)]
#[used]
#[unsafe(link_section = ".init_array")]
static PROBE_STDOUT: extern "C" fn() = probe_stdout;

#[cfg(target_vendor = "apple")]
#[allow(unsafe_code)]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static PROBE_STDOUT: extern "C" fn() = probe_stdout;

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
#[allow(unsafe_code)]
extern "C" fn probe_stdout() {
    // SAFETY: F_GETFD only asks whether the descriptor is open; it changes nothing.
    let open = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } != -1;
    cli::STDOUT_OPEN_AT_START.store(open, std::sync::atomic::Ordering::Relaxed);
}

fn main() -> ExitCode {
    cli::main()
}
