use super::*;

/// The site whose one objective holds `key_results` (TOML tables).
fn checked(key_results: &str) -> crate::Checked {
    crate::check_test_site(key_results, &[])
}

fn kr(id: Option<&str>, title: &str, target: f64) -> String {
    let id = id.map(|i| format!("id = \"{i}\"\n")).unwrap_or_default();
    format!("[[key_results]]\n{id}title = \"{title}\"\nstart = 0\ntarget = {target}\n")
}

/// The pairs as `old title → new title (how)`.
fn pairs(old: &[String], new: &[String]) -> Vec<String> {
    let (old, new) = (checked(&old.concat()), checked(&new.concat()));
    let (old, new) = (
        &old.site.objectives[0].key_results,
        &new.site.objectives[0].key_results,
    );
    pair(old, new)
        .iter()
        .map(|p| {
            format!(
                "{} → {} ({:?})",
                p.old.map_or("-", |k| k.title.as_str()),
                p.new.map_or("-", |k| k.title.as_str()),
                p.matched
            )
        })
        .collect()
}

#[test]
fn an_insertion_is_an_addition_not_a_chain_of_retitles() {
    let a = kr(None, "Grow revenue to 2M", 2.0);
    let b = kr(None, "Sign 40 new customers", 40.0);
    let c = kr(None, "Cut churn to 2%", 2.0);
    let new = kr(None, "Launch in Japan", 1.0);
    assert_eq!(
        pairs(&[a.clone(), b.clone(), c.clone()], &[a, new, b, c]),
        [
            "Grow revenue to 2M → Grow revenue to 2M (Some(Title))",
            "- → Launch in Japan (None)",
            "Sign 40 new customers → Sign 40 new customers (Some(Title))",
            "Cut churn to 2% → Cut churn to 2% (Some(Title))",
        ]
    );
}

#[test]
fn deletions_reorders_and_edits_are_what_they_are() {
    let a = kr(None, "Grow revenue to 2M", 2.0);
    let b = kr(None, "Sign 40 new customers", 40.0);
    let c = kr(None, "Cut churn to 2%", 2.0);
    let edited = kr(None, "Sign 45 new customers", 45.0);
    assert_eq!(
        pairs(&[a.clone(), b.clone(), c.clone()], &[c.clone(), edited]),
        [
            "Cut churn to 2% → Cut churn to 2% (Some(Title))",
            "Sign 40 new customers → Sign 45 new customers (Some(Similar))",
            "Grow revenue to 2M → - (None)",
        ]
    );
    // Unrelated titles are not forced together.
    let other = kr(None, "Hire a head of design", 1.0);
    assert_eq!(
        pairs(&[b], &[other]),
        [
            "- → Hire a head of design (None)",
            "Sign 40 new customers → - (None)"
        ]
    );
}

#[test]
fn explicit_ids_win_and_a_new_id_is_matched_by_title() {
    let old = [
        kr(Some("rev"), "Grow revenue to 2M", 2.0),
        kr(None, "Enter Japan", 1.0),
    ];
    let new = [
        kr(None, "Enter Japan", 1.0),
        kr(Some("rev"), "Grow revenue to 3M", 3.0),
    ];
    let got = pairs(&old, &new);
    assert_eq!(
        got,
        [
            "Enter Japan → Enter Japan (Some(Title))",
            "Grow revenue to 2M → Grow revenue to 3M (Some(Id))",
        ]
    );
    // Giving an id to an existing key result keeps it the same one.
    let named = [
        kr(Some("rev"), "Grow revenue to 2M", 2.0),
        kr(Some("japan"), "Enter Japan", 1.0),
    ];
    assert_eq!(
        pairs(&old, &named),
        [
            "Grow revenue to 2M → Grow revenue to 2M (Some(Id))",
            "Enter Japan → Enter Japan (Some(Title))",
        ]
    );
}

/// The objectives that `renamed` pairs when `old` files become `new`
/// files, as `old id → new id`.
fn renamed_pairs(old: &[(&str, &str)], new: &[(&str, &str)]) -> Vec<String> {
    let (old, new) = (checked_with(old), checked_with(new));
    let (removed, added) = (others(&old), others(&new));
    assert!(!removed.is_empty() && !added.is_empty(), "the sites read");
    renamed(&removed, &added)
        .into_iter()
        .map(|(o, n)| format!("{} → {}", removed[o].id, added[n].id))
        .collect()
}

/// The objectives beside the test site's own "grow".
fn others(c: &crate::Checked) -> Vec<&Objective> {
    c.site
        .objectives
        .iter()
        .filter(|o| o.id != "grow")
        .collect()
}

fn checked_with(files: &[(&str, &str)]) -> crate::Checked {
    crate::check_test_site("", files)
}

fn objective_file(title: &str, owner: &str, key_results: &[String]) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"{owner}\"\nperiod = \"2026-Q3\"\n{}+++\n",
        key_results.concat()
    )
}

#[test]
fn a_renamed_objective_is_found_by_its_title_and_key_results() {
    let krs = [
        kr(None, "Sign 40 resellers", 40.0),
        kr(None, "Open 3 offices", 3.0),
    ];
    let europe = objective_file("Win Europe", "acme", &krs);
    let eased = objective_file(
        "Win Europe",
        "acme",
        &[kr(None, "Sign 40 resellers", 30.0), krs[1].clone()],
    );
    let other = objective_file("Hire a sales team", "acme", &[kr(None, "Hire 5 reps", 5.0)]);
    assert_eq!(
        renamed_pairs(
            &[("objectives/europe.md", &europe)],
            &[
                ("objectives/hiring.md", &other),
                ("objectives/eu/win.md", &eased),
            ],
        ),
        ["europe → win"]
    );
    // Another title and other key results are another objective.
    assert!(
        renamed_pairs(
            &[("objectives/europe.md", &europe)],
            &[("objectives/h.md", &other)]
        )
        .is_empty()
    );
}

#[test]
fn an_objective_under_another_owner_is_never_taken_for_a_renamed_one() {
    let team = "+++\nname = \"Sales\"\nparent = \"acme\"\n+++\n";
    let krs = [kr(None, "Sign 40 resellers", 40.0)];
    let ours = objective_file("Win Europe", "acme", &krs);
    let theirs = objective_file("Win Europe", "sales", &krs);
    assert!(
        renamed_pairs(
            &[("objectives/europe.md", &ours), ("teams/sales.md", team)],
            &[
                ("objectives/sales-europe.md", &theirs),
                ("teams/sales.md", team)
            ],
        )
        .is_empty()
    );
}
