//! Typed positions in the [`Site`](super::Site) vectors.
//!
//! Relations inside the model are these indices, so a team can never be
//! looked up among objectives; string ids appear only where documents name
//! each other (the loaded documents) and where the site is written out.

use serde::Serialize;

use super::{Kpi, Objective, Page, Team};
use crate::period::Period;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident => $item:ty) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub usize);

        impl std::ops::Index<$name> for Vec<$item> {
            type Output = $item;
            fn index(&self, index: $name) -> &$item {
                &self[index.0]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, index: $name) -> &mut $item {
                &mut self[index.0]
            }
        }

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl $name {
            /// Every index of a vector of `len` elements.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $name> {
                (0..len).map($name)
            }
        }
    };
}

index_type!(
    /// A team's position in [`Site::teams`](super::Site::teams).
    TeamIx => Team
);
index_type!(
    /// An objective's position in [`Site::objectives`](super::Site::objectives).
    ObjectiveIx => Objective
);
index_type!(
    /// A KPI's position in [`Site::kpis`](super::Site::kpis).
    KpiIx => Kpi
);
index_type!(
    /// A page's position in [`Site::pages`](super::Site::pages).
    PageIx => Page
);
index_type!(
    /// A period's position in [`Site::periods`](super::Site::periods).
    PeriodIx => Period
);

/// A key result: its objective and its position among the objective's key
/// results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct KeyResultIx {
    pub objective: ObjectiveIx,
    pub key_result: usize,
}
