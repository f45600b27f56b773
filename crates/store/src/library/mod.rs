//! 品牌化 in the database: brands and their stages, and the case library.

mod attachments;
mod brands;
mod bulk;
mod cases;
mod edits;
mod evidence;
mod lists;
mod search_rows;

pub use attachments::CaseFile;
pub use brands::{Brand, StageStep};
pub use bulk::CaseText;
pub use cases::{Case, CaseEvent, CaseOriginal};
pub use evidence::{GoalEvidence, KpiEvidence, LinkedItem};
pub use lists::{CaseChoices, CaseLine};
pub use search_rows::SearchRow;
