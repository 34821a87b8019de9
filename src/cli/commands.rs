//! What each subcommand does with its parsed arguments: call the library, pick the renderer,
//! choose the exit code.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use imgcost::policy::PolicySet;
use imgcost::render::{self, human::HumanStyle};
use imgcost::{
    CheckOptions, Context, Date, Error, Keep, QuoteRequest, RateCard, Report, Schema, SourceFile,
    Texts, Workspace, rules,
};

use imgcost::input::file_reader::{self, read_again};
use imgcost::pricing::api_models;
use imgcost::pricing::interchange::{self, Library};
use imgcost::run::diff::{self as cost_diff, BaseSource};

use super::args::{
    CheckArgs, Cli, Command, DiffArgs, ExplainArgs, Format, InitArgs, LibraryFormat, PolicyAction,
    PolicyTestArgs, PolicyTestFormat, QuoteArgs, QuoteFormat, RatecardAction, RatecardArgs,
    ReportArgs, RulesArgs, SchemaArgs, SchemaName,
};
use super::{FINDINGS, print, use_color};

/// Parses the built-in rate cards and compiles the manifest schema on another thread while
/// this one asks git for the repository and finds the manifests: for a small repository
/// they are most of the run (a check of one manifest took 11.6 ms, 4 of them parsing cards).
/// Both are kept once made, so whichever thread comes first makes them and the other waits.
fn prepare_in_background() {
    std::thread::spawn(|| {
        let _ = RateCard::builtin();
        let _ = Schema::Manifest.validator();
    });
}

/// Runs the command; the `u8` is the exit code when the run itself succeeded.
pub fn run(cli: &Cli) -> anyhow::Result<u8> {
    // `--policy` is global so that it may come before or after the command's name, but only
    // these commands apply policies: elsewhere it would be read and silently ignored.
    let without_policies = match &cli.command {
        Command::Quote(_) => Some("quote"),
        Command::Rules(_) => Some("rules"),
        Command::Ratecard(_) => Some("ratecard"),
        Command::Schema(_) => Some("schema"),
        Command::Init(_) => Some("init"),
        Command::Check(_)
        | Command::Diff(_)
        | Command::Explain(_)
        | Command::Reconcile(_)
        | Command::Policy(_) => None,
    };
    if let Some(name) = without_policies
        && !cli.global.policies.is_empty()
    {
        bail!(
            "--policy does not apply to `imgcost {name}`, which applies no policy; policies apply to check, diff, explain, reconcile and policy test"
        );
    }
    if matches!(cli.command, Command::Check(_) | Command::Diff(_)) {
        crate::return_freed_pages_at_once();
    }
    if without_policies.is_none() {
        prepare_in_background();
    }
    match &cli.command {
        Command::Check(args) => check(cli, args),
        Command::Diff(args) => diff(cli, args),
        Command::Explain(args) => explain(cli, args),
        Command::Quote(args) => quote(cli, args),
        Command::Rules(args) => rules(args),
        Command::Ratecard(args) => ratecard(cli, args),
        Command::Reconcile(args) => super::reconcile::run(cli, args),
        Command::Policy(args) => match &args.action {
            PolicyAction::Test(args) => policy_test(cli, args),
        },
        Command::Schema(args) => schema(args),
        Command::Init(args) => init(cli, args),
    }
}

fn as_of(cli: &Cli) -> Date {
    cli.global.as_of.unwrap_or_else(Date::today_utc)
}

fn cwd() -> anyhow::Result<PathBuf> {
    std::env::current_dir().context("cannot read the working directory")
}

/// The working directory and the repository around it.
fn workspace() -> anyhow::Result<Workspace> {
    Ok(Workspace::at(&cwd()?)?)
}

/// The rate card of the run; an invalid card file prints its findings before failing.
fn card(cli: &Cli, workspace: &Workspace) -> anyhow::Result<Arc<RateCard>> {
    RateCard::select(
        cli.global.ratecard.as_deref(),
        as_of(cli),
        workspace,
        cli.global.policy_ref.as_deref(),
    )
    .map_err(|error| fail(cli, error))
}

