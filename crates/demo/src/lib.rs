//! ronghe-demo: the demonstration data and the synthetic data generators.
//!
//! - [`load`]: the demo's two invented Party bodies, members and accounts ([`load_base`]),
//!   then their 2026 plans and a year of meetings ([`plans`]), a generated 2025 year and the
//!   committees' evaluations of both years ([`evaluation`]), the brands and cases of the
//!   library ([`library`]), all through the store's
//!   public API, so every rule, history and audit entry applies;
//! - [`gen`]: a synthetic tree of organizations and members at county or provincial scale;
//! - [`gen_year`]: a synthetic year of plans, tasks and meetings for that tree;
//! - [`gen_cases`]: a synthetic corpus of case texts for the library's search benchmark.
//!
//! The generators write through the store's bulk writer ([`ronghe_store::bulk`]): they decide
//! what the rows say, the store owns the SQL that writes them. This crate speaks no SQL.

mod base;
pub mod evaluation;
pub mod gen;
pub mod gen_cases;
pub mod gen_year;
mod invent;
pub mod library;
pub mod plans;

pub use base::{load, load_base, DemoSummary, DEMO_PASSWORD};
