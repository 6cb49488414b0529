//! The command line's arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use okra::Date;

#[derive(Parser)]
#[command(
    name = "okra",
    version,
    about = "OKRs and KPIs as Markdown in git: checked, scored and published"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// Run a language server on stdin and stdout, for editors
    Lsp {
        /// The site root [default: the editor's workspace folder, or the nearest folder above it with okra.toml]
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Talk over stdin and stdout (the only way; accepted because editors pass it)
        #[arg(long)]
        stdio: bool,
    },
}

/// `okra diff`'s arguments.
#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// The revision to compare from (a branch, tag or commit)
    #[arg(value_name = "BASE")]
    pub(crate) base: String,
    /// The revision to compare to [default: the work tree]
    #[arg(value_name = "HEAD")]
    pub(crate) head: Option<String>,
    /// The site root inside the repository
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) root: PathBuf,
    /// How to print the report
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub(crate) format: DiffFormat,
    /// Exit with 1 when the head has errors, goalposts moved, or the change introduces warnings (or errors)
    #[arg(long, value_enum, value_name = "WHAT", value_delimiter = ',')]
    pub(crate) fail_on: Vec<okra::diff::FailOn>,
    /// The same as `--fail-on errors`
    #[arg(long, hide = true)]
    pub(crate) fail_on_errors: bool,
    /// The repository's web address, for links to files [default: okra.toml's `repository`]
    #[arg(long, value_name = "URL")]
    pub(crate) repository: Option<String>,
    /// Measure progress at this date instead of each revision's `as_of` or today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) as_of: Option<Date>,
    /// Report private KPIs too
    #[arg(long)]
    pub(crate) include_private: bool,
    /// Report draft objectives too
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// What `okra new` writes.
#[derive(Subcommand)]
pub(crate) enum NewCommand {
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
    pub(crate) fn into_parts(self) -> (PathBuf, okra::author::NewDocument) {
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
pub(crate) struct DigestArgs {
    /// The date to look back to
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) since: Date,
    #[command(flatten)]
    pub(crate) site: SiteDir,
    /// How to print the digest
    #[arg(long, value_enum, default_value_t = DigestFormat::Markdown)]
    pub(crate) format: DigestFormat,
    /// The repository's web address, for links to files [default: okra.toml's `repository`]
    #[arg(long, value_name = "URL")]
    pub(crate) repository: Option<String>,
    /// Report as the site stood at this date: its files as the last commit on or before it left them, progress measured then
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub(crate) as_of: Option<Date>,
    /// Report private KPIs too
    #[arg(long)]
    pub(crate) include_private: bool,
    /// Report draft objectives too
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// Where a site is: `okra check DIR` or `okra check --root DIR`, `.` by
/// default.
#[derive(clap::Args)]
pub(crate) struct SiteDir {
    /// The site root (the folder with okra.toml)
    #[arg(value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// The site root; the same as DIR
    #[arg(long, value_name = "DIR", conflicts_with = "dir")]
    pub(crate) root: Option<PathBuf>,
}

impl SiteDir {
    pub(crate) fn path(self) -> PathBuf {
        self.dir.or(self.root).unwrap_or_else(|| PathBuf::from("."))
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Tables ready to paste as a pull-request comment
    Markdown,
    /// The same facts as data
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DigestFormat {
    /// Tables, for an issue or a chat that renders Markdown
    Markdown,
    /// The same facts as data
    Json,
    /// Plain lines, for chat clients that do not render tables
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// Compiler-style messages with the source line
    Human,
    /// A JSON array of diagnostics
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other analysis tools
    Sarif,
}

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}
