//! Reading a site as it was at a git revision, without touching the work
//! tree or the index: `git ls-tree` lists the files and `git cat-file
//! --batch` reads them into memory.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Why a revision could not be read, for the exit status.
#[derive(Debug)]
pub enum GitError {
    /// `git` is not installed or not on PATH.
    NoGit,
    /// The folder is not in a git repository.
    NotARepository(PathBuf),
    /// The revision does not name a commit.
    UnknownRevision(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NoGit => write!(f, "the `git` command was not found on PATH"),
            GitError::NotARepository(path) => {
                write!(f, "{} is not inside a git repository", path.display())
            }
            GitError::UnknownRevision(rev) => {
                write!(f, "`{rev}` is not a revision of this repository")
            }
        }
    }
}

impl std::error::Error for GitError {}

fn git(top: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(top);
    command
}

/// Why `git` could not be started: not installed, or another failure.
fn start_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow::Error::new(GitError::NoGit)
    } else {
        anyhow::Error::new(e).context("running git")
    }
}

fn run(command: &mut Command) -> anyhow::Result<Vec<u8>> {
    let output = command.output().map_err(start_error)?;
    if !output.status.success() {
        bail!(
            "git failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The repository's top folder and the site root's path inside it
/// (`""` when the site is the repository).
pub fn locate(root: &Path) -> anyhow::Result<(PathBuf, String)> {
    let root = root
        .canonicalize()
        .with_context(|| format!("reading {}", root.display()))?;
    let output = git(&root)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .map_err(start_error)?;
    if !output.status.success() {
        return Err(GitError::NotARepository(root).into());
    }
    let top = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim().to_string());
    let top = top.canonicalize().unwrap_or(top);
    let prefix = root
        .strip_prefix(&top)
        .map(|p| crate::load::relative_path(Path::new(""), p))
        .unwrap_or_default();
    Ok((top, prefix))
}

/// The full commit id of a revision.
pub fn resolve(top: &Path, revision: &str) -> anyhow::Result<String> {
    if revision.starts_with('-') {
        return Err(GitError::UnknownRevision(revision.to_string()).into());
    }
    let output = git(top)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{revision}^{{commit}}"))
        .output()
        .map_err(|_| GitError::NoGit)?;
    if !output.status.success() {
        return Err(GitError::UnknownRevision(revision.to_string()).into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// The site's folder in its repository (from [`locate`]) as the start of
/// a path: empty, or ending in `/`.
pub fn slashed(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    }
}

/// How a code host lays out a file's page, told from the repository's
/// address: GitLab (`gitlab.com`, or a host named `gitlab.…`) under
/// `/-/blob/`, Gitea and Forgejo (`codeberg.org`, `gitea.…`, `forgejo.…`)
/// under `/src/commit/`, and GitHub's `/blob/` for every other host
/// (GitHub Enterprise, Bitbucket Server's mirrors of it).
fn blob_path(repository: &str) -> &'static str {
    let host = repository
        .split_once("://")
        .map_or(repository, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let named = |word: &str| host == format!("{word}.com") || host.starts_with(&format!("{word}."));
    if named("gitlab") {
        "-/blob"
    } else if host == "codeberg.org" || named("gitea") || named("forgejo") {
        "src/commit"
    } else {
        "blob"
    }
}

/// A file's page on the repository's web pages (`repository`, in its
/// host's layout: see [`blob_path`]) at `revision`; `path` is from the
/// repository's top.
pub fn file_url(repository: &str, revision: &str, path: &str) -> String {
    let path = crate::source::percent_encode_path(path);
    format!("{repository}/{}/{revision}/{path}", blob_path(repository))
}

/// The commits of `HEAD`'s first-parent history, oldest first, each with
/// the day its changes became true on the branch: its committer date, or
/// the day of the commit before it when that is later (a clock set wrong,
/// an import that rewrote dates), so that days never go backwards.
pub fn first_parent_days(top: &Path) -> anyhow::Result<Vec<(String, crate::Date)>> {
    if resolve(top, "HEAD").is_err() {
        // A repository without commits has no `HEAD` to read.
        return Ok(Vec::new());
    }
    let output = run(git(top).args([
        "rev-list",
        "--first-parent",
        "--reverse",
        "--format=%H %ct",
        "--no-commit-header",
        "HEAD",
    ]))?;
    let text = String::from_utf8_lossy(&output);
    let mut days = Vec::new();
    let mut latest = i64::MIN;
    for line in text.lines() {
        let Some((hash, time)) = line.split_once(' ') else {
            continue;
        };
        latest = latest.max(time.trim().parse().unwrap_or(latest));
        days.push((
            hash.to_string(),
            crate::Date::from_unix_seconds(latest.max(0)),
        ));
    }
    Ok(days)
}

/// The last commit of the branch's first-parent history whose changes
/// had become true (see [`first_parent_days`]) before `date` began, or
/// `None` when the history starts later (or there is no commit yet).
pub fn last_commit_before(top: &Path, date: crate::Date) -> anyhow::Result<Option<String>> {
    let days = first_parent_days(top)?;
    Ok(days
        .into_iter()
        .take_while(|(_, day)| *day < date)
        .last()
        .map(|(hash, _)| hash))
}

/// The contents of the blobs named by `hashes`, in order, read through one
/// `git cat-file --batch`. A blob larger than the largest file okra reads
/// ([`crate::load::MAX_FILE_BYTES`]) is passed over unread and is `None`,
/// so no blob in the history costs more memory than a file on disk would.
pub fn read_blobs(top: &Path, hashes: &[&str]) -> anyhow::Result<Vec<Option<Vec<u8>>>> {
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| GitError::NoGit)?;
    let mut stdin = child.stdin.take().context("git's input")?;
    let input: String = hashes.iter().map(|hash| format!("{hash}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().context("git's output")?);
    let mut contents = Vec::with_capacity(hashes.len());
    for _ in hashes {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .context("reading from git cat-file")?;
        let size: u64 = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("unexpected git cat-file output: {header}"))?;
        // The content, then a line break.
        let mut content = Vec::new();
        if size > crate::load::MAX_FILE_BYTES {
            std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())
                .context("reading from git cat-file")?;
            contents.push(None);
            continue;
        }
        (&mut reader)
            .take(size + 1)
            .read_to_end(&mut content)
            .context("reading from git cat-file")?;
        if content.len() as u64 != size + 1 {
            anyhow::bail!("git cat-file ended inside a blob");
        }
        content.pop();
        contents.push(Some(content));
    }
    writer.join().ok();
    child.wait().context("waiting for git")?;
    Ok(contents)
}

/// One commit of the branch's first-parent history that changed files
/// under a folder.
pub struct Commit {
    pub hash: String,
    /// The day its changes became true on the branch (see
    /// [`first_parent_days`]).
    pub day: crate::Date,
    pub author: String,
    /// Each regular file it added or changed: its path from the
    /// repository's top and its new blob.
    pub files: Vec<(String, String)>,
}

/// Every commit of the first-parent history of `revision` (a full commit
/// id, or `HEAD`) that changed files under `folder` (a path from the
/// repository's top, `""` for all), oldest first, from one `git log`. A merge is one commit, with what it brought
/// onto the branch (its changes against its first parent), dated by the
/// merge: the day its changes became true on the branch.
pub fn log(top: &Path, revision: &str, folder: &str) -> anyhow::Result<Vec<Commit>> {
    let output = run(git(top).args([
        "log",
        "--first-parent",
        "--reverse",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=commit%x00%H%x00%ct%x00%an%x00",
        "--diff-merges=first-parent",
        "--end-of-options",
        revision,
        "--",
        if folder.is_empty() { "." } else { folder },
    ]))?;
    // Every field ends in a NUL, which no name, path or hash can hold: a
    // commit is `commit`, its hash, time and author, then each changed
    // file as its `:`-line and its path.
    let text = String::from_utf8_lossy(&output);
    let mut fields = text.split('\0').map(|f| f.trim_start_matches('\n'));
    let mut commits: Vec<Commit> = Vec::new();
    let mut latest = i64::MIN;
    while let Some(field) = fields.next() {
        if field == "commit" {
            let (Some(hash), Some(time), Some(author)) =
                (fields.next(), fields.next(), fields.next())
            else {
                break;
            };
            latest = latest.max(time.parse().unwrap_or(latest));
            commits.push(Commit {
                hash: hash.to_string(),
                day: crate::Date::from_unix_seconds(latest.max(0)),
                author: author.to_string(),
                files: Vec::new(),
            });
        } else if let Some(raw) = field.strip_prefix(':') {
            let path = fields.next().unwrap_or_default();
            let parts: Vec<&str> = raw.split(' ').collect();
            let Some(commit) = commits.last_mut() else {
                continue;
            };
            if let [_, mode, _, blob, status] = parts[..] {
                if !status.starts_with('D') && mode.starts_with("100") {
                    commit.files.push((path.to_string(), blob.to_string()));
                }
            }
        }
    }
    Ok(commits)
}

/// The files under `prefix` at `commit` (regular files only: no links, no
/// submodules), by their path below `prefix`.
pub fn read_tree(
    top: &Path,
    commit: &str,
    prefix: &str,
) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut list = git(top);
    list.args(["ls-tree", "-r", "-z", "--full-tree", commit]);
    if !prefix.is_empty() {
        list.arg("--").arg(prefix);
    }
    let listing = run(&mut list)?;
    let mut blobs = Vec::new();
    let mut listed_only = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split_whitespace();
        let (mode, kind, hash) = (fields.next(), fields.next(), fields.next());
        // Regular files only: no links, no submodules.
        if kind != Some("blob") || mode == Some("120000") {
            continue;
        }
        let relative = if prefix.is_empty() {
            path.to_string()
        } else {
            match path.strip_prefix(prefix).and_then(|p| p.strip_prefix('/')) {
                Some(rest) => rest.to_string(),
                None => continue,
            }
        };
        if crate::load::normalise_inside(Path::new(&relative)).is_none() {
            continue;
        }
        // A check lists `static/` but never reads it: its files are left
        // empty, unread.
        if crate::load::in_static(&relative) {
            listed_only.push(relative);
            continue;
        }
        blobs.push((hash.unwrap_or_default().to_string(), relative));
    }

    let hashes: Vec<&str> = blobs.iter().map(|(hash, _)| hash.as_str()).collect();
    let contents = read_blobs(top, &hashes)?;
    let mut files: BTreeMap<String, Vec<u8>> = blobs
        .into_iter()
        .map(|(_, relative)| relative)
        .zip(contents)
        .filter_map(|(relative, content)| Some((relative, content?)))
        .collect();
    files.extend(listed_only.into_iter().map(|path| (path, Vec::new())));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::file_url;

    #[test]
    fn file_links_follow_each_hosts_layout() {
        let path = "okrs/objectives/a b.md";
        assert_eq!(
            file_url("https://github.com/acme/okrs", "abc", path),
            "https://github.com/acme/okrs/blob/abc/okrs/objectives/a%20b.md"
        );
        assert_eq!(
            file_url("https://gitlab.com/acme/okrs", "abc", path),
            "https://gitlab.com/acme/okrs/-/blob/abc/okrs/objectives/a%20b.md"
        );
        assert_eq!(
            file_url("https://gitlab.intranet.example/acme/okrs", "abc", path),
            "https://gitlab.intranet.example/acme/okrs/-/blob/abc/okrs/objectives/a%20b.md"
        );
        assert_eq!(
            file_url("https://codeberg.org/acme/okrs", "abc", path),
            "https://codeberg.org/acme/okrs/src/commit/abc/okrs/objectives/a%20b.md"
        );
        assert!(file_url("https://git.example/acme/okrs", "abc", path).contains("/blob/abc/"));
    }
}
