use super::routes::{built_file, inject, prefix};
use super::*;

#[test]
fn requests_never_leave_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("objectives")).unwrap();
    std::fs::write(site.join("index.html"), "home").unwrap();
    std::fs::write(site.join("objectives/a b.html"), "a").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    assert!(resolve(&site, "/").is_some_and(|p| p.ends_with("index.html")));
    assert!(resolve(&site, "/objectives/a%20b.html?x=1").is_some());
    assert!(
        resolve(&site, "/objectives/").is_none(),
        "no index.html there"
    );
    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/objectives/..%2f..%2fsecret.txt",
        "/objectives/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "secret.txt",
        "/%zz",
        "/%c0%ae%c0%ae/secret.txt",
        "/index.html%00.txt",
    ] {
        let resolved = resolve(&site, attack);
        assert!(
            resolved
                .as_ref()
                .is_none_or(|p| p.starts_with(site.canonicalize().unwrap())),
            "{attack} → {resolved:?}"
        );
        assert!(
            resolved.is_none_or(|p| !p.ends_with("secret.txt") && !p.starts_with("/etc")),
            "{attack}"
        );
    }
}

#[test]
fn built_files_are_found_by_their_request_path() {
    let files: Files = [
        ("index.html", "home"),
        ("objectives/a b.html", "a"),
        ("docs/index.html", "docs"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), Arc::new(t.as_bytes().to_vec())))
    .collect();
    let text =
        |path: &str| built_file(&files, path).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    assert_eq!(text("/").as_deref(), Some("home"));
    assert_eq!(text("/objectives/a%20b.html?x=1").as_deref(), Some("a"));
    assert_eq!(text("/docs/").as_deref(), Some("docs"));
    assert_eq!(text("/objectives/../index.html"), None);
    assert_eq!(text("/%2e%2e/index.html"), None);
    assert_eq!(text("index.html"), None);
}

#[test]
fn links_out_of_the_site_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
    assert!(resolve(&site, "/link.txt").is_none());
}

#[test]
fn the_live_script_goes_before_the_end_of_the_body() {
    let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), "../", 7);
    assert_eq!(
        String::from_utf8(html).unwrap(),
        "<html><body><p>x</p><script src=\"../__okra/live.js?g=7\"></script></body></html>"
    );
    assert_eq!(prefix("/"), "");
    assert_eq!(prefix("/objectives/x.html"), "../");
    assert_eq!(prefix("/a/b/c.html"), "../../");
}
