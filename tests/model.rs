//! The resolved model of a fixture site: defaults, precedence, scores and
//! statuses end to end, and the JSON export of it.

use crate::common;

use okra::model::{Judgement, KpiRole, KpiStatus, Status, ValueSource};
use okra::{CheckOptions, Date};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn scoring() -> okra::Checked {
    let checked = common::check(&common::fixture("scoring"));
    assert_eq!(
        common::codes(&checked),
        ["checkin-after-as-of"],
        "only the check-in after the as-of date is named: {:#?}",
        checked.diagnostics
    );
    checked
}

#[test]
fn key_results_take_defaults_from_their_kpi() {
    let checked = scoring();
    let site = &checked.site;
    let efficiency = &site.objectives[site.index.objectives["efficiency"]];
    let tickets = &efficiency.key_results[0];
    assert_eq!(tickets.id, "tickets");
    assert_eq!(
        tickets.start,
        Some(1.5),
        "the KPI's value at the period start"
    );
    assert_eq!(
        tickets.current,
        Some(0.9),
        "the KPI's latest value at the as-of date"
    );
    assert_eq!(tickets.current_source, ValueSource::Kpi);
    assert_eq!(tickets.unit.as_deref(), Some("tickets"));
    assert!(
        close(tickets.score.unwrap(), 0.6),
        "falling metric: {:?}",
        tickets.score
    );
}

#[test]
fn the_latest_check_in_up_to_the_as_of_date_is_current() {
    let checked = scoring();
    let site = &checked.site;
    let kr = &site.objectives[site.index.objectives["efficiency"]].key_results[1];
    assert_eq!(kr.id, "kr2");
    assert_eq!(kr.current, Some(15.0));
    assert_eq!(kr.current_source, ValueSource::Checkin);
    assert_eq!(kr.confidence, Some(0.9), "explicit confidence wins");
    assert!(close(kr.score.unwrap(), 0.5));
    assert_eq!(kr.checkins.len(), 3);
}

#[test]
fn objectives_score_pace_and_grade() {
    let checked = scoring();
    let site = &checked.site;
    let get = |id: &str| &site.objectives[site.index.objectives[id]];

    let efficiency = get("efficiency");
    assert_eq!(efficiency.key_results[2].in_band, Some(false));
    assert_eq!(
        efficiency.key_results[2].score, None,
        "a health key result is a guardrail, not progress"
    );
    assert!(close(efficiency.score.unwrap(), (0.6 + 0.5) / 2.0));
    assert_eq!((efficiency.counted, efficiency.with_data), (2, 2));
    assert!(close(efficiency.expected, 45.0 / 91.0));
    assert_eq!(
        efficiency.status,
        Status::AtRisk,
        "on pace, but the guardrail is breached"
    );
    assert_eq!(efficiency.breaches, ["kr3"]);
    assert_eq!(site.objective_ids(&efficiency.cascade), ["company"]);

    let company = get("company");
    assert!(
        close(company.score.unwrap(), (0.4 * 3.0 + 1.0) / 4.0),
        "weighted mean"
    );
    assert_eq!(company.status, Status::OnTrack);
    assert_eq!(site.objective_ids(&company.children), ["efficiency"]);
    assert!(close(
        company.children_score.unwrap(),
        efficiency.score.unwrap()
    ));

    let sprint = get("sprint");
    assert!(
        close(sprint.key_results[0].score.unwrap(), 0.25),
        "progress from a check-in"
    );
    assert_eq!(sprint.status, Status::OffTrack);
    assert_eq!(
        site.objective_ids(&sprint.cascade),
        ["company", "efficiency"]
    );

    assert_eq!(get("q2").status, Status::Partial);
    assert_eq!(get("company-h1").status, Status::Achieved);
}

#[test]
fn kpis_have_status_and_role() {
    let checked = scoring();
    let site = &checked.site;
    let tickets = &site.kpis[site.index.kpis["tickets"]];
    assert_eq!(tickets.status, KpiStatus::Healthy);
    assert_eq!(tickets.role, KpiRole::Focus);
    assert_eq!(tickets.latest.as_ref().map(|m| m.value), Some(0.9));
    let csat = &site.kpis[site.index.kpis["csat"]];
    assert_eq!(csat.status, KpiStatus::Unhealthy);
    assert_eq!(csat.role, KpiRole::HealthMetric);
}

#[test]
fn the_as_of_option_overrides_the_config() {
    let options = CheckOptions {
        as_of: Date::parse("2026-10-15"),
        ..CheckOptions::default()
    };
    let checked = okra::check(&common::fixture("scoring"), &options).unwrap();
    let site = &checked.site;
    assert_eq!(site.as_of.to_string(), "2026-10-15");
    let efficiency = &site.objectives[site.index.objectives["efficiency"]];
    assert_eq!(
        efficiency.key_results[0].current,
        Some(0.4),
        "the KPI as of the end of Q3; its October value does not regrade Q3"
    );
    assert_eq!(
        efficiency.key_results[0].score,
        Some(1.0),
        "clamped at the target"
    );
    assert!(
        close(efficiency.key_results[0].achievement.unwrap(), 1.1),
        "110 % of the planned change"
    );
    assert_eq!(efficiency.key_results[1].current, Some(19.0));
    assert!(close(efficiency.score.unwrap(), (1.0 + 0.9) / 2.0));
    assert_eq!(efficiency.status, Status::Achieved, "Q3 has ended");
}

#[test]
fn the_model_serialises_for_data_json() {
    let checked = scoring();
    insta::assert_json_snapshot!("scoring_model", okra::model::SiteData(&checked.site));
}

