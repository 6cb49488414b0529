//! Stage 7, write: put the rendered files on disk, atomically.
//!
//! The site is written into a fresh sibling folder of the output and then
//! swapped in with renames, so a failed or interrupted build leaves the
//! previous output as it was, and no stale file survives a rebuild.

mod sink;

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, bail};

pub use sink::{MemorySink, OutputFile, Recording, Sink, check_output_path};

/// The file that marks a folder as okra's output. A build replaces the
/// whole content of its output folder, so it refuses a folder that is not
/// empty and has no marker: okra did not make it.
pub const MARKER: &str = ".okra-output";

const MARKER_TEXT: &str =
    "This folder is written by `okra build`, which replaces all of its content on every build.\n";

/// Refuses output folders that would overwrite or be read as content: the
/// site root itself, a folder above it, a folder okra reads from, or (unless
/// `force`) a folder with files in it that okra did not write.
pub fn check_output_location(site_root: &Path, output: &Path, force: bool) -> anyhow::Result<()> {
    let root = absolute(site_root)?;
    let out = absolute(output)?;
    if root.starts_with(&out) {
        bail!(
            "the output folder {} is the site root or contains it; building there would delete the site",
            output.display()
        );
    }
    for folder in [
        "teams",
        "objectives",
        "kpis",
        "pages",
        "templates",
        "static",
    ] {
        if out.starts_with(root.join(folder)) {
            bail!(
                "the output folder {} is inside the site's `{folder}/` folder; choose a folder outside the content, such as `public`",
                output.display()
            );
        }
    }
    if out.is_file() {
        bail!(
            "the output path {} is a file, not a folder",
            output.display()
        );
    }
    if !force && out.is_dir() && !out.join(MARKER).is_file() {
        let mut entries =
            fs::read_dir(&out).with_context(|| format!("reading {}", output.display()))?;
        if entries.next().is_some() {
            bail!(
                "the output folder {} has files that okra did not write, and a build replaces all of them\n\
                 help: choose an empty or new folder, or pass --force to replace its content",
                output.display()
            );
        }
    }
    Ok(())
}

/// Whether `path` is where a file system is mounted (a container volume,
/// say): it cannot be renamed, so a build replaces its content instead.
#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(own), Some(parent)) = (fs::symlink_metadata(path), path.parent()) else {
        return false;
    };
    if !own.is_dir() {
        return false;
    }
    if fs::metadata(parent).is_ok_and(|p| p.dev() != own.dev()) {
        return true;
    }
    // A bind mount of a folder of the same file system keeps its device.
    let Ok(canonical) = path.canonicalize() else {
        return false;
    };
    fs::read_to_string("/proc/self/mountinfo").is_ok_and(|table| {
        table
            .lines()
            .filter_map(|line| line.split(' ').nth(4))
            .any(|point| Path::new(&unescape_mount_point(point)) == canonical)
    })
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

