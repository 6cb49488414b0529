//! One module a page type: each builds its page's view and renders it.

mod body;
mod free;
mod home;
mod kpi;
mod listings;
mod objective;
mod period;
mod review;
mod team;
