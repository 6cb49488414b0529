//! The `okra` command line: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use okra::diagnostic::{Tally, render_github, render_human, render_json};
use okra::{BuildOptions, CheckOptions, Date};

// Builds allocate many small strings from several threads at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "okra",
    version,
    about = "OKRs and KPIs as Markdown in git: checked, scored and published"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a site and report every problem
    Check {
        #[command(flatten)]
        site: SiteDir,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Measure progress at this date instead of okra.toml's `as_of` or today
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Show problems of private KPIs in full (for a restricted audience)
        #[arg(long)]
        include_private: bool,
        /// Read the site's git history too: report targets and starts moved after their period began
        #[arg(long)]
        history: bool,
    },
    /// Check the site and write it as static HTML
    Build {
        #[command(flatten)]
        site: SiteDir,
        /// Where to write the site [default: public/ in the site root]
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Measure progress at this date instead of okra.toml's `as_of` or today
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Publish draft objectives too
        #[arg(long)]
        drafts: bool,
        /// Publish private KPIs too (for a restricted audience)
        #[arg(long)]
        include_private: bool,
        /// Replace the output folder's content even if okra did not write it
        #[arg(long)]
        force: bool,
        /// Read the site's git history: values edited in place become dated points of the progress charts, and each key result's goalposts are listed as they moved
        #[arg(long)]
        history: bool,
    },
    /// Build the site, serve it on this machine and rebuild on every change
    Serve {
        #[command(flatten)]
        site: SiteDir,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other than loopback, other machines can reach it
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Poll for changes, for file systems where change events do not arrive
        #[arg(long)]
        poll: bool,
        /// Measure progress at this date instead of okra.toml's `as_of` or today
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Show draft objectives too
        #[arg(long)]
        drafts: bool,
        /// Show private KPIs too
        #[arg(long)]
        include_private: bool,
    },
    /// Report what changed between two git revisions of the site, for a pull request
    Diff(DiffArgs),
    /// Summarise what moved since a date: check-ins, progress, what went off track, what is overdue or stale
    Digest(DigestArgs),
    /// Write a new site with sample teams, objectives, KPIs and a page
    Init {
        /// Where to write it
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that is not empty
        #[arg(long)]
        force: bool,
    },
    /// Write a new objective, KPI or team from flags, checked against the site
    #[command(subcommand)]
    New(NewCommand),
    /// Copy an objective into a later period, its key results reset and their starts taken from the KPIs
    CarryOver {
        /// The objective's id
        id: String,
        /// The period to carry it into, such as 2026-Q4
        #[arg(long, value_name = "PERIOD")]
        to: String,
        /// The site root
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Take the KPIs' values as of this date instead of `as_of` or today
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Explain a diagnostic code at length, with an example and its fix; without a code, list them all
    Explain {
        /// The code, such as `unknown-parent` or `kr-is-task`
        code: Option<String>,
    },
}

/// `okra diff`'s arguments.
#[derive(clap::Args)]
struct DiffArgs {
    /// The revision to compare from (a branch, tag or commit)
    #[arg(value_name = "BASE")]
    base: String,
    /// The revision to compare to [default: the work tree]
    #[arg(value_name = "HEAD")]
    head: Option<String>,
    /// The site root inside the repository
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// How to print the report
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    format: DiffFormat,
    /// Exit with 1 when the head has errors, goalposts moved, or the change introduces warnings (or errors)
    #[arg(long, value_enum, value_name = "WHAT", value_delimiter = ',')]
    fail_on: Vec<okra::diff::FailOn>,
    /// The same as `--fail-on errors`
    #[arg(long, hide = true)]
    fail_on_errors: bool,
    /// The repository's web address, for links to files [default: okra.toml's `repository`]
    #[arg(long, value_name = "URL")]
    repository: Option<String>,
    /// Measure progress at this date instead of each revision's `as_of` or today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Report private KPIs too
    #[arg(long)]
    include_private: bool,
}

