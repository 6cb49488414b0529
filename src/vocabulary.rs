//! The words of the OKR model that documents are written in: kinds of
//! team and key result, commitment and grading, direction, cadence and
//! visibility. The loader reads them and the model holds them; they are
//! defined here, below both, and [`crate::model`] is where the rest of the
//! crate names them.

/// What a team is in the cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamKind {
    Company,
    Department,
    Team,
    Person,
}

impl TeamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::Company => "company",
            TeamKind::Department => "department",
            TeamKind::Team => "team",
            TeamKind::Person => "person",
        }
    }
}

/// How a key result is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KrKind {
    Metric,
    Milestone,
    Health,
    /// Scored by hand, 0–1 (a grade rather than a measurement).
    Scored,
}

impl KrKind {
    /// Every kind, in the order the format lists them.
    pub const ALL: [KrKind; 4] = [
        KrKind::Metric,
        KrKind::Milestone,
        KrKind::Health,
        KrKind::Scored,
    ];

    /// The kind's name, as `kind = "…"` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            KrKind::Metric => "metric",
            KrKind::Milestone => "milestone",
            KrKind::Health => "health",
            KrKind::Scored => "scored",
        }
    }
}

/// How an objective is graded: committed ones are expected in full,
/// aspirational ones at 0.6–0.7.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Commitment {
    Committed,
    #[default]
    Aspirational,
}

impl Commitment {
    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::Committed => "committed",
            Commitment::Aspirational => "aspirational",
        }
    }
}

/// Grade thresholds of ended objectives: at or above `achieved` an
/// objective is achieved, at or above `partial` partly achieved, else
/// missed.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Thresholds {
    pub achieved: f64,
    pub partial: f64,
}

/// `[grading]` in `okra.toml`: thresholds per commitment level.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Grading {
    pub committed: Thresholds,
    pub aspirational: Thresholds,
}

impl Default for Grading {
    fn default() -> Self {
        Grading {
            committed: Thresholds {
                achieved: 1.0,
                partial: 0.7,
            },
            aspirational: Thresholds {
                achieved: 0.7,
                partial: 0.4,
            },
        }
    }
}

impl Grading {
    pub fn of(&self, commitment: Commitment) -> Thresholds {
        match commitment {
            Commitment::Committed => self.committed,
            Commitment::Aspirational => self.aspirational,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Yearly => "yearly",
        }
    }

    /// Days after which a measurement is stale.
    pub fn days(self) -> i32 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Monthly => 31,
            Cadence::Quarterly => 92,
            Cadence::Yearly => 366,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Private,
}
