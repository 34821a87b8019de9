//! The `imgcost` binary: parse arguments, run the library, render, exit with the right code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