/// Turns a run failure into the error `main` reports (exit 2), printing located findings first.
pub(super) fn fail(cli: &Cli, error: Error) -> anyhow::Error {
    if let Error::Invalid { diagnostics, .. } = &error
        && let Err(unwritten) = print(&render::human::render_diagnostics(diagnostics, style(cli)))
    {
        return unwritten.context(error.to_string());
    }
    error.into()
}

/// Runs `check` over `paths` as `check` and `explain` do.
fn checked(cli: &Cli, paths: &[PathBuf], allow_empty: bool) -> anyhow::Result<Report> {
    let options = options(cli, paths, allow_empty, Keep::ALL)?;
    imgcost::check(&options).map_err(|error| fail(cli, error))
}

/// What `check`, `explain` and `diff` check, and against what.
pub(super) fn options(
    cli: &Cli,
    paths: &[PathBuf],
    allow_empty: bool,
    keep: Keep,
) -> anyhow::Result<CheckOptions> {
    let workspace = workspace()?;
    let context = Context {
        as_of: as_of(cli),
        ratecard: card(cli, &workspace)?,
        policies: Arc::new(
            PolicySet::load(
                &cli.global.policies,
                cli.global.policy_ref.as_deref(),
                &workspace,
            )
            .map_err(|error| fail(cli, error))?,
        ),
        keep,
    };
    Ok(CheckOptions {
        paths: paths.to_vec(),
        workspace,
        allow_empty,
        context,
    })
}

pub(super) fn style(cli: &Cli) -> HumanStyle {
    HumanStyle {
        color: use_color(cli.global.color),
        quiet: cli.global.quiet,
    }
}

fn check(cli: &Cli, args: &CheckArgs) -> anyhow::Result<u8> {
    let keep = Keep {
        texts: texts(&args.report),
        field_spans: false,
        weakest_rules: false,
    };
    let options = options(cli, &args.paths, args.allow_empty, keep)?;
    let mut report = imgcost::check(&options).map_err(|error| fail(cli, error))?;
    if args.new_only {
        let source = base_source(cli, args.base.as_deref(), args.baseline.as_deref());
        imgcost::run::ratchet::new_only(&options, &mut report, source)
            .map_err(|error| fail(cli, error))?;
    }
    emit(cli, &args.report, report, None)
}

/// The base `--base REF` or `--baseline FILE` names (clap requires one of them where this is
/// called), with the `--policy` files for a revision.
fn base_source<'a>(
    cli: &'a Cli,
    base: Option<&'a str>,
    baseline: Option<&'a Path>,
) -> BaseSource<'a> {
    match (base, baseline) {
        (Some(revision), _) => BaseSource::Revision {
            revision,
            policies: &cli.global.policies,
        },
        (None, Some(path)) => BaseSource::Baseline(path),
        (None, None) => unreachable!("clap requires --base or --baseline"),
    }
}

fn diff(cli: &Cli, args: &DiffArgs) -> anyhow::Result<u8> {
    let keep = Keep {
        texts: texts(&args.report),
        field_spans: false,
        weakest_rules: false,
    };
    let mut options = options(cli, &args.paths, true, keep)?;
    // The policies' `diff:` limits (IC501) label the fields that changed, after the workflows
    // are judged; without a limit nothing reads where a field is written.
    let policies = &options.context.policies;
    options.context.keep.field_spans =
        policies.max_increase_usd().is_some() || policies.max_increase_percent().is_some();
    let source = base_source(cli, args.base.as_deref(), args.baseline.as_deref());
    let mut run = cost_diff::diff(&options, source).map_err(|error| fail(cli, error))?;
    if args.new_only {
        // The base's findings are read again, every file from the base itself (see
        // `run::ratchet`), not the head's copies of unchanged files that `diff` reuses.
        imgcost::run::ratchet::new_only(&options, &mut run.head, source)
            .map_err(|error| fail(cli, error))?;
    }
    let cost_diff::DiffRun {
        head,
        base,
        comparison,
    } = run;
    let code = emit(cli, &args.report, head, Some(&comparison));
    // As in `emit`: the process ends next, and the OS frees it all at once.
    std::mem::forget(base);
    std::mem::forget(comparison);
    code
}

