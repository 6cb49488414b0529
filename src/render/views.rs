//! The small views pages are made from: links already relative, numbers
//! already formatted, statuses as a class that `templates/macros.html` puts in
//! words.

mod key_results;
mod rollup;

pub(super) use key_results::{KeyResultView, reported_text};
pub(super) use rollup::Rollup;

use serde::Serialize;

use super::Renderer;
use super::chart;
use crate::format::{format_number, percent, with_unit};
use crate::model::{KeyResult, Kpi, KpiIx, KpiStatus, Objective, PeriodIx, Status, TeamIx};
use crate::render::urls;

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub(super) href: String,
    pub(super) text: String,
}

impl Link {
    /// Text that links nowhere.
    pub(super) fn text(text: &str) -> Link {
        Link {
            href: String::new(),
            text: text.to_string(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct Nav {
    pub(super) home: String,
    pub(super) periods: String,
    pub(super) teams: String,
    pub(super) kpis: String,
    pub(super) tree: Option<String>,
    /// What git says happened, when the build read the history.
    pub(super) activity: Option<String>,
    pub(super) search: String,
    pub(super) pages: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct PageInfo {
    /// The relative prefix from the page to the site root: `""` or `"../"`.
    pub(super) root: String,
    pub(super) site_title: String,
    /// The title of a page about a document; other pages name themselves
    /// in their template's `title` block.
    pub(super) title: Option<String>,
    /// Which navigation entry is current.
    pub(super) section: &'static str,
    pub(super) nav: Nav,
    pub(super) as_of: String,
    /// The page's source file on the repository's web pages, when
    /// `repository` is set.
    pub(super) source: Option<String>,
}

#[derive(Serialize)]
pub(super) struct StatusView {
    /// The status as a class; `templates/macros.html` says it in words.
    pub(super) class: &'static str,
    /// The status as the `okra.status` component shows it (see
    /// [`status_html`]).
    pub(super) html: tera::Value,
}

/// Each status the site shows, by class, as `okra.status` renders it.
pub(super) type StatusHtml = std::collections::HashMap<&'static str, tera::Value>;

/// Renders `okra.status` once for each status the site shows, so that a
/// page prints the result instead of calling the component for every
/// objective, key result and KPI it lists.
pub(super) fn status_html(
    tera: &tera::Tera,
    site: &crate::model::Site,
) -> anyhow::Result<StatusHtml> {
    #[derive(Serialize)]
    struct Class {
        class: &'static str,
    }
    let classes: std::collections::BTreeSet<&'static str> = site
        .objectives
        .iter()
        .flat_map(|o| {
            std::iter::once(o.status.as_str())
                .chain(o.key_results.iter().map(|kr| kr.status.as_str()))
        })
        .chain(site.kpis.iter().map(|k| k.status.as_str()))
        .collect();
    classes
        .into_iter()
        .map(|class| {
            let mut context = tera::Context::new();
            context.insert("status", &Class { class });
            let html = tera
                .render_component("okra.status", &context, None, true)
                .map_err(|e| anyhow::anyhow!("rendering okra.status for `{class}`: {e}"))?;
            Ok((class, tera::Value::safe_string(&html)))
        })
        .collect()
}

/// A link to one page of a list split into pages.
#[derive(Serialize)]
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) href: String,
    pub(super) current: bool,
}

/// Page `page` (from 0) of `items`, `per` to a page: where it starts, what
/// it shows, and a link to every page, each at `href(page)`.
pub(super) fn one_page<T>(
    items: &[T],
    page: usize,
    per: usize,
    href: impl Fn(usize) -> String,
) -> (usize, &[T], Vec<PageLink>) {
    let pages = items.len().div_ceil(per).max(1);
    let first = (page * per).min(items.len());
    let shown = &items[first..(first + per).min(items.len())];
    let links = (0..pages)
        .map(|p| PageLink {
            number: p + 1,
            href: href(p),
            current: p == page,
        })
        .collect();
    (first, shown, links)
}

/// A lint's note as a page shows it: its words escaped, and each
/// `backticked` name in them as code.
#[derive(Serialize)]
pub(super) struct NoteView {
    pub(super) code: &'static str,
    pub(super) message: tera::Value,
    pub(super) hint: Option<tera::Value>,
}

/// The notes of a document, for its page.
pub(super) fn note_views(notes: &[crate::model::CoachingNote]) -> Vec<NoteView> {
    notes
        .iter()
        .map(|n| NoteView {
            code: n.code,
            message: code_spans(&n.message),
            hint: n.hint.as_deref().map(code_spans),
        })
        .collect()
}

/// `text` as HTML, escaped, with each pair of backticks a `<code>` span;
/// a backtick without its pair stays as written.
fn code_spans(text: &str) -> tera::Value {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let parts: Vec<&str> = text.split('`').collect();
    let mut html = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let paired = i % 2 == 1 && i + 1 < parts.len();
        if paired {
            html.push_str("<code>");
            html.push_str(&escape(part));
            html.push_str("</code>");
        } else {
            if i % 2 == 1 {
                html.push('`');
            }
            html.push_str(&escape(part));
        }
    }
    tera::Value::safe_string(&html)
}

/// How much of a progress bar to fill, in whole percent.
pub(super) fn bar_width(score: Option<f64>) -> u32 {
    (score.unwrap_or(0.0) * 100.0).round().clamp(0.0, 100.0) as u32
}

/// A healthy band, each end with its unit; the lower end without one when
/// both are given ("9 to 10 points").
#[derive(Serialize)]
pub(super) struct BandView {
    pub(super) min: Option<String>,
    pub(super) max: Option<String>,
}

pub(super) fn band_view(
    min: Option<f64>,
    max: Option<f64>,
    unit: Option<&str>,
) -> Option<BandView> {
    let min = min.map(|v| {
        if max.is_some() {
            format_number(v)
        } else {
            with_unit(v, unit)
        }
    });
    let max = max.map(|v| with_unit(v, unit));
    (min.is_some() || max.is_some()).then_some(BandView { min, max })
}

#[derive(Serialize)]
pub(super) struct MilestoneView {
    pub(super) done: bool,
    /// Whether its state was reported at all.
    pub(super) reported: bool,
    pub(super) progress: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ObjectiveCard {
    pub(super) href: String,
    pub(super) title: String,
    /// "Owner, period" when another objective has the same title.
    pub(super) which: Option<String>,
    pub(super) owner: Link,
    pub(super) period: Link,
    /// `None` when no key result has data yet.
    pub(super) score: Option<String>,
    pub(super) width: u32,
    pub(super) expected: String,
    /// The expected progress as a whole percentage, for the bar's mark.
    pub(super) expected_width: u32,
    /// Whether its period is running.
    pub(super) running: bool,
    /// Whether its period is running with a known end: only then is
    /// progress paced.
    pub(super) paced: bool,
    /// `committed` or `aspirational`.
    pub(super) commitment: &'static str,
    /// The final grade set by hand, beside the computed score.
    pub(super) grade: Option<String>,
    /// The grade as a whole percentage, for the bar of a graded objective.
    pub(super) grade_width: u32,
    pub(super) priority: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) status: StatusView,
    pub(super) draft: bool,
    /// Key results that count toward the score, and how many have data.
    pub(super) counted: usize,
    pub(super) with_data: usize,
    /// Titles of the health key results out of their band.
    pub(super) breaches: Vec<String>,
    /// Progress over the period, when reported on two days or more.
    pub(super) spark: Option<crate::render::chart::Sparkline>,
    /// The title of the parent's key result it serves.
    pub(super) serves: Option<String>,
    /// Its key results, where a list shows them (a team's page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) key_results: Option<Vec<KeyResultLine>>,
}

/// An objective's scores over its period (see
/// [`crate::score::history::objective`]) and their sparkline.
pub(super) struct ObjectiveProgress {
    pub(super) points: Vec<crate::score::history::Point>,
    pub(super) spark: Option<chart::Sparkline>,
}

/// How many objectives have one status.
#[derive(Serialize)]
pub(super) struct StatusCount {
    pub(super) status: StatusView,
    pub(super) count: usize,
}

/// A key result in one line, under its objective in a list.
#[derive(Serialize)]
pub(super) struct KeyResultLine {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) score: Option<String>,
    /// What it stands at in a word: its score, `done`, `guardrail` or `no
    /// data`.
    pub(super) figure: String,
    pub(super) done: bool,
    pub(super) dropped: bool,
    pub(super) status: StatusView,
}

#[derive(Serialize)]
pub(super) struct KpiCard {
    pub(super) href: String,
    pub(super) name: String,
    pub(super) owner: Link,
    /// The latest value, `None` before the first measurement.
    pub(super) value: Option<String>,
    pub(super) status: StatusView,
    /// `focus` or `health-metric`.
    pub(super) role: &'static str,
    pub(super) sparkline: chart::Sparkline,
    pub(super) private: bool,
}

impl Renderer<'_> {
    /// An objective's or key result's status, for a template.
    pub(in crate::render) fn status_view(&self, status: Status) -> StatusView {
        self.class_view(status.as_str())
    }

