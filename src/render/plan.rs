//! The plan of a render: every file of the site, its template and a hash
//! of the inputs it is made from.
//!
//! A page is a function of its template and of the parts of the model it
//! shows. Each document of the model gets a fingerprint (a hash of all it
//! holds, scores included), and each page's hash combines the fingerprints
//! of the documents it shows with what every page shows (the site's title,
//! the navigation, the as-of date, the templates). `okra serve` renders a
//! page again only when its hash changed since the last good build.

mod hashing;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use super::{Job, Renderer};
use crate::generations::{StableHasher, stable_hasher};
use crate::model::{KpiData, KpiIx, ObjectiveData, ObjectiveIx, Site, TeamData, TeamIx};
use crate::render::urls;
use crate::write::{Recording, Sink};

/// The files a job stands for, with their hashes, and whether it rendered
/// them (or kept those of the previous build).
pub(super) struct JobFiles {
    pub paths: Vec<(String, u64)>,
    pub rendered: bool,
}

/// A hash of a value's serialised form: equal values, equal hashes.
pub(super) fn fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut serializer = hashing::HashSerializer(stable_hasher());
    // Serialising into a hasher cannot fail.
    let _ = value.serialize(&mut serializer);
    serializer.0.finish()
}

/// The fingerprint of every document of a site, by kind and index: its
/// data as `data.json` has it, and its body, which `data.json` leaves out.
#[derive(Debug, Default)]
pub(super) struct Fingerprints {
    objectives: Vec<u64>,
    kpis: Vec<u64>,
    teams: Vec<u64>,
    pages: Vec<u64>,
    periods: Vec<u64>,
    /// All teams together: the order of teams shows on listing pages.
    all_teams: u64,
    /// The whole model, for the pages that summarise it.
    everything: u64,
}

impl Fingerprints {
    pub(super) fn of(site: &Site) -> Fingerprints {
        let all = |items: &[u64]| {
            let mut hasher = stable_hasher();
            items.hash(&mut hasher);
            hasher.finish()
        };
        let objectives: Vec<u64> = site
            .objectives
            .par_iter()
            .map(|o| fingerprint(&(ObjectiveData::of(site, o), &o.body)))
            .collect();
        let kpis: Vec<u64> = site
            .kpis
            .par_iter()
            .map(|k| fingerprint(&(KpiData::of(site, k), &k.body)))
            .collect();
        let teams: Vec<u64> = site
            .teams
            .iter()
            .map(|t| fingerprint(&(TeamData::of(site, t), &t.body)))
            .collect();
        let pages: Vec<u64> = site
            .pages
            .iter()
            .map(|p| fingerprint(&(p, &p.body)))
            .collect();
        let periods: Vec<u64> = site.periods.iter().map(fingerprint).collect();
        let everything = all(&[
            all(&objectives),
            all(&kpis),
            all(&teams),
            all(&pages),
            all(&periods),
        ]);
        Fingerprints {
            all_teams: all(&teams),
            objectives,
            kpis,
            teams,
            pages,
            periods,
            everything,
        }
    }
}

/// The inputs of one page, hashed in order.
struct Inputs<'f> {
    fingerprints: &'f Fingerprints,
    hasher: StableHasher,
}

impl Inputs<'_> {
    fn objectives(&mut self, indices: impl IntoIterator<Item = ObjectiveIx>) -> &mut Self {
        for i in indices {
            (b'o', self.fingerprints.objectives[i.0]).hash(&mut self.hasher);
        }
        self
    }

    fn kpis(&mut self, indices: impl IntoIterator<Item = KpiIx>) -> &mut Self {
        for i in indices {
            (b'k', self.fingerprints.kpis[i.0]).hash(&mut self.hasher);
        }
        self
    }

    fn teams(&mut self, indices: impl IntoIterator<Item = TeamIx>) -> &mut Self {
        for i in indices {
            (b't', self.fingerprints.teams[i.0]).hash(&mut self.hasher);
        }
        self
    }

    fn value(&mut self, value: u64) -> &mut Self {
        value.hash(&mut self.hasher);
        self
    }
}