/// How much of each manifest's text `check` and `diff` keep: only the index of lines, and
/// where the file was read when a report this run writes draws source lines (only the human
/// format does), which reads the file again then.
fn texts(args: &ReportArgs) -> Texts {
    let draws_source_lines = std::iter::once(stdout_format(args))
        .chain(args.outputs.iter().map(|output| output.0))
        .any(|format| format == Format::Human);
    if draws_source_lines {
        Texts::ReadAgain
    } else {
        Texts::LinesOnly
    }
}

/// The format on stdout: the one asked for, else annotations inside GitHub Actions.
fn stdout_format(args: &ReportArgs) -> Format {
    args.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    })
}

/// `out` with every GitHub workflow command a report of `format` could print made inert, in
/// that format's own escape.
fn inert(format: Format, out: &mut dyn Write) -> render::InertLogCommands<'_> {
    match format {
        Format::Json | Format::Sarif => render::InertLogCommands::json(out),
        Format::Junit | Format::Markdown => render::InertLogCommands::markup(out),
        Format::Human | Format::Github => render::InertLogCommands::text(out),
    }
}

/// Writes a report (of `check`, or of `diff` when `comparison` is given) in one format. JSON is
/// streamed as it is serialized; the other formats are small enough to build first.
#[allow(clippy::too_many_arguments)]
fn write_as(
    cli: &Cli,
    format: Format,
    report: &Report,
    comparison: Option<&cost_diff::Diff>,
    deny_warnings: bool,
    links: Option<&render::markdown::Links>,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let style = HumanStyle {
        color,
        quiet: cli.global.quiet,
    };
    let mut guarded = inert(format, out);
    write_format(
        format,
        comparison,
        report,
        style,
        deny_warnings,
        links,
        &mut guarded,
    )?;
    guarded.flush()
}

fn write_format(
    format: Format,
    comparison: Option<&cost_diff::Diff>,
    report: &Report,
    style: HumanStyle,
    deny_warnings: bool,
    links: Option<&render::markdown::Links>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match (format, comparison) {
        (Format::Json, diff) => return render::json::write(report, diff, deny_warnings, out),
        (Format::Human, None) => {
            return render::human::write(report, style, deny_warnings, Some(&read_again), out);
        }
        (Format::Human, Some(diff)) => {
            return render::diff::write(report, diff, style, deny_warnings, Some(&read_again), out);
        }
        (Format::Markdown, None) => render::markdown::check_summary(report, deny_warnings),
        (Format::Markdown, Some(diff)) => {
            render::markdown::diff_comment_with(report, diff, deny_warnings, links)
        }
        (Format::Github, None) => render::github::render(report, deny_warnings),
        (Format::Github, Some(diff)) => {
            let touched = touched_files(report, diff);
            render::github::annotations_touching(report, &|file| touched.contains(file))
                + &render::diff::table(report, diff, deny_warnings)
        }
        (Format::Sarif, _) => return render::sarif::write_at(report, &sarif_place()?, out),
        (Format::Junit, _) => return render::junit::write(report, out),
    };
    out.write_all(text.as_bytes())
}

/// The repository's web address: GitHub's inside Actions, else the `origin` remote as `https://`
/// without credentials.
fn repository_address(root: &Path) -> Option<String> {
    match (
        std::env::var("GITHUB_SERVER_URL"),
        std::env::var("GITHUB_REPOSITORY"),
    ) {
        (Ok(server), Ok(repository)) if !server.is_empty() && !repository.is_empty() => {
            imgcost::input::git::public_address(&format!("{server}/{repository}"))
        }
        _ => imgcost::input::git::origin_address(root),
    }
}

