//! 品牌化 in the database: brands and their stages, and the case library.

mod brands;
mod cases;

pub use brands::{Brand, StageStep};
pub use cases::{Case, CaseEvent, CaseOriginal};
