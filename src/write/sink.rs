//! Where rendered files go: the staging folder of a build, or memory.

/// A file of the built site: its path relative to the output folder and
/// its bytes.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Checks that `path` is a plain relative path that stays inside the
/// output: `/`-separated names, none empty, `.` or `..`, no backslash,
/// colon or control character, none longer than a file system takes. Every
/// sink calls it before taking a file, so no id or template can put a file
/// anywhere else, whatever the checks before it let through.
pub fn check_output_path(path: &str) -> anyhow::Result<()> {
    let plain = !path.is_empty()
        && path.split('/').all(|name| {
            !name.is_empty()
                && name != "."
                && name != ".."
                && name.len() <= 255
                && !name
                    .chars()
                    .any(|c| c == '\\' || c == ':' || c.is_control())
        });
    if plain {
        Ok(())
    } else {
        anyhow::bail!("refusing to write {path:?}: not a plain relative path inside the output")
    }
}

/// Where rendered files go: the staging folder of a build, or memory.
/// Implementations refuse paths that [`check_output_path`] refuses.
pub trait Sink: Sync {
    /// Takes one finished file; `path` is relative to the output folder.
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()>;

    /// Takes a large file written piece by piece, so it need not be held
    /// in memory whole.
    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.file(path, &bytes)
    }
}

/// Collects rendered files in memory.
#[derive(Default)]
pub struct MemorySink {
    files: std::sync::Mutex<Vec<OutputFile>>,
}

impl Sink for MemorySink {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        check_output_path(path)?;
        let file = OutputFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        };
        self.files
            .lock()
            .map_err(|_| anyhow::anyhow!("a render thread failed"))?
            .push(file);
        Ok(())
    }
}

impl MemorySink {
    /// The files received, in no particular order.
    pub fn into_files(self) -> anyhow::Result<Vec<OutputFile>> {
        self.files
            .into_inner()
            .map_err(|_| anyhow::anyhow!("a render thread failed"))
    }
}

/// Passes files on to another sink and notes their paths.
pub struct Recording<'s> {
    inner: &'s dyn Sink,
    paths: std::sync::Mutex<Vec<String>>,
}

impl<'s> Recording<'s> {
    pub fn new(inner: &'s dyn Sink) -> Recording<'s> {
        Recording {
            inner,
            paths: std::sync::Mutex::default(),
        }
    }

    /// The paths of the files passed on, in the order they came.
    pub fn into_paths(self) -> Vec<String> {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Recording<'_> {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.inner.file(path, bytes)?;
        self.paths
            .lock()
            .map_err(|_| anyhow::anyhow!("a render thread failed"))?
            .push(path.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        for ok in [
            "index.html",
            "objectives/a.html",
            "assets/okra.css",
            "periods/FY27-Q1.html",
        ] {
            assert!(check_output_path(ok).is_ok(), "{ok}");
        }
        let long = format!("objectives/{}.html", "a".repeat(300));
        for bad in [
            "",
            "/etc/passwd",
            "../x.html",
            "periods/../../x.html",
            "a//b",
            "./a",
            "a/",
            "a\\..\\b",
            "c:x",
            "a\nb",
            long.as_str(),
        ] {
            assert!(check_output_path(bad).is_err(), "{bad:?}");
            assert!(MemorySink::default().file(bad, b"x").is_err(), "{bad:?}");
        }
    }
}
