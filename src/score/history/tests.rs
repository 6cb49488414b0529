use super::*;

fn site(key_results: &str, kpi: Option<&str>) -> crate::Checked {
    let extra: Vec<(&str, &str)> = kpi.map(|k| ("kpis/nps.md", k)).into_iter().collect();
    crate::check_test_site(key_results, &extra)
}

fn shown(points: &[Point]) -> Vec<String> {
    points
        .iter()
        .map(|(d, s)| format!("{d} {:.2}", s))
        .collect()
}

#[test]
fn check_ins_make_a_line_that_ends_where_reporting_ended() {
    let checked = site(
        "[[key_results]]\ntitle = \"Revenue\"\nstart = 0\ntarget = 10\n\
         [[key_results.checkins]]\ndate = 2026-07-10\nvalue = 2\n\
         [[key_results.checkins]]\ndate = 2026-07-31\nvalue = 5\nnote = \"good month\"\n\
         [[key_results.checkins]]\ndate = 2026-09-01\nvalue = 9\n\
         [[key_results]]\ntitle = \"Launch\"\nkind = \"milestone\"\n\
         [[key_results.checkins]]\ndate = 2026-08-01\nvalue = 0.5\n",
        None,
    );
    let site = &checked.site;
    let o = &site.objectives[0];
    assert_eq!(
        shown(&key_result(site, o, &o.key_results[0])),
        ["2026-07-10 0.20", "2026-07-31 0.50"],
        "a check-in after the as-of date is not shown"
    );
    assert_eq!(
        shown(&objective(site, o)),
        ["2026-07-10 0.20", "2026-07-31 0.50", "2026-08-01 0.50"],
        "the milestone counts from the day it was first reported"
    );
    assert!((expected_on(site, o, site.as_of) - o.expected).abs() < 1e-9);
}

#[test]
fn kpi_measurements_and_values_written_in_place_are_points_too() {
    let kpi = "+++\nname = \"NPS\"\nowner = \"acme\"\n[[measurements]]\ndate = 2026-06-30\nvalue = 30\n\
               [[measurements]]\ndate = 2026-07-31\nvalue = 36\n[[measurements]]\ndate = 2026-08-14\nvalue = 39\n+++\n";
    let checked = site(
        "[[key_results]]\ntitle = \"NPS to 45\"\nkpi = \"nps\"\ntarget = 45\n\
         [[key_results]]\ntitle = \"Cost down\"\nstart = 10\ntarget = 5\ncurrent = 9\n",
        Some(kpi),
    );
    let site = &checked.site;
    let o = &site.objectives[0];
    assert_eq!(
        shown(&key_result(site, o, &o.key_results[0])),
        ["2026-07-31 0.40", "2026-08-14 0.60"]
    );
    assert_eq!(
        shown(&key_result(site, o, &o.key_results[1])),
        ["2026-08-15 0.20"],
        "a value written in place is known on the as-of date only"
    );
    let last = objective(site, o).last().copied().unwrap();
    assert_eq!(last.0, site.as_of);
    assert!(
        (last.1 - o.score.unwrap()).abs() < 1e-9,
        "the line ends at today's score"
    );
}

#[test]
fn combined_histories_carry_each_latest_score_forward() {
    let d = |s: &str| Date::parse(s).unwrap();
    let a = vec![(d("2026-07-01"), 0.2), (d("2026-08-01"), 0.6)];
    let b = vec![(d("2026-07-15"), 0.4)];
    assert_eq!(
        shown(&combined(&[&a, &b, &[]])),
        ["2026-07-01 0.20", "2026-07-15 0.30", "2026-08-01 0.50"]
    );
}