impl Renderer<'_> {
    /// The path of the file a job makes.
    pub(super) fn job_path(&self, job: &Job) -> String {
        let site = self.site;
        match *job {
            Job::Home => urls::HOME.into(),
            Job::PeriodsIndex => urls::PERIODS.into(),
            Job::Period(i) => urls::period(&site.periods[i].id),
            Job::Tree(i) => urls::tree(&site.periods[i].id),
            Job::Review(i) => urls::review(&site.periods[i].id),
            Job::TeamsIndex => urls::TEAMS.into(),
            Job::Team(i) => urls::team(&site.teams[i].id),
            Job::KpisIndex(page) => urls::kpis_page(page),
            Job::Kpi(i) => urls::kpi(&site.kpis[i].id),
            Job::Objective(i) => urls::objective(&site.objectives[i].id),
            Job::Page(i) => urls::page(&site.pages[i].id),
            Job::Search => urls::SEARCH.into(),
            Job::NotFound => urls::NOT_FOUND.into(),
            Job::Data(i) => super::DATA_FILES[i].into(),
        }
    }

    /// Renders a job into `sink`, unless `previous` shows the same hash
    /// for its path, and names the files it stands for, each with the
    /// job's hash: its one file, or every file of the search index.
    pub(super) fn render_or_keep(
        &self,
        job: &Job,
        (path, hash): (String, u64),
        previous: Option<&HashMap<String, u64>>,
        sink: &dyn Sink,
    ) -> anyhow::Result<JobFiles> {
        let kept = previous.is_some_and(|previous| previous.get(&path) == Some(&hash));
        if path != super::SEARCH_INDEX {
            if !kept {
                self.render_job(job, sink)?;
            }
            return Ok(JobFiles {
                paths: vec![(path, hash)],
                rendered: !kept,
            });
        }
        let paths = if kept {
            previous
                .into_iter()
                .flat_map(|hashes| hashes.keys())
                .filter(|p| p.starts_with(crate::search::FOLDER))
                .cloned()
                .collect()
        } else {
            let recording = Recording::new(sink);
            self.render_job(job, &recording)?;
            recording.into_paths()
        };
        Ok(JobFiles {
            paths: paths.into_iter().map(|p| (p, hash)).collect(),
            rendered: !kept,
        })
    }

    /// A hash of everything the file a job makes is made from: when it is
    /// the same as in an earlier build, so is the file.
    pub(super) fn job_hash(&self, job: &Job, path: &str, global: u64) -> u64 {
        let site = self.site;
        let fingerprints = &self.fingerprints;
        let mut inputs = Inputs {
            fingerprints,
            hasher: stable_hasher(),
        };
        inputs.value(global);
        path.hash(&mut inputs.hasher);
        let owner_of = |o: ObjectiveIx| site.objectives[o].owner;
        match *job {
            Job::Home | Job::PeriodsIndex | Job::TeamsIndex | Job::KpisIndex(_) | Job::Data(_) => {
                inputs.value(fingerprints.everything);
            }
            Job::Search | Job::NotFound => {}
            Job::Period(i) | Job::Tree(i) => {
                // A tree shows objectives of other periods too.
                let shown: Vec<ObjectiveIx> = if let Job::Tree(_) = job {
                    self.tree_members(i)
                } else {
                    self.by_period[i.0].clone()
                };
                inputs
                    .value(fingerprints.periods[i.0])
                    .value(fingerprints.all_teams)
                    .objectives(shown.iter().copied())
                    .teams(shown.iter().filter_map(|&o| owner_of(o)));
            }
            // A review shows its period and the earlier ones of its length
            // in the heatmap, and every team (those without objectives too).
            Job::Review(i) => {
                inputs.value(fingerprints.all_teams);
                for p in self.heatmap_periods(i) {
                    inputs
                        .value(fingerprints.periods[p.0])
                        .objectives(self.by_period[p.0].iter().copied());
                }
            }
            Job::Team(i) => {
                let team = &site.teams[i];
                let owned = &self.by_owner[i.0];
                inputs
                    .teams([i])
                    .teams(team.parent)
                    .teams(team.children.iter().copied())
                    .objectives(owned.iter().copied())
                    .kpis(self.kpis_by_owner[i.0].iter().copied())
                    .objectives(self.contributions[i.0].iter().copied());
                for &o in owned {
                    if let Some(p) = site.objectives[o].period {
                        inputs.value(fingerprints.periods[p.0]);
                    }
                }
            }
            Job::Kpi(i) => {
                let kpi = &site.kpis[i];
                let users = kpi.key_results.iter().map(|r| r.objective);
                inputs.kpis([i]).teams(kpi.owner).objectives(users);
            }
            Job::Objective(i) => {
                let o = &site.objectives[i];
                inputs
                    .objectives([i])
                    .objectives(o.cascade.iter().copied())
                    .objectives(o.children.iter().copied())
                    .teams(o.owner)
                    .teams(o.children.iter().filter_map(|&c| owner_of(c)))
                    .kpis(o.key_results.iter().filter_map(|kr| kr.kpi));
            }
            Job::Page(i) => {
                inputs.value(fingerprints.pages[i.0]);
            }
        }
        inputs.hasher.finish()
    }

    /// What every page shows: the site's title and address, the as-of
    /// date, the navigation, the set of pages (which links in bodies
    /// resolve against) and the templates.
    pub(super) fn global_hash(&self, templates: u64) -> u64 {
        let site = self.site;
        let mut hasher = stable_hasher();
        (templates, &site.title, &site.base_url).hash(&mut hasher);
        site.as_of.to_string().hash(&mut hasher);
        self.pages_hash.hash(&mut hasher);
        self.current_period
            .map(|p| &site.periods[p].id)
            .hash(&mut hasher);
        for &i in &self.nav_pages {
            let page = &site.pages[i];
            (&page.id, &page.title).hash(&mut hasher);
        }
        hasher.finish()
    }
}
