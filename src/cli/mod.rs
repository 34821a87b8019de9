//! The command-line layer: arguments in (`args`), library calls, renderer out, exit code.
//!
//! Exit codes (SPEC §3): 0 no errors; 1 findings of error severity (or warnings with
//! `--deny-warnings`); 2 the run itself failed: bad arguments, unreadable inputs, nothing to
//! check, or an internal error. A panic is an internal error and exits 2, never 0.

mod args;
mod commands;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, ColorChoice};

/// Exit code for findings of error severity.
const FINDINGS: u8 = 1;
/// Exit code for a failed run.
const FAILURE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(FAILURE));
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "imgcost: internal error: {info}\nThis is a bug in imgcost; please report it with the input that caused it."
        );
    }));
    match std::panic::catch_unwind(|| commands::run(&cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(error)) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "imgcost: error: {error:#}");
            ExitCode::from(FAILURE)
        }
        Err(_) => ExitCode::from(FAILURE),
    }
}

/// Writes to stdout; a closed pipe (`imgcost check | head`) is not an error of the run.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

/// Resolves `--color auto` against the terminal and `NO_COLOR`.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