/// Links for the findings of `diff`'s comment: at `--head-commit`, else at $GITHUB_SHA inside
/// GitHub Actions; none outside a repository with a web address.
fn links(workspace: &Workspace, head_commit: Option<&str>) -> Option<render::markdown::Links> {
    let commit = head_commit.map(str::to_owned).or_else(|| {
        std::env::var("GITHUB_ACTIONS")
            .is_ok_and(|v| v == "true")
            .then(|| std::env::var("GITHUB_SHA").ok())
            .flatten()
    })?;
    let repository = repository_address(workspace.repository.as_deref()?)?;
    Some(render::markdown::Links {
        repository: repository
            .trim_end_matches('/')
            .trim_end_matches(".git")
            .to_owned(),
        commit,
        cwd_in_root: workspace.cwd_in_root().to_owned(),
    })
}

/// Where the report's files are, for SARIF: the repository root, the working directory in it, and
/// inside git the repository's address and commit. The address is GitHub's
/// (`GITHUB_SERVER_URL`/`GITHUB_REPOSITORY`) inside Actions, else the `origin` remote without
/// credentials; the commit is the one checked out.
fn sarif_place() -> std::io::Result<render::sarif::Place> {
    let workspace = workspace().map_err(std::io::Error::other)?;
    let provenance = workspace.repository.as_deref().and_then(|root| {
        Some((
            repository_address(root)?,
            imgcost::input::git::head_commit(root)?,
        ))
    });
    Ok(render::sarif::Place {
        cwd_in_root: workspace.cwd_in_root().to_owned(),
        root: Some(workspace.root().to_path_buf()),
        cwd: Some(workspace.cwd),
        provenance,
    })
}

/// The manifests of the workflows a change added, renamed or changed: their findings are
/// annotated first.
fn touched_files<'a>(
    report: &'a Report,
    diff: &cost_diff::Diff,
) -> std::collections::HashSet<&'a str> {
    let changed: std::collections::HashSet<&str> = diff
        .workflows
        .iter()
        .filter(|w| {
            !matches!(
                w.status,
                cost_diff::Status::Unchanged | cost_diff::Status::Removed
            )
        })
        .map(|w| &*w.id)
        .collect();
    report
        .workflows
        .iter()
        .filter(|entry| changed.contains(&*entry.workflow.id))
        .map(|entry| entry.file.path())
        .collect()
}

/// Writes every `--output` file (whole or not at all), then stdout; returns the exit code. A
/// report that cannot be written fails the run (exit 2), whatever its findings: a gate whose
/// verdict nobody could read has not run.
fn emit(
    cli: &Cli,
    args: &ReportArgs,
    report: Report,
    comparison: Option<&cost_diff::Diff>,
) -> anyhow::Result<u8> {
    let code = if report.passed(args.deny_warnings) {
        0
    } else {
        FINDINGS
    };
    let workspace = workspace()?;
    let links = comparison.and_then(|_| links(&workspace, args.head_commit.as_deref()));
    for (format, path) in &args.outputs {
        write_report_file(&workspace, path, |out| {
            write_as(
                cli,
                *format,
                &report,
                comparison,
                args.deny_warnings,
                links.as_ref(),
                false,
                out,
            )
        })
        .map_err(|error| unwritten(error, || format!("cannot write {}", path.display())))?;
    }
    let format = stdout_format(args);
    let color = format == Format::Human && use_color(cli.global.color);
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    super::stdout_open()
        .and_then(|()| {
            if format == Format::Junit {
                // The last report written, and JUnit builds its whole document first: in the
                // memory the report lets go of.
                let mut guarded = inert(format, &mut out);
                render::junit::write_owned(report, &mut guarded)?;
                return guarded.flush();
            }
            let written = write_as(
                cli,
                format,
                &report,
                comparison,
                args.deny_warnings,
                links.as_ref(),
                color,
                &mut out,
            );
            // The process ends next: freeing tens of thousands of workflows one by one would
            // only delay the exit.
            std::mem::forget(report);
            written
        })
        .and_then(|()| out.flush())
        .map_err(|error| {
            unwritten(error, || {
                "cannot write the report to standard output".into()
            })
        })?;
    Ok(code)
}

