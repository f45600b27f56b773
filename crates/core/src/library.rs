//! 品牌化: Party-building brands (党建品牌) and the case library of typical experiences
//! (典型经验). A brand grows 培育 → 创建 → 命名, each step taken by the committee above. A case
//! is written by an organization, submitted, reviewed by the committee above and published to
//! that committee's subtree or to the whole deployment, or returned with the reviewer's
//! comments; a reader may report a published case, and the committee may take it down with a
//! reason the author sees. Nothing here counts readers: no view is evidence of anything.

pub mod brand;
pub mod case;
mod query;

pub use brand::{BrandForm, BrandStage, StageMove};
pub use case::{
    can_read, case_number, check_tag, reviewing_org, CaseAction, CaseForm, CaseKind, CaseStatus,
    Reach, ReadContext, DEFAULT_TAGS,
};
pub use query::{clean_query, QUERY_MAX};
