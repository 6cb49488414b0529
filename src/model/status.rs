//! The statuses okra computes: of objectives and key results against
//! their pace or grades, and of KPIs against their band and cadence.

use serde::Serialize;

/// Where an objective or key result stands, computed by
/// [`crate::score`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    OnTrack,
    AtRisk,
    OffTrack,
    Achieved,
    Partial,
    Missed,
    /// No value to judge by yet.
    NoData,
    /// A key result taken out of the objective, with a reason.
    Dropped,
}

impl Status {
    /// Whether it is behind: at risk or off track.
    pub fn is_behind(self) -> bool {
        matches!(self, Status::AtRisk | Status::OffTrack)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::Achieved => "achieved",
            Status::Partial => "partial",
            Status::Missed => "missed",
            Status::NoData => "no-data",
            Status::Dropped => "dropped",
        }
    }

    /// Words for people: "on track".
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::Achieved => "achieved",
            Status::Partial => "partial",
            Status::Missed => "missed",
            Status::NoData => crate::format::NO_DATA,
            Status::Dropped => "dropped",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KpiStatus {
    Healthy,
    Unhealthy,
    /// Measured, but with no healthy band to judge by.
    Monitored,
    Stale,
    NoData,
}

impl KpiStatus {
    /// As pages' classes and the search index name it: "no-data".
    pub fn as_str(self) -> &'static str {
        match self {
            KpiStatus::Healthy => "healthy",
            KpiStatus::Unhealthy => "unhealthy",
            KpiStatus::Monitored => "monitored",
            KpiStatus::Stale => "stale",
            KpiStatus::NoData => "no-data",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KpiStatus::Healthy => "healthy",
            KpiStatus::Unhealthy => "unhealthy",
            KpiStatus::Monitored => "monitored",
            KpiStatus::Stale => "stale",
            KpiStatus::NoData => crate::format::NO_DATA,
        }
    }
}