/// Why a report was not written: a file it draws that changed while imgcost ran (the
/// renderer's [`Error::Changed`], said as it is), else `what` could not be written.
fn unwritten(error: std::io::Error, what: impl FnOnce() -> String) -> anyhow::Error {
    if !error.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        return anyhow::Error::new(error).context(what());
    }
    match error.into_inner().map(|inner| inner.downcast::<Error>()) {
        Some(Ok(run_error)) => anyhow::Error::new(*run_error),
        Some(Err(other)) => anyhow::anyhow!(other).context(what()),
        None => anyhow::anyhow!("{}", what()),
    }
}

/// Writes an `--output` file. A regular file (or a new one) is written whole or not at all,
/// through a temporary sibling created exclusively and renamed over it, so that a reader never
/// sees half a report. A symbolic link inside the repository belongs to the change being
/// judged: it is replaced, never written through (it could point at a runner's files). What is
/// neither (a FIFO, a device such as `/dev/stdout`, a link outside the repository that the
/// caller named) is written directly, as a shell's `>` would.
fn write_report_file(
    workspace: &Workspace,
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let absolute = workspace.cwd.join(path);
    let inside = workspace.lexical(path).starts_with(workspace.root());
    // The folder it goes in must stay in the repository too (`reports/x.sarif` where the change
    // made `reports` a link to a runner's folder).
    if inside
        && let Some(folder) = workspace.lexical(path).parent()
        && let Ok(resolved) = folder.canonicalize()
        && !resolved.starts_with(workspace.root())
    {
        return Err(std::io::Error::other(
            "its folder is a symbolic link to a place outside the repository; imgcost does not write through it",
        ));
    }
    match std::fs::symlink_metadata(&absolute) {
        Ok(metadata) if metadata.is_dir() => Err(std::io::Error::other("it is a directory")),
        Ok(metadata) if metadata.is_file() || (metadata.is_symlink() && inside) => {
            write_whole(&absolute, write)
        }
        Ok(_) if is_stdout(&absolute) => {
            // `/dev/stdout` while stdout is a file: a second handle would write over the report
            // from its own offset, so write through stdout itself.
            let mut out = BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()
        }
        Ok(_) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&absolute)?;
            let mut out = BufWriter::new(file);
            write(&mut out)?;
            out.flush()
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => write_whole(&absolute, write),
        Err(error) => Err(error),
    }
}

/// Whether `path` leads to the file stdout writes to.
#[cfg(unix)]
fn is_stdout(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let stdout = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| std::fs::File::from(fd).metadata());
    match (std::fs::metadata(path), stdout) {
        (Ok(target), Ok(stdout)) => target.dev() == stdout.dev() && target.ino() == stdout.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_stdout(_: &Path) -> bool {
    false
}

/// Writes a file through a temporary sibling, created exclusively (a name someone placed there
/// first, a link included, is never opened), and a rename over the path.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let (temporary, file) = (0..100)
        .find_map(|attempt| {
            let temporary =
                path.with_file_name(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)
            {
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => None,
                opened => Some(opened.map(|file| (temporary, file))),
            }
        })
        .unwrap_or_else(|| {
            Err(std::io::Error::other(
                "no free name for a temporary file beside it",
            ))
        })?;
    let mut out = BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}

fn explain(cli: &Cli, args: &ExplainArgs) -> anyhow::Result<u8> {
    let report = checked(cli, &args.paths, false)?;
    let explanation = match imgcost::explain(&report, &args.workflow) {
        Ok(explanation) => explanation,
        Err(unknown) => {
            let hint = unknown.suggestion.map_or_else(
                || {
                    format!(
                        "{} workflows were found; `imgcost check` lists them",
                        unknown.known
                    )
                },
                |best| format!("did you mean `{best}`?"),
            );
            bail!("no workflow `{}` under the given paths; {hint}", unknown.id);
        }
    };
    print(&render::explain::render(&explanation))?;
    Ok(if explanation.outcome.is_ok() {
        0
    } else {
        FINDINGS
    })
}