#[test]
fn hand_scores_dropped_key_results_and_commitment_grade_an_ended_objective() {
    let objective = "+++\ntitle = \"Ship the new onboarding\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\n\
        commitment = \"committed\"\n\
        [[key_results]]\ntitle = \"Customers rate onboarding 4 of 5\"\nscore = 0.6\n\
        [[key_results]]\ntitle = \"Partners adopt the API\"\n\
        [[key_results.checkins]]\ndate = 2026-05-01\nscore = \"30%\"\n\
        [[key_results.checkins]]\ndate = 2026-06-20\nscore = \"90%\"\nnote = \"Two partners live\"\n\
        [[key_results]]\ntitle = \"Reach 1.44× the planned signups\"\nstart = 100\ntarget = 200\ncurrent = 244\n\
        [[key_results]]\ntitle = \"Run a webinar series\"\ndone = false\ndropped = \"Replaced by in-product guides\"\n+++\n";
    let graded = objective.replace(
        "commitment = \"committed\"\n",
        "commitment = \"committed\"\ngrade = 0.7\nretrospective = \"Good, late.\"\n",
    );
    for (text, status) in [
        (objective.to_string(), Status::Partial),
        (graded, Status::Partial),
    ] {
        let dir = common::site_with(&[("objectives/onboarding.md", text.as_str())]);
        let checked = common::check(dir.path());
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        let o = &checked.site.objectives[0];
        let krs = &o.key_results;
        assert_eq!(krs[0].score, Some(0.6), "a score set by hand");
        assert_eq!(krs[1].score, Some(0.9), "the latest scored check-in");
        assert_eq!(krs[2].score, Some(1.0), "capped in the average");
        assert!(close(krs[2].achievement.unwrap(), 1.44), "shown as 144 %");
        assert_eq!(krs[3].status, Status::Dropped);
        assert_eq!(
            (o.counted, o.with_data),
            (3, 3),
            "a dropped key result does not count"
        );
        assert!(close(o.score.unwrap(), (0.6 + 0.9 + 1.0) / 3.0));
        // 0.83 is short of a committed objective's 1.0, above its 0.7.
        assert_eq!(o.status, status);
    }
}

#[test]
fn grading_thresholds_come_from_okra_toml_and_a_hand_grade_decides() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\ngrade = 0.5\n\
        [[key_results]]\ntitle = \"R\"\nscore = 0.9\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    std::fs::write(
        dir.path().join("okra.toml"),
        "title = \"T\"\nas_of = 2026-08-15\n[grading]\naspirational = [0.6, 0.5]\n",
    )
    .unwrap();
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let o = &checked.site.objectives[0];
    assert!(close(o.score.unwrap(), 0.9), "the computed score stays");
    assert_eq!(
        o.status,
        Status::Partial,
        "graded 0.5 by hand: partial at 0.5"
    );
}

#[test]
fn objectives_without_key_results_are_scored_from_their_children() {
    let parent =
        "+++\ntitle = \"Delight customers\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n+++\n";
    let mixed = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\ninclude_children = true\n\
        [[key_results]]\ntitle = \"R\"\nscore = 1.0\n+++\n";
    let child = |parent: &str, score: f64| {
        format!(
            "+++\ntitle = \"Child\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"{parent}\"\n\
             [[key_results]]\ntitle = \"R\"\nscore = {score}\n+++\n"
        )
    };
    let dir = common::site_with(&[
        ("objectives/delight.md", parent.to_string()),
        ("objectives/a.md", child("delight", 0.4)),
        ("objectives/b.md", child("delight", 0.8)),
        ("objectives/grow.md", mixed.to_string()),
        ("objectives/c.md", child("grow", 0.4)),
        ("objectives/d.md", child("grow", 0.7)),
    ]);
    let checked = common::check(dir.path());
    let site = &checked.site;
    let get = |id: &str| &site.objectives[site.index.objectives[id]];
    let delight = get("delight");
    assert!(close(delight.score.unwrap(), 0.6), "{:?}", delight.score);
    assert!(delight.from_children);
    assert_eq!((delight.counted, delight.with_data), (2, 2));
    let grow = get("grow");
    assert!(close(grow.score.unwrap(), (1.0 + 0.4 + 0.7) / 3.0));

    // A parent cycle is an error, and scoring still ends.
    let a = "+++\ntitle = \"A\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"b\"\n+++\n";
    let b = "+++\ntitle = \"B\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"a\"\n+++\n";
    let cycle = common::site_with(&[("objectives/a.md", a), ("objectives/b.md", b)]);
    let checked = common::check(cycle.path());
    assert!(common::codes(&checked).contains(&"objective-cycle"));
}

#[test]
fn a_key_result_may_have_several_owners() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"R\"\nscore = 0.5\nowner = [\"acme\", \"Dana Ruiz\"]\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let kr = &checked.site.objectives[0].key_results[0];
    assert_eq!(kr.owners, ["acme", "Dana Ruiz"]);
    assert_eq!(kr.owner.as_deref(), Some("acme, Dana Ruiz"));
}

