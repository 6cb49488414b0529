//! The site as data: every document with its relations written as ids.
//! This is the form of `data.json`, and what a document's fingerprint is
//! taken of, so that a page is rendered again when anything it could show
//! changed.

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};

use super::{KeyResult, KeyResultIx, Kpi, Objective, Site, Team};

/// The whole site, as `data.json`.
pub struct SiteData<'a>(pub &'a Site);

/// The version of `data.json`'s schema (docs/format.md). Version 2 left
/// out documents' bodies and fields without a value.
pub(super) const DATA_VERSION: u32 = 2;

impl Serialize for SiteData<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        let mut out = serializer.serialize_struct("Site", 9)?;
        out.serialize_field("version", &DATA_VERSION)?;
        out.serialize_field("title", &site.title)?;
        out.serialize_field("base_url", &site.base_url)?;
        out.serialize_field("as_of", &site.as_of)?;
        out.serialize_field("periods", &site.periods)?;
        out.serialize_field("teams", &Each(&site.teams, |t| TeamData::of(site, t)))?;
        out.serialize_field(
            "objectives",
            &Each(&site.objectives, |o| ObjectiveData::of(site, o)),
        )?;
        out.serialize_field("kpis", &Each(&site.kpis, |k| KpiData::of(site, k)))?;
        out.serialize_field("pages", &site.pages)?;
        if !site.activity.is_empty() {
            out.serialize_field("activity", &site.activity)?;
        }
        out.end()
    }
}

/// A sequence serialised through a view of each element.
struct Each<'a, T, F>(&'a [T], F);

impl<'a, T, V: Serialize, F: Fn(&'a T) -> V> Serialize for Each<'a, T, F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

/// A team as `data.json` has it: with its parent's id. Its teams and
/// objectives name it, so they are not listed here again.
#[derive(Serialize)]
pub struct TeamData<'a> {
    #[serde(flatten)]
    team: &'a Team,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
}

impl<'a> TeamData<'a> {
    pub fn of(site: &'a Site, team: &'a Team) -> TeamData<'a> {
        TeamData {
            team,
            parent: team.parent.map(|p| site.teams[p].id.as_str()),
        }
    }
}

#[derive(Serialize)]
pub struct ObjectiveData<'a> {
    #[serde(flatten)]
    objective: &'a Objective,
    owner: &'a str,
    period: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    /// The id of the parent's key result it serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_key_result: Option<&'a str>,
    /// The other objectives it is aligned to, after `parent`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also_parents: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contributors: Vec<&'a str>,
    key_results: Vec<KeyResultData<'a>>,
}

impl<'a> ObjectiveData<'a> {
    pub fn of(site: &'a Site, objective: &'a Objective) -> ObjectiveData<'a> {
        ObjectiveData {
            objective,
            owner: objective
                .owner
                .map_or(objective.owner_id(), |t| &site.teams[t].id),
            period: objective
                .period
                .map_or(objective.period_id(), |p| &site.periods[p].id),
            parent: objective.parent.map(|p| site.objectives[p].id.as_str()),
            parent_key_result: objective
                .parent
                .zip(objective.parent_key_result)
                .map(|(p, k)| site.objectives[p].key_results[k].id.as_str()),
            also_parents: objective
                .also_parents
                .iter()
                .map(|&p| site.objectives[p].id.as_str())
                .collect(),
            contributors: objective
                .contributors
                .iter()
                .map(|&t| site.teams[t].id.as_str())
                .collect(),
            key_results: objective
                .key_results
                .iter()
                .map(|kr| KeyResultData {
                    key_result: kr,
                    kpi: kr.kpi.map(|k| site.kpis[k].id.as_str()),
                    commitment: Some(kr.commitment).filter(|&c| c != objective.commitment),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct KeyResultData<'a> {
    #[serde(flatten)]
    key_result: &'a KeyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    kpi: Option<&'a str>,
    /// Its commitment where it is not its objective's.
    #[serde(skip_serializing_if = "Option::is_none")]
    commitment: Option<super::Commitment>,
}

#[derive(Serialize)]
pub struct KpiData<'a> {
    #[serde(flatten)]
    kpi: &'a Kpi,
    owner: &'a str,
    /// The KPIs it is rolled up from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    of: Vec<&'a str>,
    focus: Vec<KeyResultId<'a>>,
    key_results: Vec<KeyResultId<'a>>,
}

/// A key result named by objective and key-result id.
#[derive(Serialize)]
struct KeyResultId<'a> {
    objective: &'a str,
    key_result: &'a str,
}

impl<'a> KpiData<'a> {
    pub fn of(site: &'a Site, kpi: &'a Kpi) -> KpiData<'a> {
        let ids = |refs: &'a [KeyResultIx]| {
            refs.iter()
                .map(|&r| {
                    let (objective, key_result) = site.key_result(r);
                    KeyResultId {
                        objective: &objective.id,
                        key_result: &key_result.id,
                    }
                })
                .collect()
        };
        KpiData {
            kpi,
            owner: kpi.owner.map_or(kpi.owner_id(), |t| &site.teams[t].id),
            of: kpi.of.iter().map(|&k| site.kpis[k].id.as_str()).collect(),
            focus: ids(&kpi.focus),
            key_results: ids(&kpi.key_results),
        }
    }
}