    /// A KPI's status, for a template.
    pub(in crate::render) fn kpi_status_view(&self, status: KpiStatus) -> StatusView {
        self.class_view(status.as_str())
    }

    fn class_view(&self, class: &'static str) -> StatusView {
        StatusView {
            class,
            // Every status the site shows was rendered ahead.
            html: self
                .statuses
                .get(class)
                .cloned()
                .unwrap_or_else(|| tera::Value::normal_string(class)),
        }
    }

    /// How many of `objectives` have each status, in a fixed order.
    pub(in crate::render) fn status_counts<'o>(
        &self,
        objectives: impl Iterator<Item = &'o Objective>,
    ) -> Vec<StatusCount> {
        let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
        for o in objectives {
            *counts.entry(o.status.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(class, count)| StatusCount {
                status: self.class_view(class),
                count,
            })
            .collect()
    }

    pub(in crate::render) fn page_info(
        &self,
        root: &str,
        title: Option<&str>,
        section: &'static str,
    ) -> PageInfo {
        let free = self.nav_pages.iter().map(|&i| &self.site.pages[i]);
        PageInfo {
            root: root.to_string(),
            site_title: self.site.title.clone(),
            title: title.map(str::to_string),
            section,
            nav: Nav {
                home: format!("{root}{}", urls::HOME),
                periods: format!("{root}{}", urls::PERIODS),
                teams: format!("{root}{}", urls::TEAMS),
                kpis: format!("{root}{}", urls::kpis_page(0)),
                tree: self
                    .current_period
                    .map(|p| format!("{root}{}", urls::tree(&self.site.periods[p].id))),
                activity: (!self.site.activity.is_empty())
                    .then(|| format!("{root}{}", urls::ACTIVITY)),
                search: format!("{root}{}", urls::SEARCH),
                pages: free
                    .map(|p| Link {
                        href: format!("{root}{}", urls::page(&p.id)),
                        text: p.title.clone(),
                    })
                    .collect(),
            },
            as_of: self.site.as_of.to_string(),
            source: None,
        }
    }

    /// [`Self::page_info`] for the page of the document at `path` (from
    /// the site root), with a link to its source.
    pub(in crate::render) fn document_page_info(
        &self,
        root: &str,
        title: &str,
        section: &'static str,
        path: &str,
    ) -> PageInfo {
        let mut info = self.page_info(root, Some(title), section);
        info.source = self.site.repository.as_ref().map(|repository| {
            let path = format!("{}{path}", self.source_prefix);
            crate::load::git::file_url(repository, "HEAD", &path)
        });
        info
    }

    /// Tells an objective apart from others with its title: its owner and
    /// period, `None` when its title is its own.
    pub(in crate::render) fn which(&self, o: &Objective) -> Option<String> {
        self.shared_titles.contains(o.title.as_str()).then(|| {
            let owner = o.owner.map_or(o.owner_id(), |t| &self.site.teams[t].name);
            format!("{owner}, {}", o.period_id())
        })
    }

    /// An objective's title, with its owner and period when another
    /// objective has the same title.
    pub(in crate::render) fn objective_name(&self, o: &Objective) -> String {
        match self.which(o) {
            Some(which) => format!("{} ({which})", o.title),
            None => o.title.clone(),
        }
    }

    /// A key result's owner as written: a link when it is the id or name of
    /// a team or person, else text.
    pub(in crate::render) fn driver_link(&self, owner: &str, root: &str) -> Link {
        let owner = owner.trim();
        let team = self
            .site
            .index
            .teams
            .get(owner)
            .copied()
            .or_else(|| self.teams_by_name.get(&owner.to_lowercase()).copied());
        match team {
            Some(t) => self.team_link(t, root),
            None => match self.people_by_name.get(&owner.to_lowercase()) {
                Some(&p) => Link {
                    href: format!("{root}{}", urls::person(&self.people[p].slug)),
                    text: owner.to_string(),
                },
                None => Link::text(owner),
            },
        }
    }

    pub(in crate::render) fn team_link(&self, team: TeamIx, root: &str) -> Link {
        let team = &self.site.teams[team];
        Link {
            href: format!("{root}{}", urls::team(&team.id)),
            text: team.name.clone(),
        }
    }

    /// An owner's link, or the owner as written when it is not a team
    /// (which only a site with errors has).
    pub(in crate::render) fn owner_link(
        &self,
        owner: Option<TeamIx>,
        written: &str,
        root: &str,
    ) -> Link {
        owner.map_or_else(|| Link::text(written), |t| self.team_link(t, root))
    }

    pub(in crate::render) fn period_link(&self, period: PeriodIx, root: &str) -> Link {
        let period = &self.site.periods[period];
        Link {
            href: format!("{root}{}", urls::period(&period.id)),
            text: period.label().to_string(),
        }
    }

    /// The key result of its parent an objective serves.
    pub(in crate::render) fn served_key_result(&self, o: &Objective) -> Option<&KeyResult> {
        let parent = &self.site.objectives[o.parent?];
        parent.key_results.get(o.parent_key_result?)
    }

    /// An objective's card with a line for each of its key results.
    pub(in crate::render) fn objective_card_with_key_results(
        &self,
        o: &Objective,
        root: &str,
    ) -> ObjectiveCard {
        let mut card = self.objective_card(o, root);
        card.key_results = Some(
            o.key_results
                .iter()
                .map(|kr| KeyResultLine {
                    href: format!("{}#kr-{}", card.href, kr.id),
                    title: kr.title.clone(),
                    kind: kr.kind.as_str(),
                    score: kr.score.map(percent),
                    figure: figure(kr),
                    done: kr.done,
                    dropped: kr.dropped.is_some(),
                    status: self.status_view(kr.status),
                })
                .collect(),
        );
        card
    }

    /// An objective's progress over its period, worked out once however
    /// many pages show it.
    pub(in crate::render) fn objective_progress(&self, o: &Objective) -> &ObjectiveProgress {
        static NONE: ObjectiveProgress = ObjectiveProgress {
            points: Vec::new(),
            spark: None,
        };
        let Some(index) = self.site.index.objectives.get(&o.id) else {
            return &NONE;
        };
        self.progress[index.0].get_or_init(|| {
            let points = crate::score::history::objective(self.site, o);
            let spark = (points.len() > 1).then(|| {
                let name = format!("Progress of {}", o.title);
                crate::render::chart::progress_sparkline(&name, &points)
            });
            ObjectiveProgress { points, spark }
        })
    }

    /// An objective's progress sparkline, when it was reported on two days
    /// or more.
    fn spark(&self, o: &Objective) -> Option<crate::render::chart::Sparkline> {
        self.objective_progress(o).spark.clone()
    }

    pub(in crate::render) fn objective_card(&self, o: &Objective, root: &str) -> ObjectiveCard {
        ObjectiveCard {
            href: format!("{root}{}", urls::objective(&o.id)),
            title: o.title.clone(),
            which: self.which(o),
            owner: self.owner_link(o.owner, o.owner_id(), root),
            period: o
                .period
                .map_or_else(|| Link::text(o.period_id()), |p| self.period_link(p, root)),
            score: o.score.map(percent),
            width: bar_width(o.score),
            expected: percent(o.expected),
            expected_width: bar_width(Some(o.expected)),
            running: o.phase == crate::period::Phase::Running,
            paced: o.phase == crate::period::Phase::Running && o.paced,
            commitment: o.commitment.as_str(),
            grade: o.grade.map(percent),
            grade_width: bar_width(o.grade),
            priority: o.priority.clone(),
            tags: o.tags.clone(),
            status: self.status_view(o.status),
            draft: o.draft,
            counted: o.counted,
            with_data: o.with_data,
            breaches: o
                .key_results
                .iter()
                .filter(|kr| o.breaches.contains(&kr.id))
                .map(|kr| kr.title.clone())
                .collect(),
            spark: self.spark(o),
            serves: self.served_key_result(o).map(|kr| kr.title.clone()),
            key_results: None,
        }
    }

    /// A KPI's card as a template value. The pages one folder down
    /// (objectives, KPIs, teams), which show most cards, share one.
    pub(in crate::render) fn kpi_card_value(&self, k: KpiIx, root: &str) -> tera::Value {
        let make = || tera::Value::from_serializable(&self.kpi_card(&self.site.kpis[k], root));
        if root == "../" {
            self.kpi_cards[k.0].get_or_init(make).clone()
        } else {
            make()
        }
    }

    pub(in crate::render) fn kpi_card(&self, k: &Kpi, root: &str) -> KpiCard {
        let points: Vec<_> = k
            .measurements
            .iter()
            .filter(|m| m.date <= self.site.as_of)
            .map(|m| (m.date, m.value))
            .collect();
        KpiCard {
            href: format!("{root}{}", urls::kpi(&k.id)),
            name: k.name.clone(),
            owner: self.owner_link(k.owner, k.owner_id(), root),
            value: k
                .latest
                .as_ref()
                .map(|m| with_unit(m.value, k.unit.as_deref())),
            status: self.kpi_status_view(k.status),
            role: match k.role {
                crate::model::KpiRole::Focus => "focus",
                crate::model::KpiRole::HealthMetric => "health-metric",
            },
            sparkline: chart::sparkline(
                chart::summary(&k.name, &points, k.unit.as_deref().unwrap_or("")),
                &points,
            ),
            private: k.is_private(),
        }
    }
}

/// A key result's standing in a word, where a list has room for one.
fn figure(kr: &crate::model::KeyResult) -> String {
    let traits = kr.kind.traits();
    match kr.score {
        _ if traits.task && kr.done => "done".to_string(),
        _ if traits.guardrail => "guardrail".to_string(),
        _ if !traits.scored => kr
            .reported_status
            .map_or("no status", |j| j.label())
            .to_string(),
        Some(score) => percent(score),
        // Its status says "no data" beside it.
        None if kr.status == Status::NoData => String::new(),
        None => crate::format::NO_DATA.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backticks_become_code_and_markup_stays_text() {
        let html = |t: &str| {
            super::code_spans(t)
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(
            html("use `health` or the <b>band</b>"),
            "use <code>health</code> or the &lt;b&gt;band&lt;/b&gt;"
        );
        assert_eq!(html("one ` alone"), "one ` alone");
        assert_eq!(
            html("`a` and `b<`"),
            "<code>a</code> and <code>b&lt;</code>"
        );
    }
}