/// What `okra new` writes.
#[derive(Subcommand)]
enum NewCommand {
    /// An objective: objectives/PERIOD/ID.md
    Objective {
        /// Its id, which is also its file name
        id: String,
        /// The team or person who owns it
        #[arg(long)]
        owner: String,
        /// Its period, such as 2026-Q4
        #[arg(long)]
        period: String,
        /// The objective it serves
        #[arg(long)]
        parent: Option<String>,
        /// Its title [default: from the id]
        #[arg(long)]
        title: Option<String>,
        /// The site root
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A KPI: kpis/ID.md
    Kpi {
        /// Its id, which is also its file name
        id: String,
        /// The team who owns it
        #[arg(long)]
        owner: String,
        /// Its name [default: from the id]
        #[arg(long)]
        name: Option<String>,
        /// Its unit, such as % or points
        #[arg(long)]
        unit: Option<String>,
        /// The site root
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A team or person: teams/ID.md
    Team {
        /// Its id, which is also its file name
        id: String,
        /// The team it belongs to
        #[arg(long)]
        parent: Option<String>,
        /// Its name [default: from the id]
        #[arg(long)]
        name: Option<String>,
        /// company, department, team or person [default: team]
        #[arg(long)]
        kind: Option<String>,
        /// Who leads it
        #[arg(long)]
        lead: Option<String>,
        /// The site root
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

impl NewCommand {
    /// The site root and the document to write.
    fn into_parts(self) -> (PathBuf, okra::author::NewDocument) {
        use okra::author::NewDocument;
        match self {
            NewCommand::Objective {
                id,
                owner,
                period,
                parent,
                title,
                root,
            } => (
                root,
                NewDocument::Objective {
                    id,
                    title,
                    owner,
                    period,
                    parent,
                },
            ),
            NewCommand::Kpi {
                id,
                owner,
                name,
                unit,
                root,
            } => (
                root,
                NewDocument::Kpi {
                    id,
                    name,
                    owner,
                    unit,
                },
            ),
            NewCommand::Team {
                id,
                parent,
                name,
                kind,
                lead,
                root,
            } => (
                root,
                NewDocument::Team {
                    id,
                    name,
                    parent,
                    kind,
                    lead,
                },
            ),
        }
    }
}

/// `okra digest`'s arguments.
#[derive(clap::Args)]
struct DigestArgs {
    /// The date to look back to
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    since: Date,
    /// The site root
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// How to print the digest
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    format: DiffFormat,
    /// The repository's web address, for links to files [default: okra.toml's `repository`]
    #[arg(long, value_name = "URL")]
    repository: Option<String>,
    /// Measure progress at this date instead of `as_of` or today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Report private KPIs too
    #[arg(long)]
    include_private: bool,
}

/// Where a site is: `okra check DIR` or `okra check --root DIR`, `.` by
/// default.
#[derive(clap::Args)]
struct SiteDir {
    /// The site root (the folder with okra.toml)
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The site root; the same as DIR
    #[arg(long, value_name = "DIR", conflicts_with = "dir")]
    root: Option<PathBuf>,
}

impl SiteDir {
    fn path(self) -> PathBuf {
        self.dir.or(self.root).unwrap_or_else(|| PathBuf::from("."))
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Tables ready to paste as a pull-request comment
    Markdown,
    /// The same facts as data
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Compiler-style messages with the source line
    Human,
    /// A JSON array of diagnostics
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other analysis tools
    Sarif,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// Whether to colour output written to stdout.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
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
                html: false,
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
        Command::New(what) => {
            let (root, document) = what.into_parts();
            let site = okra::check(&root, &CheckOptions::default())?.site;
            let path = okra::author::new_document(&root, &site, &document)?;
            println!("Wrote {path}");
            check_written(&root, &path)
        }
        Command::CarryOver {
            id,
            to,
            root,
            as_of,
        } => {
            let options = CheckOptions {
                as_of,
                ..CheckOptions::default()
            };
            let site = okra::check(&root, &options)?.site;
            let carried = okra::author::carry_over(&root, &site, &id, &to)?;
            println!("Wrote {} ({}) from `{id}`", carried.path, carried.id);
            for note in &carried.notes {
                println!("  note: {note}");
            }
            check_written(&root, &carried.path)
        }
    }
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
            let prefix = okra::diff::git::locate(root)
                .map(|(_, prefix)| okra::diff::git::slashed(&prefix))
                .unwrap_or_default();
            okra::diagnostic::render_sarif(&checked.diagnostics, &checked.sources, &prefix)
        }
    };
    print_all(&text)?;
    Ok(if checked.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<ExitCode> {
    let built = okra::build(root, options)?;
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
    let digest = okra::diff::digest::digest(&okra::diff::digest::DigestOptions {
        root: args.root,
        since: args.since,
        as_of: args.as_of,
        include_private: args.include_private,
        repository: args.repository,
    })?;
    let text = match args.format {
        DiffFormat::Markdown => okra::diff::digest::render_markdown(&digest),
        DiffFormat::Json => okra::diff::digest::render_json(&digest),
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
