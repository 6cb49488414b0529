//! "Did you mean": the closest candidate to a mistyped word, within a
//! budget of comparisons.

/// Comparisons of words that "did you mean" hints may make against large
/// candidate sets (ids) in one check, on one thread. Without a bound, a site
/// where every one of thousands of references is unknown would take time
/// in proportion to the product of references and ids; past the bound, the
/// remaining hints are left out.
const SUGGESTION_BUDGET: usize = 5_000_000;

/// Candidate sets at most this large are always compared in full.
const SMALL_CANDIDATE_SET: usize = 256;

thread_local! {
    static SUGGESTION_COMPARISONS_LEFT: std::cell::Cell<usize> =
        const { std::cell::Cell::new(SUGGESTION_BUDGET) };
}

/// Restores the budget of "did you mean" comparisons; called as a check
/// starts.
pub fn reset_suggestion_budget() {
    SUGGESTION_COMPARISONS_LEFT.with(|left| left.set(SUGGESTION_BUDGET));
}

/// The candidate closest to `word`, when it is close enough to be a likely
/// typo: the basis of every "did you mean" hint.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if candidates.len() > SMALL_CANDIDATE_SET {
        let affordable = SUGGESTION_COMPARISONS_LEFT.with(|left| {
            let ok = left.get() >= candidates.len();
            left.set(left.get().saturating_sub(candidates.len()));
            ok
        });
        if !affordable {
            return None;
        }
    }
    let word_lower = word.to_lowercase();
    let word_len = word.chars().count();
    let limit = |c: &str| (word_len.max(c.chars().count()) / 3).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip those
        // that cannot be close without measuring them.
        .filter(|c| word_len.abs_diff(c.chars().count()) <= limit(c))
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= limit(c))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` when there is a close candidate.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}
