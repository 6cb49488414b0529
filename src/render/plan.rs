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
use crate::model::{
    KpiData, KpiIx, ObjectiveData, ObjectiveIx, PageIx, PeriodIx, Site, TeamData, TeamIx,
};
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
pub(super) struct Inputs<'f> {
    fingerprints: &'f Fingerprints,
    hasher: StableHasher,
}

impl Inputs<'_> {
    pub(super) fn objectives(
        &mut self,
        indices: impl IntoIterator<Item = ObjectiveIx>,
    ) -> &mut Self {
        for i in indices {
            (b'o', self.fingerprints.objectives[i.0]).hash(&mut self.hasher);
        }
        self
    }

    pub(super) fn kpis(&mut self, indices: impl IntoIterator<Item = KpiIx>) -> &mut Self {
        for i in indices {
            (b'k', self.fingerprints.kpis[i.0]).hash(&mut self.hasher);
        }
        self
    }

    pub(super) fn teams(&mut self, indices: impl IntoIterator<Item = TeamIx>) -> &mut Self {
        for i in indices {
            (b't', self.fingerprints.teams[i.0]).hash(&mut self.hasher);
        }
        self
    }

    fn value(&mut self, value: u64) -> &mut Self {
        value.hash(&mut self.hasher);
        self
    }

    /// A period as `okra.toml` defines it.
    pub(super) fn period(&mut self, i: PeriodIx) -> &mut Self {
        self.value(self.fingerprints.periods[i.0])
    }

    /// A free page of `pages/`.
    pub(super) fn page(&mut self, i: PageIx) -> &mut Self {
        self.value(self.fingerprints.pages[i.0])
    }

    /// Every team, in order: the cascade as listings show it.
    pub(super) fn all_teams(&mut self) -> &mut Self {
        self.value(self.fingerprints.all_teams)
    }

    /// What git says happened to the site.
    pub(super) fn activity(&mut self, site: &Site) -> &mut Self {
        self.value(fingerprint(&site.activity))
    }

    /// The whole model, for the pages that summarise it.
    pub(super) fn everything(&mut self) -> &mut Self {
        self.value(self.fingerprints.everything)
    }
}

impl Renderer<'_> {
    /// The path of the file a job makes.
    pub(super) fn job_path(&self, job: &Job) -> String {
        match job {
            Job::Page(spec) => spec.path(self),
            Job::Data(i) => super::DATA_FILES[*i].into(),
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
                self.render_job(job, &path, sink)?;
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
            self.render_job(job, &path, &recording)?;
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
        let mut inputs = Inputs {
            fingerprints: &self.fingerprints,
            hasher: stable_hasher(),
        };
        inputs.value(global);
        path.hash(&mut inputs.hasher);
        match job {
            Job::Page(spec) => spec.inputs(self, &mut inputs),
            Job::Data(_) => {
                inputs.everything();
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
