//! The `okra` command line: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use okra::diagnostic::{Tally, render_github, render_human, render_json};
use okra::{BuildOptions, CheckOptions, Date};

// Builds allocate many small strings from several threads at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

use cli::{Cli, Command, DiffArgs, DiffFormat, DigestArgs, DigestFormat, Format};

/// Whether to colour output written to stdout.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn main() -> ExitCode {
    one_c_heap();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Keeps the C library's own allocations, which the system makes for each
/// thread (its thread-local destructors, for one), in one heap. Otherwise
/// glibc reserves 64 MiB of address space for every thread that makes one,
/// and a server under a memory limit runs out of addresses, not memory.
fn one_c_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` has no preconditions, and no other thread exists
    // yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check {
            site,
            format,
            as_of,
            include_private,
            history,
        } => check(
            &site.path(),
            format,
            &CheckOptions {
                as_of,
                include_private,
                retention: okra::load::Retention::REPORT,
            },
            history,
        ),
        Command::Build {
            site,
            output,
            as_of,
            drafts,
            include_private,
            force,
            history,
        } => {
            let root = site.path();
            let output = output.unwrap_or_else(|| root.join("public"));
            build(
                &root,
                &BuildOptions {
                    as_of,
                    output,
                    drafts,
                    include_private,
                    force,
                    history,
                },
            )
        }
        Command::Serve {
            site,
            port,
            interface,
            open,
            poll,
            as_of,
            drafts,
            include_private,
        } => serve(okra::serve::ServeOptions {
            root: site.path(),
            interface,
            port,
            open,
            poll,
            as_of,
            drafts,
            include_private,
        }),
        Command::Diff(args) => diff(args),
        Command::Digest(args) => digest(args),
        Command::Init { dir, force } => init(&dir, force),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Lsp { dir, stdio: _ } => {
            okra::lsp::run(dir.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New(what) => new_document(what),
        Command::CarryOver {
            id,
            to,
            root,
            as_of,
        } => carry_over(&root, &id, &to, as_of),
    }
}

fn new_document(what: cli::NewCommand) -> anyhow::Result<ExitCode> {
    let (root, document) = what.into_parts();
    let site = okra::check(&root, &CheckOptions::default())?.site;
    let path = okra::author::new_document(&root, &site, &document)?;
    println!("Wrote {path}");
    check_written(&root, &path)
}

fn carry_over(root: &Path, id: &str, to: &str, as_of: Option<Date>) -> anyhow::Result<ExitCode> {
    let options = CheckOptions {
        as_of,
        ..CheckOptions::default()
    };
    let site = okra::check(root, &options)?.site;
    let carried = okra::author::carry_over(root, &site, id, to)?;
    println!("Wrote {} ({}) from `{id}`", carried.path, carried.id);
    for note in &carried.notes {
        println!("  note: {note}");
    }
    check_written(root, &carried.path)
}

/// Checks the site again and prints the problems of the file just
/// written; exits 1 if it has errors.
fn check_written(root: &Path, path: &str) -> anyhow::Result<ExitCode> {
    let checked = okra::check(root, &CheckOptions::default())?;
    let own: Vec<okra::diagnostic::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some_and(|f| checked.sources.path(f) == path))
        .cloned()
        .collect();
    print_all(&render_human(&own, &checked.sources, use_color()))?;
    Ok(if own.iter().any(okra::diagnostic::Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn explain(code: Option<&str>) -> anyhow::Result<ExitCode> {
    use okra::diagnostic::{Code, explain};
    let Some(name) = code else {
        print_all(&explain::index())?;
        return Ok(ExitCode::SUCCESS);
    };
    match Code::from_name(name) {
        Some(code) => {
            print_all(&explain::explain(code))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let hint = okra::diagnostic::suggestion(name, Code::ALL.iter().map(|c| c.as_str()))
                .unwrap_or_else(|| "`okra explain` lists every code".to_string());
            eprintln!("error: no diagnostic has the code `{name}`\n  = help: {hint}");
            Ok(ExitCode::from(2))
        }
    }
}

fn init(dir: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let written = okra::init::init(dir, Date::today(), force)?;
    println!(
        "Wrote a new site with {} files to {}",
        written.len(),
        dir.display()
    );
    println!("Next: okra check {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn check(
    root: &Path,
    format: Format,
    options: &CheckOptions,
    history: bool,
) -> anyhow::Result<ExitCode> {
    let mut checked = okra::check(root, options)?;
    if history {
        okra::add_history(&mut checked, root, options.include_private)?;
    }
    let text = match format {
        Format::Human => {
            let mut text = render_human(&checked.diagnostics, &checked.sources, use_color());
            let tally = Tally::of(&checked.diagnostics);
            text.push_str(&tally.summary(checked.sources.len()));
            text.push('\n');
            text
        }
        Format::Json => render_json(&checked.diagnostics, &checked.sources),
        Format::Github => render_github(&checked.diagnostics, &checked.sources),
        Format::Sarif => {
            // Code scanning places results by their path in the repository.
            let prefix = okra::load::git::locate(root)
                .map(|(_, prefix)| okra::load::git::slashed(&prefix))
                .unwrap_or_default();
            okra::diagnostic::render_sarif(&checked.diagnostics, &checked.sources, &prefix)
        }
    };
    print_all(&text)?;
    let status = if checked.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: the system takes the memory back at once,
    // faster than freeing a large site piece by piece.
    std::mem::forget(checked);
    Ok(status)
}

fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<ExitCode> {
    // Never dropped: the process ends after it, and the system takes the
    // memory back faster than freeing a large site piece by piece.
    let built = std::mem::ManuallyDrop::new(okra::build(root, options)?);
    let checked = &built.checked;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    eprint!(
        "{}",
        render_human(&checked.diagnostics, &checked.sources, color)
    );
    match built.pages {
        Some(pages) => {
            println!(
                "Built {pages} pages in {} ms into {}",
                built.elapsed.as_millis(),
                options.output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let tally = Tally::of(&checked.diagnostics);
            eprintln!(
                "error: the build failed: {}; nothing was written",
                tally.summary(checked.sources.len())
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn serve(options: okra::serve::ServeOptions) -> anyhow::Result<ExitCode> {
    // Refuse a folder that is not a site before the server starts, as
    // `check` and `build` do.
    okra::load::Disk::new(&options.root, None)?;
    okra::serve::serve(&options)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a report to standard output, whole.
fn print_all(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

fn digest(args: DigestArgs) -> anyhow::Result<ExitCode> {
    let digest = okra::digest::digest(&okra::digest::DigestOptions {
        root: args.site.path(),
        since: args.since,
        as_of: args.as_of,
        include_private: args.include_private,
        drafts: args.drafts,
        repository: args.repository,
    })?;
    let text = match args.format {
        DigestFormat::Markdown => okra::digest::render_markdown(&digest),
        DigestFormat::Json => okra::digest::render_json(&digest),
        DigestFormat::Text => okra::digest::render_text(&digest),
    };
    print_all(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn diff(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let mut fail_on = args.fail_on;
    if args.fail_on_errors {
        fail_on.push(okra::diff::FailOn::Errors);
    }
    let diff = okra::diff::diff(&okra::diff::DiffOptions {
        root: args.root,
        base: args.base,
        head: args.head,
        as_of: args.as_of,
        include_private: args.include_private,
        drafts: args.drafts,
        repository: args.repository,
    })?;
    let text = match args.format {
        DiffFormat::Markdown => okra::diff::render_markdown(&diff),
        DiffFormat::Json => okra::diff::render_json(&diff),
    };
    print_all(&text)?;
    let reasons: Vec<String> = fail_on.iter().filter_map(|f| f.reason(&diff)).collect();
    for reason in &reasons {
        eprintln!("okra diff: failing: {reason}");
    }
    Ok(if reasons.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
