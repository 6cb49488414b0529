//! Stage 4, validate: the rules that span documents.
//!
//! One module a concern: references must resolve ([`references`]), parents
//! must not form cycles ([`cycles`]), a child objective's period must lie
//! within its parent's and it must align within its team's chain
//! ([`cascade`]), and links must point at documents and static files
//! ([`links`]). The lints of docs/format.md ("Diagnostic codes", warnings) are a
//! table in [`lints`]; a lint that `[lint] allow` silences is not run.

mod cascade;
mod cycles;
mod levels;
mod links;
mod lints;
mod references;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, LintLevels};
use crate::load::{DocKind, Loaded};
use crate::model::Site;
pub(crate) use cycles::team_chain;
pub(crate) use levels::levels;
pub(crate) use lints::{LINTS, goalposts_moved};

/// Runs every cross-document check and every lint that some `[lint]`
/// section reports; returns the levels those sections set.
pub(crate) fn validate(
    site: &Site,
    loaded: &Loaded,
    diagnostics: &mut Vec<Diagnostic>,
) -> LintLevels {
    let levels = levels(site, loaded, diagnostics);
    let mut check = Checker {
        site,
        loaded,
        diagnostics,
    };
    check.team_references();
    let team_cycles = check.team_cycles();
    check.kpi_references();
    check.objective_references();
    let objective_cycles = check.objective_cycles();
    check.cascade(&objective_cycles);
    let context = lints::Context {
        site,
        loaded,
        team_cycles: &team_cycles,
        objective_cycles: &objective_cycles,
    };
    // The links and the lints read the site only: they run side by side,
    // and their problems are reported in the table's order.
    let (links, linted) = rayon::join(
        || {
            let mut links = Vec::new();
            Checker {
                site,
                loaded,
                diagnostics: &mut links,
            }
            .links();
            links
        },
        || {
            LINTS
                .par_iter()
                .filter(|(code, _)| levels.reported_anywhere(*code))
                .map(|(_, lint)| lint(&context))
                .collect::<Vec<_>>()
        },
    );
    diagnostics.extend(links);
    diagnostics.extend(linted.into_iter().flatten());
    levels
}

/// The checks that need the whole site, reporting into one list.
struct Checker<'a> {
    site: &'a Site,
    loaded: &'a Loaded,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn is_broken(&self, kind: DocKind, id: &str) -> bool {
        self.loaded.broken.contains(&(kind, id.to_string()))
    }
}