/// A mount point as `/proc/self/mountinfo` writes it, with `\040` for a
/// space and the like, made plain.
fn unescape_mount_point(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match (bytes[i], octal) {
            (b'\\', Some(digits)) => {
                let value = digits.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An absolute, normalised path, following links of the part that exists.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("reading the current folder")?
            .join(path)
    };
    // Resolve `.` and `..` by their names first, as a shell would.
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let joined = lexical;
    // Canonicalise the longest existing ancestor and append the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    Ok(out)
}

/// A new output folder being filled next to the real one. Files can be
/// written from many threads at once; [`Staging::commit`] swaps the folder
/// in, and dropping it without committing removes it, leaving the previous
/// output as it was. When the output is a mount point, which cannot be
/// renamed, the staging folder is made inside it and commit replaces the
/// output's content entry by entry instead.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    unique: String,
    in_place: bool,
    /// Folders already created inside `dir`, to save repeated system calls.
    folders: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn new(output: &Path) -> anyhow::Result<Staging> {
        let output = absolute(output)?;
        let parent = output
            .parent()
            .context("the output folder has no parent")?
            .to_path_buf();
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = output
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        let unique = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let in_place = is_mount_point(&output);
        let dir = if in_place {
            output.join(format!(".okra-new-{unique}"))
        } else {
            parent.join(format!(".{name}.okra-new-{unique}"))
        };
        fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::write(dir.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("writing {}", dir.join(MARKER).display()))?;
        Ok(Staging {
            dir,
            output,
            parent,
            name,
            unique,
            in_place,
            folders: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file, `path` being relative to the output folder.
    pub fn write(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let target = self.target(path)?;
        fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// Where `path` goes in the staging folder, its folder created.
    fn target(&self, path: &str) -> anyhow::Result<PathBuf> {
        check_output_path(path)?;
        let target = self.dir.join(path);
        if let Some(folder) = target.parent() {
            let known = self
                .folders
                .lock()
                .is_ok_and(|folders| folders.contains(folder));
            if !known {
                fs::create_dir_all(folder)
                    .with_context(|| format!("creating {}", folder.display()))?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        Ok(target)
    }

    /// Writes one file through a buffer, piece by piece.
    pub fn write_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let target = self.target(path)?;
        let file =
            fs::File::create(&target).with_context(|| format!("writing {}", target.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out).with_context(|| format!("writing {}", target.display()))?;
        out.flush()
            .with_context(|| format!("writing {}", target.display()))
    }

    /// Copies the site's `static/` folder in, if it has one.
    pub fn copy_static(&self, static_dir: &Path) -> anyhow::Result<()> {
        if static_dir.is_dir() {
            copy_static(static_dir, &self.dir)?;
        }
        Ok(())
    }

    /// Replaces the output folder with the staged one.
    pub fn commit(mut self) -> anyhow::Result<()> {
        self.committed = true;
        if self.in_place {
            let _lock = lock_folder(&self.output);
            let result = replace_content(&self.dir, &self.output, &self.unique);
            let _ = fs::remove_dir_all(&self.dir);
            return result;
        }
        // One build at a time swaps its site in, so two builds into the
        // same folder never mix: the later one wins, whole.
        let _lock = lock_folder(&self.parent);
        remove_abandoned(&self.parent, &self.name, &self.output);
        let result = swap(
            &self.dir,
            &self.output,
            &self.parent,
            &self.name,
            &self.unique,
        );
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Sink for Staging {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.write(path, bytes)
    }

    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.write_streamed(path, write)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `files` (and a copy of `static_dir`) as the new content of
/// `output`, replacing whatever was there only once everything is written.
pub fn write_site(
    output: &Path,
    files: &[OutputFile],
    static_dir: Option<&Path>,
) -> anyhow::Result<()> {
    let staging = Staging::new(output)?;
    if let Some(dir) = static_dir {
        staging.copy_static(dir)?;
    }
    for file in files {
        staging.write(&file.path, &file.bytes)?;
    }
    staging.commit()
}

/// Holds an exclusive advisory lock on a folder while alive (on Unix;
/// elsewhere nothing is locked). Closing the file releases it.
#[cfg(unix)]
fn lock_folder(folder: &Path) -> Option<fs::File> {
    use std::os::fd::AsRawFd;
    let file = fs::File::open(folder).ok()?;
    // SAFETY: the descriptor belongs to `file`, which is open for the call.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0;
    locked.then_some(file)
}

#[cfg(not(unix))]
fn lock_folder(_: &Path) -> Option<fs::File> {
    None
}

/// Removes staging folders and set-aside sites of earlier builds of the
/// same output that were killed before they could clean up. A folder's name
/// carries the process id of its build; only those of processes that are
/// gone are touched, and only where that can be told (`/proc`). A previous
/// site set aside by a build killed before it put its own in place is put
/// back instead.
fn remove_abandoned(parent: &Path, name: &str, output: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.okra-new-"), format!(".{name}.okra-old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists() {
            continue;
        }
        let set_aside = file_name.starts_with(prefixes[1].as_str());
        if set_aside && !output.exists() && fs::rename(entry.path(), output).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(entry.path());
    }
}

/// Swaps two folders in one step, so that there is no moment without
/// either (Linux only; elsewhere it reports "unsupported").
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call, and renameat2 does not keep them.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn swap(
    staging: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
    unique: &str,
) -> anyhow::Result<()> {
    if output.is_dir() && exchange(staging, output).is_ok() {
        // The staging folder now holds the previous site.
        return remove_site(staging)
            .with_context(|| format!("removing the previous site at {}", staging.display()));
    }
    if output.exists() {
        let old = parent.join(format!(".{name}.okra-old-{unique}"));
        fs::rename(output, &old)
            .with_context(|| format!("moving the previous {} aside", output.display()))?;
        if let Err(error) = fs::rename(staging, output) {
            // Put the previous site back before giving up.
            let _ = fs::rename(&old, output);
            return Err(error)
                .with_context(|| format!("moving the new site to {}", output.display()));
        }
        remove_site(&old)
            .with_context(|| format!("removing the previous site at {}", old.display()))?;
    } else {
        fs::rename(staging, output)
            .with_context(|| format!("moving the new site to {}", output.display()))?;
    }
    Ok(())
}

/// Removes a previous site: the files of each folder in parallel, since a
/// site has thousands of them, then the folders. Links are removed, never
/// followed.
fn remove_site(folder: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(folder)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_site(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(folder)
}

/// Replaces the content of `output` with that of `staging`, a folder inside
/// it: the old entries are moved into a folder of their own, the new ones
/// moved up, and the old ones removed. Leftovers of earlier builds inside
/// the output go with the old entries.
fn replace_content(staging: &Path, output: &Path, unique: &str) -> anyhow::Result<()> {
    let old = output.join(format!(".okra-old-{unique}"));
    fs::create_dir(&old).with_context(|| format!("creating {}", old.display()))?;
    let entries = |folder: &Path| -> anyhow::Result<Vec<fs::DirEntry>> {
        fs::read_dir(folder)
            .and_then(|entries| entries.collect())
            .with_context(|| format!("reading {}", folder.display()))
    };
    for entry in entries(output)? {
        let path = entry.path();
        if path != staging && path != old {
            fs::rename(&path, old.join(entry.file_name()))
                .with_context(|| format!("moving the previous {} aside", path.display()))?;
        }
    }
    for entry in entries(staging)? {
        let target = output.join(entry.file_name());
        fs::rename(entry.path(), &target)
            .with_context(|| format!("moving the new site to {}", target.display()))?;
    }
    fs::remove_dir_all(&old)
        .with_context(|| format!("removing the previous site at {}", old.display()))
}

/// Copies `static/` verbatim; links are copied only when they stay inside
/// `static/` (see [`crate::source::inside_folder`]).
fn copy_static(dir: &Path, staging: &Path) -> anyhow::Result<()> {
    let root = dir.parent().unwrap_or(Path::new("."));
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("reading {}", root.display()))?;
    if crate::source::inside_folder(&canonical_root, "static", dir).is_none() {
        bail!(
            "{} is a link out of the site or into a hidden folder; okra copies only files inside `static/`",
            dir.display()
        );
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let relative = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir stays under its root");
        let target = staging.join(relative);
        let file_type = entry.file_type();
        if file_type.is_dir() {
            fs::create_dir_all(&target)
                .with_context(|| format!("creating {}", target.display()))?;
        } else if file_type.is_file()
            || file_type.is_symlink()
                && crate::source::inside_folder(&canonical_root, "static", entry.path())
                    .is_some_and(|p| p.is_file())
        {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
