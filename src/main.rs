//! The `imgcost` binary: parse arguments, run the library, render, exit with the right code.

mod cli;

use std::process::ExitCode;

/// A check allocates many small strings and trees across threads. jemalloc does that faster
/// than the system allocator and keeps a run of ten thousand manifests near 165 MB, where
/// glibc's per-thread arenas need more time and mimalloc more memory (docs/performance.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    cli::main()
}