fn quote(cli: &Cli, args: &QuoteArgs) -> anyhow::Result<u8> {
    let card = card(cli, &workspace()?)?;
    let request = quote_request(args)?;
    match imgcost::quote(&card, &request, as_of(cli)) {
        Ok(projection) => {
            // A price for a model the API no longer serves (or soon will not) needs saying:
            // check reports it as IC102 or IC103, quote says it on stderr and still prices.
            if let Some((id, model)) = card.image_model(&request.model)
                && let Some(day) = model.shutdown
            {
                let instead = model
                    .replacement
                    .as_deref()
                    .map_or_else(String::new, |r| format!("; use {r}"));
                let (code, when) = if day <= as_of(cli) {
                    ("IC102", "was shut down on")
                } else {
                    ("IC103", "will be shut down on")
                };
                // A closed stderr does not stop the price from being printed.
                let _ = writeln!(
                    std::io::stderr(),
                    "warning[{code}]: {} {when} {day}{}",
                    imgcost::foundation::printable(id),
                    imgcost::foundation::printable(&instead)
                );
            }
            let author = request.svg.as_ref().map(|svg| svg.model.as_str());
            print(&match args.format {
                QuoteFormat::Human => render::quote::human(&projection, author),
                QuoteFormat::Json => render::quote::json(&projection, author),
            })?;
            Ok(0)
        }
        Err(error) => {
            let help = error
                .help
                .map_or_else(String::new, |h| format!("\nhelp: {h}"));
            bail!("[{}] {}{help}", error.rule.code, error.message)
        }
    }
}

/// The request `quote` prices, from its flags.
fn quote_request(args: &QuoteArgs) -> anyhow::Result<QuoteRequest> {
    fn parsed<T: std::str::FromStr<Err = String>>(
        value: Option<&str>,
        flag: &'static str,
    ) -> anyhow::Result<Option<T>> {
        value
            .map(|text| text.parse().map_err(anyhow::Error::msg).context(flag))
            .transpose()
    }
    let image = &args.image;
    Ok(QuoteRequest {
        model: args.model.clone(),
        endpoint: args
            .endpoint
            .parse()
            .map_err(anyhow::Error::msg)
            .context("--endpoint")?,
        size: args
            .size
            .parse()
            .map_err(anyhow::Error::msg)
            .context("--size")?,
        quality: parsed(args.quality.as_deref(), "--quality")?.unwrap_or_default(),
        n: args.n,
        batch: args.batch,
        prompt_tokens: args.prompt_tokens.into(),
        output_format: parsed(image.output_format.as_deref(), "--output-format")?,
        frames: image.frames,
        complexity: parsed(image.complexity.as_deref(), "--complexity")?,
        svg: image.svg_model.as_ref().map(|model| imgcost::Mainline {
            model: model.clone(),
            input_tokens: image.svg_input_tokens.into(),
            cached_fraction: rust_decimal::Decimal::ZERO,
            output_tokens: image.svg_output_tokens.into(),
        }),
    })
}

