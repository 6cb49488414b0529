//! The requests the server answers, each from the last check and the
//! buffer the request is about.

use lsp_server::Request;
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
    Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionResponse, Hover,
    HoverContents, Location, MarkupContent, MarkupKind, OneOf, Position, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::Value;

use super::Server;
use super::features::{self, IdKind, Target};
use super::text::{self, Spot};
use crate::Checked;
use crate::load::Sp;
use crate::model::{KpiIx, ObjectiveIx, TeamIx};

/// Completion items sent at most for one request; the editor asks again
/// as more is typed.
const COMPLETION_LIMIT: usize = 200;

/// The answer to a request, as JSON; `None` for a request the server
/// does not answer.
pub(super) fn answer(server: &Server, request: Request) -> Option<anyhow::Result<Value>> {
    let params = request.params;
    let answered = match request.method.as_str() {
        HoverRequest::METHOD => reply::<HoverRequest, _>(params, |p| {
            let at = p.text_document_position_params;
            hover(server, &at.text_document.uri, at.position)
        }),
        GotoDefinition::METHOD => reply::<GotoDefinition, _>(params, |p| {
            let at = p.text_document_position_params;
            definition(server, &at.text_document.uri, at.position)
        }),
        References::METHOD => reply::<References, _>(params, |p| {
            let at = p.text_document_position;
            references(server, &at.text_document.uri, at.position)
        }),
        Completion::METHOD => reply::<Completion, _>(params, |p| {
            let at = p.text_document_position;
            completion(server, &at.text_document.uri, at.position)
        }),
        DocumentSymbolRequest::METHOD => {
            reply::<DocumentSymbolRequest, _>(params, |p| symbols(server, &p.text_document.uri))
        }
        CodeActionRequest::METHOD => {
            reply::<CodeActionRequest, _>(params, |p| code_actions(server, &p))
        }
        WorkspaceSymbolRequest::METHOD => {
            reply::<WorkspaceSymbolRequest, _>(params, |p| workspace_symbols(server, &p.query))
        }
        _ => return None,
    };
    Some(answered)
}

/// Reads a request's params as request `R` has them, and writes what
/// `answer` makes of them as JSON.
fn reply<R: lsp_types::request::Request, T: serde::Serialize>(
    params: Value,
    answer: impl FnOnce(R::Params) -> T,
) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(answer(serde_json::from_value(
        params,
    )?))?)
}

/// What a request is about: the file's path, its text and the last check.
struct Context<'s> {
    path: String,
    text: &'s str,
    checked: &'s Checked,
}

fn context<'s>(server: &'s Server, uri: &Uri) -> Option<Context<'s>> {
    let path = server.relative(uri)?;
    let text = server.text(&path)?;
    let checked = server.checked.as_ref()?;
    Some(Context {
        path,
        text,
        checked,
    })
}

/// The id under the cursor: its kind, its value and where it is
/// written. It comes from the document as the last check read it; when
/// the buffer did not parse, from the line the cursor is on.
fn id_under(cx: &Context, position: Position) -> Option<(IdKind, String, std::ops::Range<usize>)> {
    let at = text::offset(cx.text, position);
    if let Some(found) = features::id_written_at(&cx.checked.site, &cx.path, at) {
        return Some(found);
    }
    let place = text::place(cx.text, at);
    let (kind, range) = features::id_at(&cx.path, &place)?;
    Some((kind, cx.text.get(range.clone())?.to_string(), range))
}

fn hover(server: &Server, uri: &Uri, position: Position) -> Option<Hover> {
    let cx = context(server, uri)?;
    let site = &cx.checked.site;
    let markdown = |value: String, range| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    };
    if let Some((kind, id, range)) = id_under(&cx, position) {
        let found = features::resolve(site, kind, &id);
        let value = match found {
            Some(target) => features::describe(site, target),
            None => format!("No {} {} in this site.", kind_noun(kind), features::md(&id)),
        };
        return Some(markdown(value, Some(text::range(cx.text, range))));
    }
    let place = text::place(cx.text, text::offset(cx.text, position));
    // On a key: what the key means, above what it belongs to.
    let meaning = match &place.spot {
        Spot::KeyName { key } => features::doc_kind(&cx.path)
            .and_then(|kind| super::keys::key_doc(kind, &place.table, key))
            .map(|doc| format!("`{key}`: {doc}")),
        _ => None,
    };
    let described = site
        .objectives
        .iter()
        .position(|o| o.path == cx.path)
        .and_then(|ix| {
            let objective = &site.objectives[ix];
            match place.key_result {
                Some(n) => Some(features::describe_key_result(
                    site,
                    objective.key_results.get(n)?,
                )),
                None if place.in_front_matter => {
                    Some(features::describe(site, Target::Objective(ObjectiveIx(ix))))
                }
                None => None,
            }
        });
    let value = match (meaning, described) {
        (Some(meaning), Some(described)) => format!("{meaning}\n\n---\n\n{described}"),
        (one, other) => one.or(other)?,
    };
    Some(markdown(value, None))
}

