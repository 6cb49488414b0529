//! `okra init`: a new site with sample teams, objectives, KPIs and a page.
//!
//! The sample is dated around today (the current quarter and the months
//! before it), so it checks clean and shows live progress from day one.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};

use crate::date::Date;

/// Writes a new site into `dir`. Refuses a folder that has anything in it
/// unless `force` is set (then only the sample's own files are replaced).
pub fn init(dir: &Path, today: Date, force: bool) -> anyhow::Result<Vec<String>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        if entries.next().is_some() && !force {
            bail!(
                "{} is not empty; choose an empty folder, or pass --force to write the sample files into it",
                dir.display()
            );
        }
    }
    let mut written = Vec::new();
    let sample = sample_site(today);
    // Never write through a link: `teams -> /etc` in the folder would
    // otherwise put the sample files there. Checked before anything is
    // written, so a refusal writes nothing.
    for (path, _) in &sample {
        crate::author::refuse_links(dir, path)?;
    }
    for (path, text) in sample {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&full, text).with_context(|| format!("writing {}", full.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The sample site's files, with `{placeholders}` for the dates and the
/// period; `objectives/period/` becomes the current quarter's folder.
const SAMPLE: &[(&str, &str)] = &[
    ("okra.toml", include_str!("sample/okra.toml")),
    ("teams/acme.md", include_str!("sample/teams/acme.md")),
    (
        "teams/operations.md",
        include_str!("sample/teams/operations.md"),
    ),
    ("teams/support.md", include_str!("sample/teams/support.md")),
    ("kpis/csat.md", include_str!("sample/kpis/csat.md")),
    (
        "kpis/tickets-per-customer.md",
        include_str!("sample/kpis/tickets-per-customer.md"),
    ),
    (
        "objectives/period/delight-customers.md",
        include_str!("sample/objectives/period/delight-customers.md"),
    ),
    (
        "objectives/period/support-efficiency.md",
        include_str!("sample/objectives/period/support-efficiency.md"),
    ),
    (
        "pages/how-we-do-okrs.md",
        include_str!("sample/pages/how-we-do-okrs.md"),
    ),
];

/// The files of the sample site, dated around `today`: the current
/// quarter, and monthly measurements from five months before this one.
pub fn sample_site(today: Date) -> Vec<(String, String)> {
    let year = today.year();
    let quarter = (today.month() - 1) / 3 + 1;
    let period = format!("{year}-Q{quarter}");
    let quarter_start =
        Date::from_ymd(year, (quarter - 1) * 3 + 1, 1).expect("a quarter starts on a real day");
    let quarter_end = Date::from_ymd(year, quarter * 3, 1)
        .expect("real day")
        .end_of_month();
    let mut values = vec![
        ("{period}".to_string(), period.clone()),
        ("{today}".to_string(), today.to_string()),
        ("{quarter_start}".to_string(), quarter_start.to_string()),
        ("{quarter_end}".to_string(), quarter_end.to_string()),
    ];
    let mut month = Date::from_ymd(year, today.month(), 1).expect("real day");
    for back in 0..6 {
        values.push((format!("{{month-{back}}}"), month.to_string()));
        month = month.add_days(-1);
        month = Date::from_ymd(month.year(), month.month(), 1).expect("real day");
    }
    let fill = |text: &str| {
        values.iter().fold(text.to_string(), |text, (key, value)| {
            text.replace(key, value)
        })
    };
    SAMPLE
        .iter()
        .map(|(path, text)| {
            let path = path.replace(
                "objectives/period/",
                &format!("objectives/{}/", period.to_lowercase()),
            );
            (path, fill(text))
        })
        .collect()
}
