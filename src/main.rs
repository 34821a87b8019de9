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

/// Has jemalloc return the pages it frees to the system at once, not after ten seconds, for
/// the rest of the run: a check frees each manifest's trees as it goes, and the pages kept were
/// 20 MiB of 155 at ten thousand manifests. Only for `check` and `diff`: `reconcile` frees and
/// takes again buffers of tens of megabytes, and returning them made a year of usage 3.3 s →
/// 7.0 s (docs/performance.md, "Memory round"). Set for the arenas to come and every arena
/// there is (4096 is jemalloc's name for all of them).
#[cfg(all(unix, feature = "jemalloc"))]
#[allow(unsafe_code)]
pub fn return_freed_pages_at_once() {
    let immediately: libc::ssize_t = 0;
    for option in [c"arenas.dirty_decay_ms", c"arena.4096.dirty_decay_ms"] {
        // SAFETY: both options are NUL-terminated names jemalloc defines, writable, of type
        // ssize_t; the new value is read from `immediately` during the call and nothing is
        // written back (no old value is asked for). A refusal leaves the default: ignored.
        let _ = unsafe {
            tikv_jemalloc_sys::mallctl(
                option.as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                (&raw const immediately).cast_mut().cast(),
                size_of::<libc::ssize_t>(),
            )
        };
    }
}

/// Without jemalloc the system allocator keeps its own policy.
#[cfg(not(all(unix, feature = "jemalloc")))]
pub fn return_freed_pages_at_once() {}

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
