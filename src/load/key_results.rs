//! Key results and their check-ins, as written in an objective's front
//! matter.

use super::fields::{Reader, Table, written_order};
use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

pub(crate) const KEY_RESULT_KEYS: &[&str] = &[
    "id",
    "title",
    "kind",
    "start",
    "target",
    "current",
    "unit",
    "kpi",
    "done",
    "progress",
    "due",
    "min",
    "max",
    "weight",
    "confidence",
    "owner",
    "score",
    "dropped",
    "links",
    "priority",
    "status",
    "commitment",
    "checkins",
    "initiatives",
];

/// The keys of a key result's `[[key_results.initiatives]]`.
pub(crate) const INITIATIVE_KEYS: &[&str] = &["title", "owner", "link", "status"];

/// The keys of a key result's `[[key_results.checkins]]`: those of an
/// objective's own, but the key result they belong to.
pub(crate) const CHECKIN_KEYS: &[&str] = OBJECTIVE_CHECKIN_KEYS.split_at(1).1;

/// The keys of an objective's own `[[checkins]]`: the key result they
/// belong to, then a key result's check-in keys.
pub(crate) const OBJECTIVE_CHECKIN_KEYS: &[&str] = &[
    "key_result",
    "date",
    "value",
    "done",
    "score",
    "forecast",
    "confidence",
    "status",
    "note",
];

pub(super) fn read_key_result(
    r: &mut Reader<'_>,
    table: &Table<'_>,
    span: Span,
    index: usize,
) -> KeyResultDoc {
    let unknown = r.check_keys(table, KEY_RESULT_KEYS, "key result");
    let id = r
        .id(table, "id")
        .unwrap_or_else(|| Sp::new(format!("kr{}", index + 1), span));
    let title = r.text(table, "title");
    let title = r.require(
        title,
        table,
        span,
        "title",
        "a key result",
        "\"Reduce cost per lead from 100 to 95\"",
    );
    let kind = r.choice(table, "kind", &KrKind::ALL.map(|k| (k.as_str(), k)));
    let weight = read_weight(r, table);
    let checkins = r
        .tables(table, "checkins")
        .into_iter()
        .map(|(span, checkin)| read_checkin(r, span, checkin, CHECKIN_KEYS))
        .collect();
    let keys = written_order(table)
        .into_iter()
        .filter_map(|(k, _)| Some(Sp::new(KrKey::named(k.get_ref())?, r.span(k.span()))))
        .collect();
    KeyResultDoc {
        span,
        id,
        title,
        kind,
        start: r.number(table, "start"),
        target: r.number(table, "target"),
        current: r.number(table, "current"),
        unit: r.string(table, "unit").map(|u| u.value),
        kpi: r.id(table, "kpi"),
        done: r.boolean(table, "done"),
        progress: r.score(table, "progress"),
        due: r.date(table, "due"),
        min: r.number(table, "min"),
        max: r.number(table, "max"),
        weight,
        confidence: r.score(table, "confidence").map(|c| c.value),
        owners: read_owners(r, table),
        score: r.score(table, "score"),
        dropped: r.text(table, "dropped"),
        links: r.links(table, "links"),
        priority: r.text(table, "priority").map(|p| p.value),
        status: read_judgement(r, table),
        commitment: r
            .choice(
                table,
                "commitment",
                &Commitment::OF_KEY_RESULTS.map(|c| (c.as_str(), c)),
            )
            .map(|c| c.value),
        initiatives: r
            .tables(table, "initiatives")
            .into_iter()
            .filter_map(|(span, initiative)| read_initiative(r, span, initiative))
            .collect(),
        checkins,
        keys,
        unknown,
    }
}

/// A key result's weight: 1 unless given, and never 0 or below.
fn read_weight(r: &mut Reader<'_>, table: &Table<'_>) -> f64 {
    match r.number(table, "weight") {
        Some(w) if w.value > 0.0 => w.value,
        Some(w) => {
            r.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`weight` must be greater than 0, found {}", w.value),
                )
                .at(w.span)
                .hint("leave a key result out, or give it a small weight such as 0.5"),
            );
            1.0
        }
        None => 1.0,
    }
}