#[test]
fn an_objective_may_serve_one_key_result_of_its_parent() {
    let parent = "+++\ntitle = \"Delight customers\"\nowner = \"acme\"\nperiod = \"2026\"\n[[key_results]]\nid = \"nps\"\ntitle = \"NPS to 45\"\nstart = 30\ntarget = 45\ncurrent = 36\n+++\n";
    let child = |serves: &str| {
        format!(
            "+++\ntitle = \"Answer faster\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"delight\"\nparent_key_result = \"{serves}\"\n[[key_results]]\ntitle = \"Reply in an hour\"\nkind = \"milestone\"\n+++\n"
        )
    };
    let dir = common::site_with(&[
        ("objectives/delight.md", parent.to_string()),
        ("objectives/faster.md", child("nps")),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:?}", common::codes(&checked));
    let faster = checked
        .site
        .objectives
        .iter()
        .find(|o| o.id == "faster")
        .unwrap();
    assert_eq!(faster.parent_key_result, Some(0));
    let data = serde_json::to_value(okra::model::SiteData(&checked.site)).unwrap();
    let faster = data["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "faster")
        .unwrap();
    assert_eq!(faster["parent_key_result"], "nps");

    // A key result the parent does not have is reported, with the ones it has.
    let dir = common::site_with(&[
        ("objectives/delight.md", parent.to_string()),
        ("objectives/faster.md", child("npss")),
    ]);
    let checked = common::check(dir.path());
    let problem = common::diagnostic(&checked, "unknown-parent");
    assert_eq!(
        problem.message,
        "objective `faster` serves unknown key result `npss` of `delight`"
    );
    assert_eq!(problem.hint.as_deref(), Some("did you mean `nps`?"));
}

/// OKRs as written at the start of a period: a key result scored by hand
/// before its first score and an outcome with no number yet are "no data",
/// not errors; an outcome followed by its status takes the status its
/// check-ins report, and a judgement beside a computed score is kept.
#[test]
fn plan_time_key_results_have_no_data_and_outcomes_follow_their_status() {
    let config = "title = \"Acme\"\nas_of = 2026-08-15\n";
    let plan = "+++\ntitle = \"Make the test suite trustworthy\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\nid = \"flaky\"\ntitle = \"Reduce how often tests must be re-run\"\nkind = \"status\"\n\
        [[key_results]]\nid = \"onboarding\"\ntitle = \"Improve onboarding\"\nkind = \"status\"\n\
        [[key_results.checkins]]\ndate = 2026-07-20\nstatus = \"On track\"\n\
        [[key_results.checkins]]\ndate = 2026-08-10\nstatus = \"needs-attention\"\nnote = \"mentors left\"\n\
        [[key_results]]\nid = \"graded\"\ntitle = \"Contributors rate the docs\"\nkind = \"scored\"\n+++\n";
    let numbers = "+++\ntitle = \"Ship faster\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Deploys a week from 2 to 10\"\nstart = 2\ntarget = 10\n\
        [[key_results.checkins]]\ndate = 2026-08-01\nvalue = 10\nstatus = \"needs attention\"\n+++\n";
    let ended = "+++\ntitle = \"Open the office\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\n\
        [[key_results]]\ntitle = \"The office is open\"\nkind = \"status\"\nstatus = \"done\"\n\
        [[key_results]]\ntitle = \"Neighbours are happy\"\nkind = \"status\"\nstatus = \"blocked\"\n+++\n";
    let dir = common::site_with(&[
        ("okra.toml", config),
        ("objectives/trust.md", plan),
        ("objectives/ship.md", numbers),
        ("objectives/office.md", ended),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let codes = common::codes(&checked);
    for lint in ["all-milestones", "milestone-without-due", "missing-key"] {
        assert!(!codes.contains(&lint), "{lint} fired: {codes:?}");
    }
    let site = &checked.site;
    let get = |id: &str| &site.objectives[site.index.objectives[id]];

    let trust = get("trust");
    let [flaky, onboarding, graded] = &trust.key_results[..] else {
        panic!("three key results");
    };
    assert_eq!((flaky.score, flaky.status), (None, Status::NoData));
    assert_eq!(onboarding.score, None, "a status key result has no score");
    assert_eq!(
        onboarding.status,
        Status::AtRisk,
        "the latest report counts"
    );
    assert_eq!(onboarding.reported_status, Some(Judgement::NeedsAttention));
    assert_eq!((graded.score, graded.status), (None, Status::NoData));
    assert_eq!(trust.score, None);
    assert_eq!(trust.counted, 1, "only the hand-scored key result counts");
    assert_eq!(
        trust.status,
        Status::AtRisk,
        "with nothing scored, an objective stands where its outcomes are reported"
    );

    let ship = &get("ship").key_results[0];
    assert_eq!(ship.score, Some(1.0));
    assert_eq!(ship.status, Status::OnTrack, "the computed status stands");
    assert_eq!(ship.reported_status, Some(Judgement::NeedsAttention));

    let office = get("office");
    let statuses: Vec<Status> = office.key_results.iter().map(|kr| kr.status).collect();
    assert_eq!(statuses, [Status::Achieved, Status::Missed]);
    assert_eq!(office.status, Status::Missed);

    let data = serde_json::to_value(okra::model::SiteData(site)).unwrap();
    let objectives = data["objectives"].as_array().unwrap();
    let trust_data = objectives.iter().find(|o| o["id"] == "trust").unwrap();
    assert_eq!(trust_data["key_results"][1]["kind"], "status");
    assert_eq!(
        trust_data["key_results"][1]["reported_status"],
        "needs-attention"
    );
    assert_eq!(
        trust_data["key_results"][1]["checkins"][1]["status"],
        "needs-attention"
    );
    assert!(
        trust_data["key_results"][0]
            .get("reported_status")
            .is_none()
    );
}

#[test]
fn a_status_that_is_no_judgement_is_an_error_with_the_nearest_one() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Happier users\"\nkind = \"status\"\n\
        [[key_results.checkins]]\ndate = 2026-08-01\nstatus = \"on-trak\"\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    let bad = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "bad-value")
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert!(bad.message.contains("on-trak"), "{}", bad.message);
    assert!(
        bad.hint.as_deref().is_some_and(|h| h.contains("on-track")),
        "{:?}",
        bad.hint
    );
}

/// Grades come in after the deadline: a score checked in within the
/// grading window is the key result's final grade, later ones are late
/// check-ins (reported once per key result), and a graded objective's page
/// leads with its grade.
#[test]
fn scores_given_in_the_grading_window_are_the_final_grade() {
    let objective = "+++\ntitle = \"Ship the reader\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\ngrade = 0.55\n\
        [[key_results]]\nid = \"graded\"\ntitle = \"Readers like it\"\nkind = \"scored\"\n\
        [[key_results.checkins]]\ndate = 2026-06-15\nscore = 0.5\n\
        [[key_results.checkins]]\ndate = 2026-07-06\nscore = 0.7\n\
        [[key_results]]\nid = \"regraded\"\ntitle = \"Writers like it\"\nkind = \"scored\"\n\
        [[key_results.checkins]]\ndate = 2026-06-20\nscore = 0.4\n\
        [[key_results.checkins]]\ndate = 2026-07-30\nscore = 0.9\n\
        [[key_results]]\nid = \"pages\"\ntitle = \"Pages from 10 to 20\"\nstart = 10\ntarget = 20\n\
        [[key_results.checkins]]\ndate = 2026-06-30\nvalue = 15\n\
        [[key_results.checkins]]\ndate = 2026-07-10\nvalue = 18\n\
        [[key_results.checkins]]\ndate = 2026-07-20\nvalue = 19\n+++\n";
    let site = |window: &str| {
        let config = format!("title = \"Acme\"\nas_of = 2026-08-15\n{window}");
        common::site_with(&[
            ("okra.toml", config),
            ("objectives/reader.md", objective.to_string()),
        ])
    };
    let dir = site("");
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let o = &checked.site.objectives[0];
    let scores: Vec<Option<f64>> = o.key_results.iter().map(|kr| kr.score).collect();
    assert_eq!(scores, [Some(0.7), Some(0.4), Some(0.5)]);
    let late: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "checkin-after-period")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(late.len(), 2, "once for each key result: {late:#?}");
    assert!(
        late[0].contains("`regraded` dated 2026-07-30,"),
        "{}",
        late[0]
    );
    assert!(
        late[1].contains("`pages` dated 2026-07-10 (and 1 more)"),
        "{}",
        late[1]
    );

    let wider = site("[grading]\nwindow_days = 40\n");
    let checked = common::check(wider.path());
    assert_eq!(checked.site.objectives[0].key_results[1].score, Some(0.9));

    let built = common::built_site(dir.path());
    let page = std::fs::read_to_string(built.path().join("public/objectives/reader.html")).unwrap();
    let headline = page
        .split("<p class=\"overall\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("a headline");
    assert!(
        headline.starts_with("<span class=\"big\">55%</span> graded"),
        "{headline}"
    );
    assert!(
        headline.contains("computed from its key results: 53%"),
        "{headline}"
    );
}

/// `[[checkins]]` of the objective name their key result, so a check-in
/// written at the end of the front matter reaches the key result it is
/// for, not the last one as `[[key_results.checkins]]` there would.
#[test]
fn objective_check_ins_reach_the_key_result_they_name() {
    let objective = "+++\ntitle = \"Answer faster\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\nid = \"response\"\ntitle = \"First response from 42 to 12 hours\"\nstart = 42\ntarget = 12\n\
        [[key_results]]\nid = \"csat\"\ntitle = \"Satisfaction stays above 8\"\nmin = 8\ncurrent = 8.5\n\
        [[checkins]]\nkey_result = \"response\"\ndate = 2026-07-31\nvalue = 30\n\
        [[checkins]]\nkey_result = \"response\"\ndate = 2026-07-15\nvalue = 36\nstatus = \"on-track\"\n+++\n";
    let dir = common::site_with(&[("objectives/faster.md", objective)]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let [response, csat] = &checked.site.objectives[0].key_results[..] else {
        panic!("two key results");
    };
    let dates: Vec<String> = response
        .checkins
        .iter()
        .map(|c| c.date.to_string())
        .collect();
    assert_eq!(dates, ["2026-07-15", "2026-07-31"], "sorted by date");
    assert_eq!(response.current, Some(30.0));
    assert!(
        csat.checkins.is_empty(),
        "the guardrail keeps its own value"
    );
    assert_eq!(csat.current, Some(8.5));

    let wrong = objective.replacen("key_result = \"response\"", "key_result = \"responce\"", 1);
    let dir = common::site_with(&[("objectives/faster.md", wrong)]);
    let checked = common::check(dir.path());
    let bad = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`responce` is not a key result"))
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert_eq!(bad.hint.as_deref(), Some("did you mean `response`?"));

    let missing = objective.replacen("key_result = \"response\"\n", "", 1);
    let dir = common::site_with(&[("objectives/faster.md", missing)]);
    let checked = common::check(dir.path());
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("has no `key_result`")),
        "{:#?}",
        checked.diagnostics
    );
}

/// A declared period may have a name that pages show in place of its id,
/// and KPIs and check-ins may be fortnightly.
#[test]
fn periods_have_names_and_cadences_may_be_fortnightly() {
    let config = "title = \"Acme\"\nas_of = 2026-08-15\n[lint]\ncheckin_cadence = \"fortnightly\"\n\
        [periods.personal-q3-26]\nname = \"Personal goals, summer 2026\"\nstart = 2026-07-01\nend = 2026-09-30\n";
    let objective = "+++\ntitle = \"Read more\"\nowner = \"acme\"\nperiod = \"personal-q3-26\"\n\
        [[key_results]]\ntitle = \"Books read from 0 to 6\"\nstart = 0\ntarget = 6\n\
        [[key_results.checkins]]\ndate = 2026-07-25\nvalue = 2\n+++\n";
    let kpi = "+++\nname = \"Pages a fortnight\"\nowner = \"acme\"\ncadence = \"fortnightly\"\n\
        [[measurements]]\ndate = 2026-07-20\nvalue = 300\n+++\n";
    let dir = common::site_with(&[
        ("okra.toml", config),
        ("objectives/read.md", objective),
        ("kpis/pages.md", kpi),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let codes = common::codes(&checked);
    assert!(
        codes.contains(&"stale-checkin"),
        "21 days is stale: {codes:?}"
    );
    assert!(codes.contains(&"stale-kpi"), "26 days is stale: {codes:?}");
    assert_eq!(checked.site.kpis[0].status, KpiStatus::Stale);
    let built = common::built_site(dir.path());
    let page = std::fs::read_to_string(built.path().join("public/objectives/read.html")).unwrap();
    assert!(page.contains(">Personal goals, summer 2026</a>"), "{page}");
    let period =
        std::fs::read_to_string(built.path().join("public/periods/personal-q3-26.html")).unwrap();
    assert!(period.contains("<h1>Period Personal goals, summer 2026</h1>"));
}

/// Initiatives are the work planned under a key result: shown, searched
/// and exported, never counted in its progress.
#[test]
fn initiatives_are_shown_and_searched_but_never_counted() {
    let with = "+++\ntitle = \"Onboard faster\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Days to first commit from 20 to 5\"\nstart = 20\ntarget = 5\ncurrent = 15\n\
        [[key_results.initiatives]]\ntitle = \"Zeppelin mentoring pilot\"\nowner = \"acme\"\nlink = \"https://issues.example/42\"\nstatus = \"done\"\n\
        [[key_results.initiatives]]\ntitle = \"Rewrite the setup guide\"\n+++\n";
    let without = "+++\ntitle = \"Onboard faster\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Days to first commit from 20 to 5\"\nstart = 20\ntarget = 5\ncurrent = 15\n+++\n";
    let score = |text: &str| {
        let dir = common::site_with(&[("objectives/onboard.md", text)]);
        let checked = common::check(dir.path());
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        (
            checked.site.objectives[0].score,
            checked.site.objectives[0].status,
        )
    };
    assert_eq!(score(with), score(without), "initiatives never count");

    let dir = common::site_with(&[("objectives/onboard.md", with)]);
    let checked = common::check(dir.path());
    let data = serde_json::to_value(okra::model::SiteData(&checked.site)).unwrap();
    let initiatives = &data["objectives"][0]["key_results"][0]["initiatives"];
    assert_eq!(initiatives[0]["title"], "Zeppelin mentoring pilot");
    assert_eq!(initiatives[0]["status"], "done");
    assert_eq!(initiatives[1].get("link"), None);

    let built = common::built_site(dir.path());
    let out = built.path().join("public");
    let page = std::fs::read_to_string(out.join("objectives/onboard.html")).unwrap();
    assert!(
        page.contains("<a href=\"https://issues.example/42\" rel=\"noopener noreferrer\">Zeppelin mentoring pilot</a>"),
        "{page}"
    );
    let index: String = std::fs::read_dir(out.join("assets/search"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(index.contains("\"zeppelin\""), "the initiative is found");

    let bad = with.replace("https://issues.example/42", "javascript:alert(1)");
    let dir = common::site_with(&[("objectives/onboard.md", bad)]);
    let checked = common::check(dir.path());
    assert!(common::codes(&checked).contains(&"bad-value"));
}

/// A goal that serves two higher goals: it sits in the tree under the
/// first, both list it and count it in the progress beside them, and
/// every parent is checked as the first is.
#[test]
fn an_objective_may_serve_several_parents() {
    let top = |title: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nowner = \"acme\"\nperiod = \"2026\"\n[[key_results]]\ntitle = \"Revenue to 10\"\nstart = 0\ntarget = 10\ncurrent = 5\n+++\n"
        )
    };
    let child = |parent: &str| {
        format!(
            "+++\ntitle = \"Ship self-serve onboarding\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = {parent}\n[[key_results]]\ntitle = \"Sign-ups from 0 to 100\"\nstart = 0\ntarget = 100\ncurrent = 80\n+++\n"
        )
    };
    let files = |parent: &str| {
        vec![
            ("objectives/grow.md", top("Grow revenue")),
            ("objectives/delight.md", top("Delight customers")),
            ("objectives/onboard.md", child(parent)),
        ]
    };
    let dir = common::site_with(&files("[\"grow\", \"delight\", \"grow\"]"));
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let site = &checked.site;
    let by_id = |id: &str| &site.objectives[site.index.objectives[id]];
    let onboard = by_id("onboard");
    assert_eq!(onboard.parent, Some(site.index.objectives["grow"]));
    assert_eq!(
        onboard.also_parents,
        vec![site.index.objectives["delight"]],
        "each parent once"
    );
    for parent in ["grow", "delight"] {
        assert_eq!(
            by_id(parent).children,
            vec![site.index.objectives["onboard"]]
        );
        assert!(
            close(by_id(parent).children_score.unwrap(), 0.8),
            "{parent}"
        );
    }
    let data = serde_json::to_value(okra::model::SiteData(site)).unwrap();
    let onboard = data["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "onboard")
        .unwrap();
    assert_eq!(onboard["parent"], "grow");
    assert_eq!(onboard["also_parents"], serde_json::json!(["delight"]));

    let built = common::built_site(dir.path());
    let out = built.path().join("public");
    let page = std::fs::read_to_string(out.join("objectives/onboard.html")).unwrap();
    assert!(
        page.contains(
            "Also aligned to <a href=\"../objectives/delight.html\">Delight customers</a>."
        ),
        "{page}"
    );
    let delight = std::fs::read_to_string(out.join("objectives/delight.html")).unwrap();
    assert!(
        delight.contains("Ship self-serve onboarding"),
        "listed by both"
    );
    let tree = std::fs::read_to_string(out.join("tree/2026.html")).unwrap();
    assert_eq!(
        tree.matches(">Ship self-serve onboarding</a>").count(),
        1,
        "one place in the tree"
    );

    // Every parent must exist and enclose the child's period.
    let dir = common::site_with(&files("[\"grow\", \"delght\"]"));
    let checked = common::check(dir.path());
    let unknown = common::diagnostic(&checked, "unknown-parent");
    assert_eq!(unknown.hint.as_deref(), Some("did you mean `delight`?"));
    let quarter = top("Delight customers").replace("\"2026\"", "\"2026-Q1\"");
    let mut with_quarter = files("[\"grow\", \"delight\"]");
    with_quarter[1].1 = quarter;
    let dir = common::site_with(&with_quarter);
    let checked = common::check(dir.path());
    assert!(common::codes(&checked).contains(&"period-not-within-parent"));

    // A cycle through a second parent is a cycle.
    let mut looped = files("[\"grow\", \"delight\"]");
    looped[1].1 =
        top("Delight customers").replace("period", "parent = [\"grow\", \"onboard\"]\nperiod");
    let dir = common::site_with(&looped);
    let checked = common::check(dir.path());
    let cycles: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "objective-cycle")
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    assert_eq!(
        cycles[0].notes,
        vec!["cycle: delight → onboard → delight".to_string()]
    );
}

/// A key result may be committed inside an aspirational objective, or a
/// learning experiment that is graded but never counted.
#[test]
fn key_results_have_a_commitment_of_their_own_and_learning_ones_do_not_count() {
    let objective = |extra: &str| {
        format!(
            "+++\ntitle = \"Find a second market\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\n\
             [[key_results]]\ntitle = \"Sign 10 partners\"\nstart = 0\ntarget = 10\ncurrent = 8\n\
             [[key_results]]\ntitle = \"Interview 40 buyers in Norway\"\nstart = 0\ntarget = 40\ncurrent = 10\n{extra}+++\n"
        )
    };
    let dir = common::site_with(&[
        ("objectives/market.md", objective("")),
        (
            "objectives/learning.md",
            objective("commitment = \"learning\"\n"),
        ),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let site = &checked.site;
    let all = &site.objectives[site.index.objectives["market"]];
    let learning = &site.objectives[site.index.objectives["learning"]];
    assert!(close(all.score.unwrap(), 0.525), "{:?}", all.score);
    assert!(
        close(learning.score.unwrap(), 0.8),
        "the experiment is left out"
    );
    assert_eq!(learning.counted, 1);
    let experiment = &learning.key_results[1];
    assert_eq!(experiment.commitment, okra::model::Commitment::Learning);
    assert!(close(experiment.score.unwrap(), 0.25), "it is still scored");
    assert_eq!(
        experiment.status,
        okra::model::Status::Missed,
        "graded as aspirational"
    );
    let data = serde_json::to_value(okra::model::SiteData(site)).unwrap();
    let learning_data = data["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "learning")
        .unwrap();
    assert_eq!(learning_data["key_results"][1]["commitment"], "learning");
    assert_eq!(
        learning_data["key_results"][0].get("commitment"),
        None,
        "its objective's, so written once"
    );

    // Committed in an aspirational objective: 0.8 falls short of 1.0.
    let dir = common::site_with(&[(
        "objectives/market.md",
        objective("").replace("current = 8\n", "current = 8\ncommitment = \"committed\"\n"),
    )]);
    let checked = common::check(dir.path());
    let partners = &checked.site.objectives[0].key_results[0];
    assert_eq!(partners.status, okra::model::Status::Partial);
    let built = common::built_site(dir.path());
    let page = std::fs::read_to_string(built.path().join("public/objectives/market.html")).unwrap();
    assert!(
        page.contains("<span class=\"tag\">committed</span>"),
        "{page}"
    );

    // An objective is committed or aspirational; learning is for key results.
    let dir = common::site_with(&[(
        "objectives/market.md",
        objective("").replace("period", "commitment = \"learning\"\nperiod"),
    )]);
    let checked = common::check(dir.path());
    let problem = common::diagnostic(&checked, "bad-value");
    assert!(
        problem.hint.as_deref().unwrap().contains("key results"),
        "{problem:?}"
    );
}

/// A period tied to an event whose date is not known yet runs on without
/// pace: nothing in it is behind, and pages say what it ends with.
#[test]
fn a_period_that_ends_with_an_event_has_no_pace_until_its_date_is_known() {
    let config = |end: &str| {
        format!(
            "title = \"Acme\"\nas_of = 2026-08-15\n\
             [periods.until-2-0]\nname = \"Until the 2.0 release\"\nstart = 2026-07-01\nends_with = \"the 2.0 release\"\n{end}"
        )
    };
    let objective = "+++\ntitle = \"Ship 2.0\"\nowner = \"acme\"\nperiod = \"until-2-0\"\n\
        [[key_results]]\ntitle = \"Close 40 blocking issues\"\nstart = 0\ntarget = 40\n\
        [[key_results.checkins]]\ndate = 2026-07-20\nvalue = 4\n\
        [[key_results.checkins]]\ndate = 2026-08-10\nvalue = 6\n+++\n";
    let dir = common::site_with(&[
        ("okra.toml", config("")),
        ("objectives/ship.md", objective.to_string()),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let ship = &checked.site.objectives[0];
    assert!(!ship.paced);
    assert_eq!(ship.expected, 0.0);
    assert_eq!(
        ship.status,
        okra::model::Status::OnTrack,
        "15 % is not behind"
    );
    let data = serde_json::to_value(okra::model::SiteData(&checked.site)).unwrap();
    let period = data["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "until-2-0")
        .unwrap();
    assert_eq!(period.get("end"), None, "an end not known is left out");
    assert_eq!(period["ends_with"], "the 2.0 release");
    assert_eq!(data["objectives"][0]["paced"], false);

    let built = common::built_site(dir.path());
    let out = built.path().join("public");
    let page = std::fs::read_to_string(out.join("objectives/ship.html")).unwrap();
    assert!(
        page.contains("no pace until the period's end is known"),
        "{page}"
    );
    assert!(
        !page.contains("class=\"pace\""),
        "no pace line in the chart"
    );
    assert!(!page.contains("9999"), "the placeholder end never shows");
    let period = std::fs::read_to_string(out.join("periods/until-2-0.html")).unwrap();
    assert!(period.contains("2026-07-01 to the 2.0 release"), "{period}");
    let listing = std::fs::read_to_string(out.join("periods.html")).unwrap();
    assert!(!listing.contains("9999"), "{listing}");

    // Once the date is known it is paced: 15 % at 45 of 61 days is behind.
    let dir = common::site_with(&[
        ("okra.toml", config("end = 2026-08-31\n")),
        ("objectives/ship.md", objective.to_string()),
    ]);
    let checked = common::check(dir.path());
    let ship = &checked.site.objectives[0];
    assert!(ship.paced && ship.expected > 0.7);
    assert_eq!(ship.status, okra::model::Status::OffTrack);

    // Without `end` or `ends_with` a period is still incomplete.
    let dir = common::site_with(&[(
        "okra.toml",
        config("").replace("ends_with = \"the 2.0 release\"\n", ""),
    )]);
    let checked = common::check(dir.path());
    let missing = common::diagnostic(&checked, "missing-key");
    assert!(
        missing.hint.as_deref().unwrap().contains("ends_with"),
        "{missing:?}"
    );
}

/// A KPI rolled up from others has their values combined on each day; a
/// key result rolled up from the objectives that serve it has their mean
/// score.
#[test]
fn kpis_and_key_results_roll_up() {
    let region = |id: &str, visibility: &str| {
        (
            format!("kpis/{id}.md"),
            format!(
                "+++\nname = \"Sign-ups {id}\"\nowner = \"acme\"\nunit = \"sign-ups\"\n{visibility}\
                 [[measurements]]\ndate = 2026-07-01\nvalue = 100\n\
                 [[measurements]]\ndate = 2026-08-01\nvalue = 150\n+++\n"
            ),
        )
    };
    let total = "+++\nname = \"Sign-ups\"\nowner = \"acme\"\nrollup = \"sum\"\nof = [\"eu\", \"us\"]\n+++\n";
    let top = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\nid = \"regions\"\ntitle = \"Both regions deliver their plans\"\nkind = \"rollup\"\n\
        [[key_results]]\ntitle = \"Sign-ups from 200 to 400\"\nkpi = \"signups\"\nstart = 200\ntarget = 400\n+++\n";
    let child = |id: &str, current: u32| {
        (
            format!("objectives/{id}.md"),
            format!(
                "+++\ntitle = \"Plan {id}\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"grow\"\nparent_key_result = \"regions\"\n\
                 [[key_results]]\ntitle = \"Deals from 0 to 10\"\nstart = 0\ntarget = 10\ncurrent = {current}\n+++\n"
            ),
        )
    };
    let files = |us_visibility: &str| {
        vec![
            region("eu", ""),
            region("us", us_visibility),
            ("kpis/signups.md".to_string(), total.to_string()),
            ("objectives/grow.md".to_string(), top.to_string()),
            child("north", 6),
            child("south", 2),
        ]
    };
    let dir = common::site_with(&files(""));
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let site = &checked.site;
    let signups = &site.kpis[site.index.kpis["signups"]];
    let values: Vec<f64> = signups.measurements.iter().map(|m| m.value).collect();
    assert_eq!(values, vec![200.0, 300.0]);
    assert_eq!(
        signups.unit.as_deref(),
        Some("sign-ups"),
        "their common unit"
    );
    let grow = &site.objectives[site.index.objectives["grow"]];
    assert!(
        close(grow.key_results[0].score.unwrap(), 0.4),
        "mean of 0.6 and 0.2"
    );
    assert!(
        close(grow.key_results[1].score.unwrap(), 0.5),
        "300 of 200 → 400"
    );
    assert!(close(grow.score.unwrap(), 0.45));
    assert_eq!(grow.with_data, 2);
    let data = serde_json::to_value(okra::model::SiteData(site)).unwrap();
    let kpi = data["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "signups")
        .unwrap();
    assert_eq!(kpi["rollup"], "sum");
    assert_eq!(kpi["of"], serde_json::json!(["eu", "us"]));

    let built = common::built_site(dir.path());
    let page = std::fs::read_to_string(built.path().join("public/kpis/signups.html")).unwrap();
    assert!(
        page.contains("The sum of <a href=\"../kpis/eu.html\">Sign-ups eu</a> and <a href=\"../kpis/us.html\">Sign-ups us</a>"),
        "{page}"
    );
    // The objective's progress over time takes the roll-up's from the
    // objectives serving it, and ends where its headline stands.
    let grow = std::fs::read_to_string(built.path().join("public/objectives/grow.html")).unwrap();
    assert!(
        grow.contains("50% on 2026-08-01, 45% on 2026-08-15"),
        "{grow}"
    );

    // A roll-up gone stale is measured through the KPIs it combines.
    let later = okra::CheckOptions {
        as_of: okra::Date::parse("2026-11-01"),
        ..Default::default()
    };
    let stale = okra::check(dir.path(), &later).unwrap();
    let stale = stale
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "stale-kpi" && d.message.contains("`signups`"))
        .expect("the roll-up is stale");
    assert_eq!(
        stale.hint.as_deref(),
        Some("a roll-up is measured when the KPIs it combines are: measure `eu`, `us`")
    );

    // A roll-up of a private KPI is private: it would tell its values.
    let dir = common::site_with(&files("visibility = \"private\"\n"));
    let checked = common::check(dir.path());
    let signups = &checked.site.kpis[checked.site.index.kpis["signups"]];
    assert!(signups.is_private());
    assert!(
        common::codes(&checked).contains(&"private-kpi-exposed"),
        "a public key result on it is refused"
    );

    // Mistakes are named where they are written.
    let mut wrong = files("");
    wrong[2].1 = total.replace("\"us\"", "\"uss\"");
    let dir = common::site_with(&wrong);
    let checked = common::check(dir.path());
    let unknown = common::diagnostic(&checked, "unknown-kpi");
    assert_eq!(unknown.hint.as_deref(), Some("did you mean `us`?"));
    wrong[2].1 = total.replace("of = [\"eu\", \"us\"]\n", "");
    let dir = common::site_with(&wrong);
    assert!(common::codes(&common::check(dir.path())).contains(&"missing-key"));
    wrong[2].1 = format!(
        "{}[[measurements]]\ndate = 2026-07-01\nvalue = 1\n+++\n",
        &total[..total.len() - 4]
    );
    let dir = common::site_with(&wrong);
    assert!(common::codes(&common::check(dir.path())).contains(&"bad-value"));
}

/// A long chain where every objective serves the two before it: checked in
/// one walk, and cycles closed through a second parent are reported once
/// each walk closes them, not once per objective.
#[test]
fn a_deep_web_of_second_parents_is_checked_and_its_cycles_found() {
    let n = 3000;
    let mut files: Vec<(String, String)> = (0..n)
        .map(|i| {
            let parent = match i {
                0 => String::new(),
                1 => "parent = \"o0\"\n".to_string(),
                _ => format!("parent = [\"o{}\", \"o{}\"]\n", i - 1, i - 2),
            };
            (
                format!("objectives/o{i}.md"),
                format!(
                    "+++\ntitle = \"Objective {i}\"\nowner = \"acme\"\nperiod = \"2026\"\n{parent}[[key_results]]\ntitle = \"Count from 0 to 10\"\nstart = 0\ntarget = 10\ncurrent = 5\n+++\n"
                ),
            )
        })
        .collect();
    let dir = common::site_with(&files);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:?}", common::codes(&checked));
    // The second now also serves the last: a cycle through a second parent.
    files[1].1 = files[1].1.replace(
        "parent = \"o0\"",
        &format!("parent = [\"o0\", \"o{}\"]", n - 1),
    );
    let dir = common::site_with(&files);
    let checked = common::check(dir.path());
    let cycles = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "objective-cycle")
        .count();
    // The graph holds many cycles through that edge; the walk reports the
    // few it closes, not one per objective.
    assert!((1..=2).contains(&cycles), "{cycles}");
}

/// A level to reach and hold ("95% on CSAT, 95% on Premium SLAs") is a pair
/// of guardrails: with nothing scored, the objective stands where they do,
/// on track or at risk while its period runs and achieved or missed once it
/// has ended. A parent with no key results of its own, whose children have
/// no score either, stands at the least favourable of their statuses, told
/// in its own period's words: a running year is off track, not missed.
#[test]
fn objectives_of_guardrails_alone_stand_where_their_guardrails_do() {
    let levels = |period: &str, sla: u32| {
        format!(
            "+++\ntitle = \"95% on CSAT, 95% on Premium SLAs\"\nowner = \"acme\"\nperiod = \"{period}\"\nparent = \"support\"\n\
             [[key_results]]\ntitle = \"95% on CSAT\"\nmin = 95\ncurrent = 95\nunit = \"%\"\n\
             [[key_results]]\ntitle = \"95% on Premium SLAs\"\nmin = 95\ncurrent = {sla}\nunit = \"%\"\n+++\n"
        )
    };
    let support =
        "+++\ntitle = \"Support customers well\"\nowner = \"acme\"\nperiod = \"2026\"\n+++\n";
    let dir = common::site_with(&[
        ("objectives/support.md", support.to_string()),
        ("objectives/held.md", levels("2026-Q2", 96)),
        ("objectives/breached.md", levels("2026-Q2", 83)),
        ("objectives/running-held.md", levels("2026-Q3", 96)),
        ("objectives/running-breached.md", levels("2026-Q3", 83)),
    ]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let site = &checked.site;
    let get = |id: &str| &site.objectives[site.index.objectives[id]];
    for (id, status) in [
        ("held", Status::Achieved),
        ("breached", Status::Missed),
        ("running-held", Status::OnTrack),
        ("running-breached", Status::AtRisk),
        ("support", Status::OffTrack),
    ] {
        assert_eq!(
            get(id).score,
            None,
            "{id}: guardrails add nothing to a score"
        );
        assert_eq!(get(id).status, status, "{id}");
    }

    let built = common::built_site(dir.path());
    let page = |id: &str| {
        std::fs::read_to_string(built.path().join(format!("public/objectives/{id}.html"))).unwrap()
    };
    assert!(
        page("breached")
            .contains("The period ended with a guardrail out of its band: “95% on Premium SLAs”."),
        "{}",
        page("breached")
    );
    assert!(
        page("running-breached")
            .contains("A guardrail is out of its band, so this objective is at risk at best")
    );
    assert!(
        page("support")
            .contains("None of its own: it is scored from its aligned objectives, below.")
    );
}
