//! Which key result of the base revision each key result of the head is.
//!
//! A key result without an `id` is named by its place (`kr2`), so matching
//! by id alone turns an insertion into a chain of false "retitled" rows and
//! moved goalposts. Key results are matched by explicit id first, then by
//! identical title, then by the most similar title and content; what is
//! left is added or removed.

use crate::model::{KeyResult, Objective};

/// How a pair of key results was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matched {
    /// The same `id`, written in both revisions.
    Id,
    /// The same title.
    Title,
    /// The most similar title and content.
    Similar,
}

/// One key result across the two revisions: in both, or in one only.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pair<'a> {
    pub old: Option<&'a KeyResult>,
    pub new: Option<&'a KeyResult>,
    /// `None` for a key result added or removed.
    pub matched: Option<Matched>,
}

/// The least similarity at which two key results, or two objectives, count
/// as one edited.
const THRESHOLD: f64 = 0.6;

/// Pairs objectives that left the base with objectives new at the head when
/// they are one objective whose file was renamed or moved: the same owner
/// and, mostly, the same title and key results. Returns `(removed, added)`
/// index pairs, most similar first.
pub(super) fn renamed(removed: &[&Objective], added: &[&Objective]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (o, before) in removed.iter().enumerate() {
        for (n, after) in added.iter().enumerate() {
            if before.owner_id() != after.owner_id() {
                continue;
            }
            let score = objective_similarity(before, after);
            if score >= THRESHOLD {
                candidates.push((score, o, n));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let (mut old_taken, mut new_taken) = (vec![false; removed.len()], vec![false; added.len()]);
    let mut out = Vec::new();
    for (_, o, n) in candidates {
        if !old_taken[o] && !new_taken[n] {
            old_taken[o] = true;
            new_taken[n] = true;
            out.push((o, n));
        }
    }
    out
}

/// How alike two objectives are, 0–1: their titles, and the share of their
/// key results that pair up as one key result edited or not.
fn objective_similarity(old: &Objective, new: &Objective) -> f64 {
    let title = strsim::normalized_levenshtein(&normalise(&old.title), &normalise(&new.title))
        .max(word_overlap(&old.title, &new.title));
    let most = old.key_results.len().max(new.key_results.len());
    let key_results = if most == 0 {
        title
    } else {
        let paired = pair(&old.key_results, &new.key_results)
            .iter()
            .filter(|p| p.matched.is_some())
            .count();
        paired as f64 / most as f64
    };
    let period = if old.period_id() == new.period_id() {
        1.0
    } else {
        0.0
    };
    0.45 * title + 0.45 * key_results + 0.1 * period
}

/// Pairs the key results of one objective in two revisions: matched pairs
/// and added ones in head order, removed ones after them in base order.
pub(super) fn pair<'a>(old: &'a [KeyResult], new: &'a [KeyResult]) -> Vec<Pair<'a>> {
    let mut m = Matching {
        partner: vec![None; new.len()],
        taken: vec![false; old.len()],
    };
    for (n, kr) in new.iter().enumerate().filter(|(_, k)| k.has_explicit_id()) {
        if let Some(o) = old
            .iter()
            .position(|k| k.has_explicit_id() && k.id == kr.id)
        {
            m.link(n, o, Matched::Id);
        }
    }
    // A base key result whose explicit id lives on is that key result's.
    let free = |m: &Matching, o: usize| !m.taken[o] && !is_claimed(&old[o], new);
    for (n, kr) in new.iter().enumerate() {
        let title = normalise(&kr.title);
        let found = (0..old.len()).find(|&o| free(&m, o) && normalise(&old[o].title) == title);
        if let (None, Some(o)) = (m.partner[n], found) {
            m.link(n, o, Matched::Title);
        }
    }
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (n, kr) in new
        .iter()
        .enumerate()
        .filter(|(n, _)| m.partner[*n].is_none())
    {
        for (o, before) in old.iter().enumerate().filter(|(o, _)| free(&m, *o)) {
            let score = similarity(before, kr);
            if score >= THRESHOLD {
                candidates.push((score, n, o));
            }
        }
    }
    // Most similar first; among equals, the pair nearest in place.
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.abs_diff(a.2).cmp(&b.1.abs_diff(b.2)))
    });
    for (_, n, o) in candidates {
        if m.partner[n].is_none() && !m.taken[o] {
            m.link(n, o, Matched::Similar);
        }
    }
    let mut pairs: Vec<Pair<'a>> = new
        .iter()
        .zip(&m.partner)
        .map(|(kr, p)| Pair {
            old: p.map(|(o, _)| &old[o]),
            new: Some(kr),
            matched: p.map(|(_, how)| how),
        })
        .collect();
    pairs.extend(
        old.iter()
            .zip(&m.taken)
            .filter(|(_, taken)| !**taken)
            .map(|(kr, _)| Pair {
                old: Some(kr),
                new: None,
                matched: None,
            }),
    );
    pairs
}

/// The matching under way: each head key result's partner, and which base
/// key results are taken.
struct Matching {
    partner: Vec<Option<(usize, Matched)>>,
    taken: Vec<bool>,
}

impl Matching {
    fn link(&mut self, new: usize, old: usize, how: Matched) {
        self.partner[new] = Some((old, how));
        self.taken[old] = true;
    }
}

/// Whether a base key result keeps its explicit id at the head: then only
/// that id may claim it.
fn is_claimed(old: &KeyResult, new: &[KeyResult]) -> bool {
    old.has_explicit_id() && new.iter().any(|k| k.has_explicit_id() && k.id == old.id)
}

/// A title compared without case and runs of spaces.
fn normalise(title: &str) -> String {
    title
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// How alike two key results are, 0–1: mostly their titles, and what they
/// measure (kind, KPI, unit, start, target).
fn similarity(old: &KeyResult, new: &KeyResult) -> f64 {
    let title = strsim::normalized_levenshtein(&normalise(&old.title), &normalise(&new.title));
    let words = word_overlap(&old.title, &new.title);
    let facts = [
        old.kind == new.kind,
        old.kpi_id() == new.kpi_id(),
        old.unit == new.unit,
        old.start == new.start,
        old.target == new.target,
    ];
    let content = facts.iter().filter(|same| **same).count() as f64 / facts.len() as f64;
    0.7 * title.max(words) + 0.3 * content
}

/// The share of words two titles have in common (Sørensen–Dice over
/// words), which survives a reworded clause better than characters do.
fn word_overlap(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> std::collections::BTreeSet<String> {
        t.split(|c: char| !c.is_alphanumeric() && c != '%' && c != '.')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests;