fn kind_noun(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Team => "team",
        IdKind::Objective => "objective",
        IdKind::Kpi => "KPI",
        IdKind::Period => "period",
    }
}

/// Where the file of a thing of the model is, or where a declared period
/// is declared.
fn location_of(server: &Server, site: &crate::Site, target: Target) -> Option<Location> {
    let path = match target {
        Target::Team(t) => site.teams[t].path.clone(),
        Target::Objective(o) => site.objectives[o].path.clone(),
        Target::Kpi(k) => site.kpis[k].path.clone(),
        Target::Period(p) => {
            let id = &site.periods[p].id;
            let config = server.text("okra.toml")?;
            let at = config.find(&format!("[periods.{id}]"))?;
            let range = text::range(config, at..at + id.len() + 10);
            return Some(Location::new(server.uri("okra.toml")?, range));
        }
    };
    Some(Location::new(
        server.uri(&path)?,
        lsp_types::Range::default(),
    ))
}

fn definition(server: &Server, uri: &Uri, position: Position) -> Option<Location> {
    let cx = context(server, uri)?;
    let (kind, id, _) = id_under(&cx, position)?;
    let target = features::resolve(&cx.checked.site, kind, &id)?;
    location_of(server, &cx.checked.site, target)
}

/// The thing a reference search is about: the id under the cursor, or
/// the document the cursor is in.
fn subject(cx: &Context, position: Position) -> Option<Target> {
    let site = &cx.checked.site;
    if let Some((kind, id, _)) = id_under(cx, position) {
        return features::resolve(site, kind, &id);
    }
    let path = cx.path.as_str();
    if let Some(o) = site.objectives.iter().position(|o| o.path == path) {
        return Some(Target::Objective(ObjectiveIx(o)));
    }
    if let Some(k) = site.kpis.iter().position(|k| k.path == path) {
        return Some(Target::Kpi(KpiIx(k)));
    }
    let team = site.teams.iter().position(|t| t.path == path)?;
    Some(Target::Team(TeamIx(team)))
}

/// Every place that names the subject: objectives aligned to an
/// objective, key results that use a KPI, documents a team owns or
/// contributes to, teams under a team, objectives of a period.
fn references(server: &Server, uri: &Uri, position: Position) -> Option<Vec<Location>> {
    let cx = context(server, uri)?;
    let site = &cx.checked.site;
    let target = subject(&cx, position)?;
    let mut spans: Vec<&Sp<String>> = Vec::new();
    let named = |sp: &&Sp<String>, id: &str| sp.value == id;
    match target {
        Target::Objective(o) => {
            let id = &site.objectives[o].id;
            spans.extend(
                site.objectives
                    .iter()
                    .flat_map(|c| c.doc.parents.iter())
                    .filter(|p| named(p, id)),
            );
        }
        Target::Kpi(k) => {
            let id = &site.kpis[k].id;
            for o in &site.objectives {
                spans.extend(
                    o.doc
                        .key_results
                        .iter()
                        .filter_map(|kr| kr.kpi.as_ref())
                        .filter(|p| named(p, id)),
                );
            }
        }
        Target::Team(t) => {
            let id = &site.teams[t].id;
            for o in &site.objectives {
                spans.extend(
                    o.doc
                        .owner
                        .iter()
                        .chain(&o.doc.contributors)
                        .filter(|p| named(p, id)),
                );
            }
            spans.extend(
                site.kpis
                    .iter()
                    .filter_map(|k| k.doc.owner.as_ref())
                    .filter(|p| named(p, id)),
            );
            spans.extend(
                site.teams
                    .iter()
                    .filter_map(|c| c.doc.parent.as_ref())
                    .filter(|p| named(p, id)),
            );
        }
        Target::Period(p) => {
            let id = &site.periods[p].id;
            spans.extend(
                site.objectives
                    .iter()
                    .filter_map(|o| o.doc.period.as_ref())
                    .filter(|p| named(p, id)),
            );
        }
    }
    let locations = spans
        .into_iter()
        .filter_map(|sp| {
            let source = cx.checked.sources.get(sp.span.file);
            let uri = server.uri(&source.path)?;
            Some(Location::new(
                uri,
                text::range(&source.text, sp.span.range()),
            ))
        })
        .collect();
    Some(locations)
}