fn ratecard(cli: &Cli, args: &RatecardArgs) -> anyhow::Result<u8> {
    let workspace = workspace()?;
    match args.action.as_ref().unwrap_or(&RatecardAction::List) {
        RatecardAction::List => {
            let card = card(cli, &workspace)?;
            print(&render::ratecard::list(
                RateCard::builtin(),
                &card,
                as_of(cli),
            ))?;
        }
        RatecardAction::Show { model } => {
            let card = card(cli, &workspace)?;
            if let Some((id, found)) = card.text_model(model) {
                print(&render::ratecard::show_text(&card, id, found, as_of(cli)))?;
                return Ok(0);
            }
            let Some((id, found)) = card.image_model(model) else {
                let hint = card
                    .suggest_image_model(model)
                    .map_or_else(String::new, |best| format!("; did you mean `{best}`?"));
                bail!("rate card {} has no model `{model}`{hint}", card.id);
            };
            print(&render::ratecard::show(&card, id, found, as_of(cli)))?;
        }
        RatecardAction::Export { format } => {
            let card = card(cli, &workspace)?;
            let library = match format {
                LibraryFormat::Litellm => Library::LiteLlm,
                LibraryFormat::GenaiPrices => Library::GenaiPrices,
            };
            print(&interchange::export(&card, as_of(cli), library))?;
        }
        RatecardAction::Compare { file } => {
            let card = card(cli, &workspace)?;
            let text = read_saved(
                cli,
                &workspace,
                file,
                "price file",
                interchange::MAX_FILE_BYTES,
            )?;
            let comparison = interchange::compare(&card, as_of(cli), &text)
                .map_err(|message| fail(cli, unreadable("price file", file, message)))?;
            print(&render::ratecard::comparison(&card, &comparison))?;
            return Ok(if comparison.disagreements.is_empty() {
                0
            } else {
                FINDINGS
            });
        }
        RatecardAction::Shutdowns { models, paths } => {
            let text = read_saved(
                cli,
                &workspace,
                models,
                "models file",
                api_models::MAX_FILE_BYTES,
            )?;
            let list = api_models::parse(&text)
                .map_err(|message| fail(cli, unreadable("models file", models, message)))?;
            let report = checked(cli, paths, false)?;
            let found = imgcost::run::shutdowns::shutdowns(&report, &report.ratecard, &list);
            print(&render::ratecard::shutdowns(
                &report.ratecard,
                report.as_of,
                &found,
            ))?;
            return Ok(if found.fails(report.as_of) {
                FINDINGS
            } else {
                0
            });
        }
        RatecardAction::Diff { old, new } => {
            let read = |choice: &str| {
                RateCard::select(
                    Some(choice),
                    as_of(cli),
                    &workspace,
                    cli.global.policy_ref.as_deref(),
                )
                .map_err(|error| fail(cli, error))
            };
            let (old, new) = (read(old)?, read(new)?);
            print(&render::ratecard::diff(&old, &new))?;
        }
        RatecardAction::Validate { file } => {
            let display = file.display().to_string();
            let source =
                RateCard::read_file(&workspace, file, &display).map_err(|e| fail(cli, e))?;
            return validate_card(cli, &source);
        }
    }
    Ok(0)
}

/// `ratecard validate`: findings in the card are findings (exit 1), not a failed run.
fn validate_card(cli: &Cli, source: &Arc<SourceFile>) -> anyhow::Result<u8> {
    match RateCard::load(source) {
        Ok(card) => {
            print(&format!(
                "{}: valid rate card `{}` ({} image models, {} text models)\n",
                source.path(),
                card.id,
                card.models.len(),
                card.text_models.len()
            ))?;
            Ok(0)
        }
        Err(diagnostics) => {
            print(&render::human::render_diagnostics(&diagnostics, style(cli)))?;
            Ok(FINDINGS)
        }
    }
}

/// A run failure naming a file a command reads and why it cannot be used.
fn unreadable(what: &'static str, path: &Path, message: String) -> Error {
    Error::Unreadable {
        what,
        path: path.display().to_string(),
        message,
    }
}

/// A saved file a `ratecard` action reads (a price file, a model listing): a regular file
/// (confined to the repository inside one), at most `max` bytes, UTF-8 text.
fn read_saved(
    cli: &Cli,
    workspace: &Workspace,
    path: &Path,
    what: &'static str,
    max: u64,
) -> anyhow::Result<String> {
    let refuse = |message: String| fail(cli, unreadable(what, path, message));
    let bytes = file_reader::read_confined(workspace, path, max).map_err(refuse)?;
    if bytes.len() as u64 > max {
        return Err(refuse(format!("larger than {} MiB", max >> 20)));
    }
    String::from_utf8(bytes).map_err(|_| refuse("not UTF-8".to_owned()))
}

fn rules(args: &RulesArgs) -> anyhow::Result<u8> {
    let Some(code) = &args.code else {
        print(&rules::docs::listing())?;
        return Ok(0);
    };
    let Some(rule) = rules::find(code) else {
        anyhow::bail!("unknown rule code `{code}`; `imgcost rules` lists them");
    };
    print(&rules::docs::page(rule))?;
    Ok(0)
}

