//! okra turns a git repository of Markdown OKRs and KPIs into a validated,
//! scored model and a static site.
//!
//! The pipeline, one module a stage:
//! [`load`] (walk and front matter) → [`model`] (resolve ids into a graph) →
//! [`score`] (progress, pacing, status) → [`validate`] (cross-document rules
//! and lints) → [`search`] and [`render`] (the index, the pages) →
//! [`write`] (the sink and the atomic output). [`check`] runs the first
//! four and hands back the [`model::Site`] with its
//! [`diagnostic::Diagnostic`]s; [`build()`] goes on to write the site. Both
//! live in `pipeline`, with the privacy rule for diagnostics. Below the
//! stages sit [`text`], [`vocabulary`], [`source`], [`diagnostic`], [`date`],
//! [`period`], [`slug`] (ids), [`paths`] and [`markdown`] (one parse of a
//! body, which load, search and render share); the commands sit on top.

#![warn(unreachable_pub)]

pub mod author;
pub(crate) mod date;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub(crate) mod format;
pub(crate) mod generations;
pub mod init;
pub mod load;
pub mod lsp;
pub(crate) mod markdown;
pub mod model;
pub(crate) mod paths;
pub(crate) mod period;
mod pipeline;
pub mod render;
pub(crate) mod score;
pub(crate) mod search;
pub mod serve;
pub mod slug;
pub mod source;
pub(crate) mod text;
pub(crate) mod timing;
pub(crate) mod validate;
pub(crate) mod vocabulary;
pub mod write;

pub use date::Date;
pub use model::Site;
#[cfg(test)]
pub(crate) use pipeline::test_support::{check_test_site, random_texts};
pub use pipeline::{
    BuildOptions, Built, CheckOptions, Checked, add_history, build, check, check_files, check_with,
    render_into,
};
