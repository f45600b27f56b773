//! ronghe-core: every domain rule of ronghe as plain functions and types.
//!
//! No IO, no async, no SQL. The store and the web call these functions; every number the UI
//! shows can be recomputed from plain inputs here, and comes with its explanation.

pub mod access;
pub mod attachment;
pub mod compliance;
pub mod evaluation;
pub mod forms;
pub mod idnum;
pub mod inspection;
pub mod integration;
pub mod library;
pub mod meeting;
pub mod member;
pub mod org;
pub mod password;
pub mod phone;
pub mod plan;
pub mod scope;
pub mod text;

pub use chrono::NaiveDate as Date;