fn init(cli: &Cli, args: &InitArgs) -> anyhow::Result<u8> {
    use imgcost::run::init::Action;
    let dir = cwd()?.join(&args.dir);
    let actions = imgcost::run::init::init(&dir)?;
    let shown = |path: &Path| args.dir.join(path).display().to_string();
    let mut text = String::new();
    let mut snippets = String::new();
    for action in &actions {
        match action {
            Action::Wrote(path) => text.push_str(&format!("wrote {}\n", shown(path))),
            Action::Kept(path) => text.push_str(&format!(
                "skipped {}: it exists (imgcost init never overwrites)\n",
                shown(path)
            )),
            Action::AddedHooks(path) => text.push_str(&format!(
                "added the imgcost hooks to {} (one entry appended to `repos:`; nothing else changed)\n",
                shown(path)
            )),
            Action::HooksPresent(path) => text.push_str(&format!(
                "skipped {}: it already uses the imgcost hooks\n",
                shown(path)
            )),
            Action::Snippet {
                path,
                reason,
                snippet,
            } => {
                snippets.push_str(&format!(
                    "skipped {}: {reason}; add this entry to its `repos:`:\n{snippet}",
                    shown(path)
                ));
            }
        }
    }
    // `-q`: only what the user must act on (a snippet to paste), else nothing.
    if cli.global.quiet {
        text.clear();
    } else {
        text.push_str(
            "next: edit imgcost.yaml, then run `imgcost check`; `imgcost policy test` runs .imgcost/tests\n",
        );
    }
    text.push_str(&snippets);
    print(&text)?;
    Ok(0)
}

/// `policy test`: every fixture checked as `check` would, with the policies in use and the
/// rate card of the fixture's date (or `--ratecard`).
fn policy_test(cli: &Cli, args: &PolicyTestArgs) -> anyhow::Result<u8> {
    let workspace = workspace()?;
    let policies = Arc::new(
        PolicySet::load(
            &cli.global.policies,
            cli.global.policy_ref.as_deref(),
            &workspace,
        )
        .map_err(|error| fail(cli, error))?,
    );
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| imgcost::run::policy_test::default_dir(&workspace));
    let card_for = |date: Date| {
        RateCard::select(
            cli.global.ratecard.as_deref(),
            date,
            &workspace,
            cli.global.policy_ref.as_deref(),
        )
    };
    let run = imgcost::run::policy_test::run(&dir, &workspace, &policies, &card_for)
        .map_err(|error| fail(cli, error))?;
    let mut bytes = Vec::new();
    {
        let mut guarded = match args.format {
            PolicyTestFormat::Human => render::InertLogCommands::text(&mut bytes),
            PolicyTestFormat::Json => render::InertLogCommands::json(&mut bytes),
            PolicyTestFormat::Junit => render::InertLogCommands::markup(&mut bytes),
        };
        match args.format {
            PolicyTestFormat::Human => {
                guarded.write_all(render::policy_test::human(&run).as_bytes())?;
            }
            PolicyTestFormat::Json => render::policy_test::json(&run, &mut guarded)?,
            PolicyTestFormat::Junit => render::policy_test::junit(&run, &mut guarded)?,
        }
        guarded.flush()?;
    }
    print(&String::from_utf8_lossy(&bytes))?;
    Ok(if run.passed() { 0 } else { FINDINGS })
}

fn schema(args: &SchemaArgs) -> anyhow::Result<u8> {
    let schema = match args.name {
        SchemaName::Manifest => Schema::Manifest,
        SchemaName::Policy => Schema::Policy,
        SchemaName::Ratecard => Schema::RateCard,
        SchemaName::Report => Schema::Report,
        SchemaName::Reconcile => Schema::Reconcile,
        SchemaName::PolicyTest => Schema::PolicyTest,
    };
    print(schema.text())?;
    Ok(0)
}
