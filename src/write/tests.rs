use super::*;

fn file(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn a_rebuild_replaces_everything() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(
        &out,
        &[file("index.html", "one"), file("old/x.html", "x")],
        None,
    )
    .unwrap();
    write_site(&out, &[file("index.html", "two")], None).unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    assert!(!out.join("old").exists(), "stale files are gone");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no staging folders left behind");
}

#[test]
fn a_failed_write_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[file("index.html", "one")], None).unwrap();
    // A file and a folder of the same name cannot both be written.
    let clash = [file("a", "file"), file("a/b.html", "inside")];
    assert!(write_site(&out, &clash, None).is_err());
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn leftovers_of_killed_builds_are_cleaned_up_or_put_back() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let gone = (900_000..)
        .find(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let old = dir.path().join(format!(".public.okra-old-{gone}-1"));
    let new = dir.path().join(format!(".public.okra-new-{gone}-2"));
    let mine = dir
        .path()
        .join(format!(".public.okra-new-{}-3", std::process::id()));
    for folder in [&old, &new, &mine] {
        fs::create_dir_all(folder).unwrap();
    }
    fs::write(old.join("index.html"), "previous").unwrap();
    remove_abandoned(dir.path(), "public", &out);
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "previous",
        "the set-aside site is put back"
    );
    assert!(!new.exists(), "a dead build's staging folder is removed");
    assert!(mine.exists(), "a live build's folder is left alone");
}

#[test]
fn output_locations_that_would_destroy_the_site_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(site.join("objectives")).unwrap();
    assert!(check_output_location(&site, &site, false).is_err());
    assert!(check_output_location(&site, dir.path(), false).is_err());
    assert!(check_output_location(&site, &site.join("objectives/out"), false).is_err());
    assert!(check_output_location(&site, &site.join("public"), false).is_ok());
    assert!(check_output_location(&site, &site.join("public/../objectives"), false).is_err());
    fs::write(site.join("afile"), "x").unwrap();
    assert!(check_output_location(&site, &site.join("afile"), false).is_err());
}

#[test]
fn folders_okra_did_not_write_are_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let theirs = dir.path().join("home");
    fs::create_dir_all(&theirs).unwrap();
    assert!(
        check_output_location(&site, &theirs, false).is_ok(),
        "empty"
    );
    fs::write(theirs.join("thesis.tex"), "years of work").unwrap();
    let refused = check_output_location(&site, &theirs, false).unwrap_err();
    assert!(refused.to_string().contains("--force"), "{refused}");
    assert!(check_output_location(&site, &theirs, true).is_ok());
    let ours = dir.path().join("public");
    write_site(&ours, &[file("index.html", "new")], None).unwrap();
    assert!(ours.join(MARKER).is_file());
    assert!(check_output_location(&site, &ours, false).is_ok());
}

#[test]
fn content_is_replaced_in_place_entry_by_entry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("volume");
    fs::create_dir_all(out.join("old-folder")).unwrap();
    fs::write(out.join("stale.html"), "stale").unwrap();
    fs::write(out.join("index.html"), "previous").unwrap();
    let staging = out.join(".okra-new-1");
    fs::create_dir_all(staging.join("objectives")).unwrap();
    fs::write(staging.join("index.html"), "new").unwrap();
    fs::write(staging.join("objectives/a.html"), "a").unwrap();
    replace_content(&staging, &out, "1").unwrap();
    fs::remove_dir(&staging).unwrap();
    let mut names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["index.html", "objectives"]);
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
}

#[test]
fn mount_points_are_read_from_the_mount_table() {
    assert_eq!(unescape_mount_point("/mnt/a\\040b"), "/mnt/a b");
    assert_eq!(unescape_mount_point("/x\\"), "/x\\");
    assert!(!is_mount_point(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path()
    ));
}

#[cfg(unix)]
#[test]
fn removing_a_previous_site_removes_links_and_never_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "keep").unwrap();
    let site = dir.path().join("old");
    fs::create_dir_all(site.join("objectives/deep")).unwrap();
    fs::write(site.join("index.html"), "x").unwrap();
    fs::write(site.join("objectives/deep/a.html"), "x").unwrap();
    std::os::unix::fs::symlink(&outside, site.join("objectives/link")).unwrap();
    std::os::unix::fs::symlink(outside.join("keep.txt"), site.join("file-link")).unwrap();
    remove_site(&site).unwrap();
    assert!(!site.exists());
    assert_eq!(
        fs::read_to_string(outside.join("keep.txt")).unwrap(),
        "keep"
    );
}
