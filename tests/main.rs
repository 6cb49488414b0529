//! okra's integration tests, in one test binary so that the crate and its
//! dependencies are linked once. Each module is one surface of okra, named
//! as the tests name it (`serve::…`, `diff::…`).

mod common;

mod attacks;
mod author;
mod build;
mod ci_recipes;
mod cli;
mod diagnostics;
mod diff;
mod faults;
mod fuzz;
mod history;
mod hostile;
mod html_quality;
mod incremental;
mod layers;
mod lsp;
mod model;
mod output;
mod real;
mod robustness;
mod search;
mod serve;
mod sources;
