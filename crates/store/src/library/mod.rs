//! 品牌化 in the database: brands and their stages, and the case library.

mod brands;
mod cases;
mod search_rows;

pub use brands::{Brand, StageStep};
pub use cases::{Case, CaseEvent, CaseOriginal};
pub use search_rows::SearchRow;
