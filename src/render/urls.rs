//! Every page's place in the built site, relative to its root: the one
//! definition that the pages, their links, the search index and the
//! incremental plan all use.

/// The home page.
pub const HOME: &str = "index.html";
/// The list of periods.
pub const PERIODS: &str = "periods.html";
/// The list of teams.
pub const TEAMS: &str = "teams.html";
/// The search page.
pub const SEARCH: &str = "search.html";
/// The page for unknown addresses.
pub const NOT_FOUND: &str = "404.html";

pub fn objective(id: &str) -> String {
    format!("objectives/{id}.html")
}

pub fn team(id: &str) -> String {
    format!("teams/{id}.html")
}

pub fn kpi(id: &str) -> String {
    format!("kpis/{id}.html")
}

pub fn period(id: &str) -> String {
    format!("periods/{id}.html")
}

/// A period's cascade tree.
pub fn tree(id: &str) -> String {
    format!("tree/{id}.html")
}

/// A period's review.
pub fn review(id: &str) -> String {
    format!("review/{id}.html")
}

/// A free page.
pub fn page(id: &str) -> String {
    format!("pages/{id}.html")
}

/// A page of the KPIs' listing: `kpis.html`, then `kpis-2.html` and on,
/// beside it at the root so that no KPI id can collide with one.
pub fn kpis_page(page: usize) -> String {
    if page == 0 {
        "kpis.html".to_string()
    } else {
        format!("kpis-{}.html", page + 1)
    }
}