fn completion(server: &Server, uri: &Uri, position: Position) -> Option<CompletionResponse> {
    let path = server.relative(uri)?;
    let text = server.text(&path)?;
    let place = text::place(text, text::offset(text, position));
    let kind = features::doc_kind(&path)?;
    match &place.spot {
        Spot::Value { key, typed, .. } => {
            let site = &server.checked.as_ref()?.site;
            if kind == crate::load::DocKind::Objective
                && place.table == "key_results"
                && key == "owner"
            {
                let people = features::complete_people(site, &path, text, typed);
                return Some(CompletionResponse::Array(people));
            }
            let id_kind = features::id_kind(kind, &place.table, key)?;
            let (items, incomplete) =
                features::complete_ids(site, id_kind, typed, COMPLETION_LIMIT);
            Some(CompletionResponse::List(lsp_types::CompletionList {
                is_incomplete: incomplete,
                items,
            }))
        }
        Spot::Key { typed } => Some(CompletionResponse::Array(features::complete_keys(
            kind,
            &place.table,
            typed,
        ))),
        Spot::KeyName { .. } | Spot::Elsewhere => None,
    }
}

/// Symbols sent at most for one search of the whole site.
const SYMBOL_LIMIT: usize = 100;

/// Objectives, KPIs and teams anywhere in the site whose title or id
/// holds the words typed.
fn workspace_symbols(server: &Server, query: &str) -> Option<lsp_types::WorkspaceSymbolResponse> {
    let site = &server.checked.as_ref()?.site;
    let symbols = features::find_symbols(site, query, SYMBOL_LIMIT)
        .into_iter()
        .filter_map(|(name, kind, container, path)| {
            let location = Location::new(server.uri(&path)?, lsp_types::Range::default());
            Some(lsp_types::WorkspaceSymbol {
                name,
                kind,
                tags: None,
                container_name: (!container.is_empty()).then_some(container),
                location: OneOf::Left(location),
                data: None,
            })
        })
        .collect();
    Some(lsp_types::WorkspaceSymbolResponse::Nested(symbols))
}

fn symbols(server: &Server, uri: &Uri) -> Option<Vec<lsp_types::DocumentSymbol>> {
    let cx = context(server, uri)?;
    Some(features::symbols(&cx.checked.site, &cx.path, cx.text))
}

/// A fix for each diagnostic in the range whose hint names what was
/// meant (`did you mean \`support\`?`): the value replaced by it.
fn code_actions(server: &Server, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(text) = server.relative(uri).and_then(|p| server.text(&p)) else {
        return Vec::new();
    };
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let hint = diagnostic
            .data
            .as_ref()
            .and_then(|d| d.get("hint"))
            .and_then(Value::as_str);
        let Some(meant) = hint.and_then(meant) else {
            continue;
        };
        let start = text::offset(text, diagnostic.range.start);
        let end = text::offset(text, diagnostic.range.end);
        let Some(written) = text.get(start..end) else {
            continue;
        };
        // Keep the quotes when the span holds them.
        let (range, new_text) = match written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
            Some(_) => (text::range(text, start + 1..end - 1), meant.to_string()),
            None => (diagnostic.range, meant.to_string()),
        };
        let edit = WorkspaceEdit {
            changes: Some(std::collections::HashMap::from([(
                uri.clone(),
                vec![TextEdit { range, new_text }],
            )])),
            ..WorkspaceEdit::default()
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Change to `{meant}`"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(edit),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The name a did-you-mean hint suggests: the first `quoted` word of a
/// hint that starts with "did you mean".
fn meant(hint: &str) -> Option<&str> {
    let rest = hint.strip_prefix("did you mean ")?;
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    Some(&rest[start..end])
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hint_names_what_was_meant() {
        assert_eq!(super::meant("did you mean `support`?"), Some("support"));
        assert_eq!(super::meant("ids are slugs, such as `a-b`"), None);
        assert_eq!(super::meant("did you mean `unclosed"), None);
    }
}
