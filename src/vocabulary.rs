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

/// How a key result is measured. A kind is defined here: its name, its
/// keys and what it is like ([`KindTraits`]). The stages that treat kinds
/// differently do so in one exhaustive `match` each, which the compiler
/// names when a kind is added: what each needs (`model::key_results`), its
/// score on a day (`score::score_at`), its value in a review
/// (`diff::report`) and its table in a new period (`author::carry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KrKind {
    Metric,
    Milestone,
    Health,
    /// Scored by hand, 0–1 (a grade rather than a measurement).
    Scored,
    /// An outcome with no number yet, followed by the judgement its
    /// check-ins report ([`Judgement`]): no score and no pacing.
    Status,
    /// Rolled up from the objectives that serve it (`parent_key_result`):
    /// its score is the mean of theirs.
    Rollup,
}

/// What a kind of key result is like, for every stage that asks.
#[derive(Clone, Copy, Debug)]
pub struct KindTraits {
    /// The kind's name, as `kind = "…"` writes it.
    pub name: &'static str,
    /// The keys only this kind has: writing one implies the kind.
    pub keys: &'static [&'static str],
    /// What to write for a key result of this kind, for a hint.
    pub example: &'static str,
    /// Whether it has a score, which counts toward its objective's.
    pub scored: bool,
    /// Whether it is a task: done or not, a deliverable, not an outcome.
    pub task: bool,
    /// Whether it is a guardrail: a value kept inside a band.
    pub guardrail: bool,
    /// Whether it moves a number from `start` to `target`.
    pub moves: bool,
    /// Whether it reads a value (`current`, a check-in's or its KPI's).
    pub valued: bool,
}

impl KrKind {
    /// Every kind, in the order the format lists them.
    pub const ALL: [KrKind; 6] = [
        KrKind::Metric,
        KrKind::Milestone,
        KrKind::Health,
        KrKind::Scored,
        KrKind::Status,
        KrKind::Rollup,
    ];

    pub fn traits(self) -> &'static KindTraits {
        const NONE: KindTraits = KindTraits {
            name: "",
            keys: &[],
            example: "",
            scored: false,
            task: false,
            guardrail: false,
            moves: false,
            valued: false,
        };
        match self {
            KrKind::Metric => &KindTraits {
                name: "metric",
                keys: &["start", "target"],
                example: "`target = …` for a metric",
                scored: true,
                moves: true,
                valued: true,
                ..NONE
            },
            KrKind::Milestone => &KindTraits {
                name: "milestone",
                keys: &["done", "progress", "due"],
                example: "`done = false` for a milestone",
                scored: true,
                task: true,
                ..NONE
            },
            KrKind::Health => &KindTraits {
                name: "health",
                keys: &["min", "max"],
                example: "`min`/`max` for a health key result",
                guardrail: true,
                valued: true,
                ..NONE
            },
            KrKind::Scored => &KindTraits {
                name: "scored",
                keys: &["score"],
                example: "`score = …` for one scored by hand",
                scored: true,
                ..NONE
            },
            KrKind::Status => &KindTraits {
                name: "status",
                keys: &[],
                example: "`kind = \"status\"` for an outcome followed by its status",
                ..NONE
            },
            KrKind::Rollup => &KindTraits {
                name: "rollup",
                keys: &[],
                example: "`kind = \"rollup\"` for one scored by the objectives that serve it",
                scored: true,
                ..NONE
            },
        }
    }

    /// The kind's name, as `kind = "…"` writes it.
    pub fn as_str(self) -> &'static str {
        self.traits().name
    }
}

/// Where a key result stands in its owner's judgement, as a check-in (or
/// `status` in place) reports it: shown beside the status okra computes,
/// and the only status a `kind = "status"` key result has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    NotStarted,
    InProgress,
    OnTrack,
    NeedsAttention,
    AtRisk,
    OffTrack,
    Blocked,
    Done,
}

impl Judgement {
    /// Every judgement, from not started to done.
    pub const ALL: [Judgement; 8] = [
        Judgement::NotStarted,
        Judgement::InProgress,
        Judgement::OnTrack,
        Judgement::NeedsAttention,
        Judgement::AtRisk,
        Judgement::OffTrack,
        Judgement::Blocked,
        Judgement::Done,
    ];

    /// The judgement as `status = "…"` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::NotStarted => "not-started",
            Judgement::InProgress => "in-progress",
            Judgement::OnTrack => "on-track",
            Judgement::NeedsAttention => "needs-attention",
            Judgement::AtRisk => "at-risk",
            Judgement::OffTrack => "off-track",
            Judgement::Blocked => "blocked",
            Judgement::Done => "done",
        }
    }

    /// The judgement in words: `needs attention`.
    pub fn label(self) -> &'static str {
        match self {
            Judgement::NotStarted => "not started",
            Judgement::InProgress => "in progress",
            Judgement::OnTrack => "on track",
            Judgement::NeedsAttention => "needs attention",
            Judgement::AtRisk => "at risk",
            Judgement::OffTrack => "off track",
            Judgement::Blocked => "blocked",
            Judgement::Done => "done",
        }
    }
}

/// How an objective or a key result is graded: committed ones are
/// expected in full, aspirational ones at 0.6–0.7. A learning key result is
/// an experiment: it is graded as an aspirational one but, since what it
/// teaches is its outcome, it does not count toward its objective's score
/// (only a key result may be one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Commitment {
    Committed,
    #[default]
    Aspirational,
    Learning,
}

impl Commitment {
    /// The commitments an objective may have.
    pub const OF_OBJECTIVES: [Commitment; 2] = [Commitment::Committed, Commitment::Aspirational];
    /// The commitments a key result may have.
    pub const OF_KEY_RESULTS: [Commitment; 3] = [
        Commitment::Committed,
        Commitment::Aspirational,
        Commitment::Learning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::Committed => "committed",
            Commitment::Aspirational => "aspirational",
            Commitment::Learning => "learning",
        }
    }
}

/// How a KPI rolled up from others combines their values on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rollup {
    Sum,
    Mean,
}

impl Rollup {
    pub const ALL: [Rollup; 2] = [Rollup::Sum, Rollup::Mean];

    pub fn as_str(self) -> &'static str {
        match self {
            Rollup::Sum => "sum",
            Rollup::Mean => "mean",
        }
    }

    /// The values combined: their sum or their mean.
    pub fn combine(self, values: &[f64]) -> f64 {
        let sum: f64 = values.iter().sum();
        match self {
            Rollup::Sum => sum,
            Rollup::Mean => sum / values.len().max(1) as f64,
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
    /// Days after a period's end in which a score checked in is its final
    /// grade rather than a late check-in: grading happens after the
    /// deadline.
    pub window_days: i32,
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
            window_days: 14,
        }
    }
}

impl Grading {
    pub fn of(&self, commitment: Commitment) -> Thresholds {
        match commitment {
            Commitment::Committed => self.committed,
            Commitment::Aspirational | Commitment::Learning => self.aspirational,
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
    Fortnightly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Fortnightly => "fortnightly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Yearly => "yearly",
        }
    }

    /// Days after which a measurement is stale.
    pub fn days(self) -> i32 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Fortnightly => 14,
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
