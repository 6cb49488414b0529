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
        let mut place = dir.to_path_buf();
        for part in Path::new(path).components() {
            place.push(part);
            if fs::symlink_metadata(&place).is_ok_and(|m| m.file_type().is_symlink()) {
                bail!(
                    "{} is a link; okra init writes only into real folders and files",
                    place.display()
                );
            }
        }
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

/// The files of the sample site, dated around `today`.
pub fn sample_site(today: Date) -> Vec<(String, String)> {
    let year = today.year();
    let quarter = (today.month() - 1) / 3 + 1;
    let period = format!("{year}-Q{quarter}");
    let quarter_start =
        Date::from_ymd(year, (quarter - 1) * 3 + 1, 1).expect("a quarter starts on a real day");
    let quarter_end = Date::from_ymd(year, quarter * 3, 1)
        .expect("real day")
        .end_of_month();
    // Monthly measurements on the first of the month, from three months
    // before the quarter to this month.
    let mut months = Vec::new();
    let mut month = Date::from_ymd(year, today.month(), 1).expect("real day");
    for _ in 0..6 {
        months.push(month);
        month = month.add_days(-1);
        month = Date::from_ymd(month.year(), month.month(), 1).expect("real day");
    }
    months.reverse();
    let measurements = |values: &[f64]| -> String {
        months
            .iter()
            .zip(values)
            .map(|(date, value)| format!("[[measurements]]\ndate = {date}\nvalue = {value}\n"))
            .collect()
    };
    let files = [
        (
            "okra.toml",
            format!(
                "title = \"Acme OKRs\"\n\
                 # as_of = {today}   # the date progress is measured at; default: today\n\
                 \n\
                 [lint]\n\
                 objectives_per_team = 3\n\
                 key_results = [1, 5]\n\
                 allow = []\n\
                 deny = []\n"
            ),
        ),
        (
            "teams/acme.md",
            "+++\nname = \"Acme\"\nkind = \"company\"\nlead = \"Morgan Lee\"\n+++\n\
             We help small shops sell online.\n"
                .to_string(),
        ),
        (
            "teams/operations.md",
            "+++\nname = \"Operations\"\nkind = \"department\"\nparent = \"acme\"\nlead = \"Sam Patel\"\n+++\n\
             Keeps customers served and the business running.\n"
                .to_string(),
        ),
        (
            "teams/support.md",
            "+++\nname = \"Customer Support\"\nparent = \"operations\"\nlead = \"Dana Ruiz\"\n\
             members = [\"Ana\", \"Li\"]\n+++\n\
             Answers every customer question quickly and well.\n"
                .to_string(),
        ),
        (
            "kpis/csat.md",
            format!(
                "+++\nname = \"Customer satisfaction (CSAT)\"\nowner = \"support\"\nunit = \"points\"\n\
                 direction = \"higher\"\ncadence = \"monthly\"\nhealthy = {{ min = 9.0 }}\n\n{}+++\n\
                 **Desired outcome:** customers rate their support conversation 9 or better out of 10.\n\n\
                 **How it is measured:** the one-question survey after each closed ticket, averaged per month.\n",
                measurements(&[9.2, 9.1, 9.3, 9.0, 9.2, 9.1])
            ),
        ),
        (
            "kpis/tickets-per-customer.md",
            format!(
                "+++\nname = \"Tickets per customer per month\"\nowner = \"support\"\nunit = \"tickets\"\n\
                 direction = \"lower\"\ncadence = \"monthly\"\nhealthy = {{ max = 1.0 }}\n\n{}+++\n\
                 Support tickets opened in a month divided by active customers that month.\n",
                measurements(&[1.6, 1.5, 1.5, 1.3, 1.1, 0.9])
            ),
        ),
        (
            &*format!("objectives/{}/delight-customers.md", period.to_lowercase()),
            format!(
                "+++\ntitle = \"Delight our customers\"\nowner = \"acme\"\nperiod = \"{period}\"\n\n\
                 [[key_results]]\ntitle = \"Maintain customer satisfaction at 9.0 or above\"\nkpi = \"csat\"\nmin = 9.0\n\n\
                 [[key_results]]\ntitle = \"Launch the self-service help centre\"\ndone = false\nprogress = 0.5\n\
                 due = {quarter_end}\n+++\n\
                 Customers who get help fast stay with us. See [how we do OKRs](../../pages/how-we-do-okrs.md).\n"
            ),
        ),
        (
            &*format!("objectives/{}/support-efficiency.md", period.to_lowercase()),
            format!(
                "+++\ntitle = \"Increase the efficiency of the support team\"\nowner = \"support\"\n\
                 period = \"{period}\"\nparent = \"delight-customers\"\n\n\
                 [[key_results]]\ntitle = \"Decrease tickets per customer per month from 1.5 to 0.5\"\n\
                 kpi = \"tickets-per-customer\"\nstart = 1.5\ntarget = 0.5\n\n\
                 [[key_results]]\ntitle = \"Decrease the average time to resolve a ticket from 5.5 to 3.0 minutes\"\n\
                 start = 5.5\ntarget = 3.0\nunit = \"minutes\"\n\n\
                 [[key_results.checkins]]\ndate = {quarter_start}\nvalue = 5.5\nconfidence = 0.7\n\n\
                 [[key_results.checkins]]\ndate = {today}\nvalue = 4.6\nconfidence = 0.6\n\
                 note = \"Macros for the ten most common questions are live.\"\n\n\
                 [[key_results]]\ntitle = \"Maintain customer satisfaction at 9.0 or above\"\nkpi = \"csat\"\nmin = 9.0\n+++\n\
                 Fewer, faster tickets without hurting [customer satisfaction](../../kpis/csat.md).\n"
            ),
        ),
        (
            "pages/how-we-do-okrs.md",
            "+++\ntitle = \"How we do OKRs\"\nweight = 10\n+++\n\
             Each team sets one to three **objectives** a quarter: the qualitative *what*.\n\
             Each objective has one to five **key results**: the measurable *how*.\n\n\
             Change them through pull requests; `okra check` runs on every one.\n"
                .to_string(),
        ),
    ];
    files
        .into_iter()
        .map(|(path, text)| (path.to_string(), text))
        .collect()
}
