//! Every page's place in the built site, relative to its root: the one
//! definition that the pages, their links, the search index and the
//! incremental plan all use.

/// The home page.
pub(crate) const HOME: &str = "index.html";
/// The list of periods.
pub(crate) const PERIODS: &str = "periods.html";
/// The list of teams.
pub(crate) const TEAMS: &str = "teams.html";
/// The search page.
pub(crate) const SEARCH: &str = "search.html";
/// What git says happened (`--history`).
pub(crate) const ACTIVITY: &str = "activity.html";
/// The page for unknown addresses.
pub(crate) const NOT_FOUND: &str = "404.html";

pub(crate) fn objective(id: &str) -> String {
    format!("objectives/{id}.html")
}

pub(crate) fn team(id: &str) -> String {
    format!("teams/{id}.html")
}

pub(crate) fn kpi(id: &str) -> String {
    format!("kpis/{id}.html")
}

pub(crate) fn period(id: &str) -> String {
    format!("periods/{id}.html")
}

/// The page of someone named as a lead or member who is not a person of
/// the site.
pub(crate) fn person(slug: &str) -> String {
    format!("people/{slug}.html")
}

/// A period's cascade tree.
pub(crate) fn tree(id: &str) -> String {
    format!("tree/{id}.html")
}

/// A period's review.
pub(crate) fn review(id: &str) -> String {
    format!("review/{id}.html")
}

/// A free page.
pub(crate) fn page(id: &str) -> String {
    format!("pages/{id}.html")
}

/// A page of a list of running objectives (`attention`, or a status):
/// `running/attention.html`, then `running/attention-2.html` and on.
pub(crate) fn running(list: &str, page: usize) -> String {
    if page == 0 {
        format!("running/{list}.html")
    } else {
        format!("running/{list}-{}.html", page + 1)
    }
}

/// A page of the KPIs' listing: `kpis.html`, then `kpis-2.html` and on,
/// beside it at the root so that no KPI id can collide with one.
pub(crate) fn kpis_page(page: usize) -> String {
    if page == 0 {
        "kpis.html".to_string()
    } else {
        format!("kpis-{}.html", page + 1)
    }
}
