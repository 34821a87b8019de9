//! The command-line layer: arguments in (`args`), library calls, renderer out, exit code.
//!
//! Exit codes (docs/cli.md): 0 no errors; 1 findings of error severity (or warnings with
//! `--deny-warnings`); 2 the run itself failed: bad arguments, unreadable inputs, nothing to
//! check, or an internal error. A panic is an internal error and exits 2, never 0.

mod args;
mod commands;
mod reconcile;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

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
            // Messages quote paths, revisions and values from the repository: no control
            // character of theirs reaches the terminal.
            // Nor a `##[` command of theirs the CI log (InertLogCommands).
            let message = format!("{error:#}");
            let shown: Vec<_> = message.lines().map(imgcost::printable).collect();
            let mut stderr = std::io::stderr().lock();
            let mut inert = imgcost::render::InertLogCommands::text(&mut stderr);
            let _ = writeln!(inert, "imgcost: error: {}", shown.join("\n"));
            let _ = inert.flush();
            ExitCode::from(FAILURE)
        }
        Err(_) => ExitCode::from(FAILURE),
    }
}

/// Whether stdout was open when the process started (see `PROBE_STDOUT` in `main.rs`).
pub static STDOUT_OPEN_AT_START: AtomicBool = AtomicBool::new(true);

/// Fails when stdout was closed at start: whatever is written now goes to `/dev/null`, where
/// Rust's runtime reopened it.
fn stdout_open() -> std::io::Result<()> {
    if STDOUT_OPEN_AT_START.load(Ordering::Relaxed) {
        Ok(())
    } else {
        Err(std::io::Error::other("it was closed when imgcost started"))
    }
}

/// Writes to stdout. Output that cannot be written (a closed stdout, a closed pipe, a full
/// disk) fails the run: exit 2, never a silent 0.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    let mut out = imgcost::render::InertLogCommands::text(&mut stdout);
    stdout_open()
        .and_then(|()| out.write_all(text.as_bytes()))
        .and_then(|()| out.flush())
        .map_err(|error| anyhow::Error::new(error).context("cannot write to standard output"))
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