fn read_checkin(
    r: &mut Reader<'_>,
    span: Span,
    checkin: &Table<'_>,
    allowed: &[&str],
) -> CheckinDoc {
    let _ = r.check_keys(checkin, allowed, "check-in");
    let date = r.date(checkin, "date");
    let date = r.require(date, checkin, span, "date", "a check-in", "2026-08-01");
    CheckinDoc {
        span,
        date,
        value: r.number(checkin, "value"),
        done: r.boolean(checkin, "done"),
        forecast: r.number(checkin, "forecast").map(|f| f.value),
        score: r.score(checkin, "score"),
        confidence: r.score(checkin, "confidence").map(|c| c.value),
        status: read_judgement(r, checkin).map(|j| j.value),
        note: r.string(checkin, "note").map(|n| n.value),
    }
}

/// An objective's own `[[checkins]]`, each put with the key result its
/// `key_result` names. Written at the end of a file, a
/// `[[key_results.checkins]]` table belongs to the last key result,
/// whatever it was meant for; these say which key result they are for.
pub(super) fn read_objective_checkins(
    r: &mut Reader<'_>,
    table: &Table<'_>,
    key_results: &mut [Arc<KeyResultDoc>],
) {
    for (span, checkin) in r.tables(table, "checkins") {
        let key = r.id(checkin, "key_result");
        let example = key_results.first().map_or_else(
            || "\"kr1\"".to_string(),
            |kr| format!("\"{}\"", kr.id.value),
        );
        let key = r.require(
            key,
            checkin,
            span,
            "key_result",
            "a check-in of an objective",
            &example,
        );
        let doc = read_checkin(r, span, checkin, OBJECTIVE_CHECKIN_KEYS);
        let Some(key) = key else { continue };
        match key_results.iter_mut().find(|kr| kr.id.value == key.value) {
            // Nothing shares a key result's document while it is read.
            Some(kr) => Arc::make_mut(kr).checkins.push(doc),
            None => {
                let ids = key_results.iter().map(|kr| kr.id.value.as_str());
                let hint =
                    crate::diagnostic::suggestion(&key.value, ids.clone()).unwrap_or_else(|| {
                        let all: Vec<String> = ids.map(|i| format!("`{i}`")).collect();
                        format!("this objective's key results are {}", all.join(", "))
                    });
                r.push(
                    Diagnostic::new(
                        Code::BadValue,
                        format!("`{}` is not a key result of this objective", key.value),
                    )
                    .at(key.span)
                    .hint(hint),
                );
            }
        }
    }
}

/// `status`: a judgement, however it is cased or spaced (`On track` is
/// `on-track`).
fn read_judgement(r: &mut Reader<'_>, table: &Table<'_>) -> Option<Sp<Judgement>> {
    let text = r.string(table, "status")?;
    let spelt = text.value.trim().to_lowercase().replace([' ', '_'], "-");
    if let Some(judgement) = Judgement::ALL.into_iter().find(|j| j.as_str() == spelt) {
        return Some(Sp::new(judgement, text.span));
    }
    r.choice(table, "status", &Judgement::ALL.map(|j| (j.as_str(), j)))
}

/// An initiative: work planned under a key result, shown and searched
/// but never counted in its progress.
fn read_initiative(r: &mut Reader<'_>, span: Span, table: &Table<'_>) -> Option<InitiativeDoc> {
    let _ = r.check_keys(table, INITIATIVE_KEYS, "initiative");
    let title = r.text(table, "title");
    let title = r.require(
        title,
        table,
        span,
        "title",
        "an initiative",
        "\"Run the onboarding pilot\"",
    );
    Some(InitiativeDoc {
        title: title?.value,
        owner: r.text(table, "owner").map(|o| o.value),
        link: r.web_address(table, "link"),
        status: read_judgement(r, table).map(|j| j.value),
    })
}

/// `owner`: one name or id, or several.
fn read_owners(r: &mut Reader<'_>, table: &Table<'_>) -> Vec<String> {
    match table.get("owner").map(|v| v.get_ref()) {
        Some(toml::de::DeValue::Array(_)) => r
            .strings(table, "owner")
            .into_iter()
            .map(|o| o.value)
            .collect(),
        _ => r
            .string(table, "owner")
            .map(|o| o.value)
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_key_has_a_compact_name() {
        for &name in KEY_RESULT_KEYS {
            let key = KrKey::named(name).expect("a known key");
            assert_eq!(key.name(), name);
            assert!(key == name);
            assert_eq!(key.to_string(), name);
        }
        assert_eq!(KrKey::named("tittle"), None);
        assert_eq!(KrKey::named(""), None);
    }
}
