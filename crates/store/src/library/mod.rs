//! 品牌化 in the database: brands and their stages, and (next) the case library.

mod brands;

pub use brands::{Brand, StageStep};
