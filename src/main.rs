//! The `imgcost` binary: parse arguments, run the library, render, exit with the right code.

mod cli;

use std::process::ExitCode;

/// A check allocates many small strings and trees across threads; mimalloc does that in about
/// half the time of the system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
