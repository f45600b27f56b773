//! A case (典型经验 / 优秀成果): its form, its review workflow and who may read it.

use crate::scope::{is_within, path_ids, Scope};
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 60;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX: usize = 50_000;
pub const COMMENT_MAX: usize = 500;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 12;

/// The tags every deployment starts with; a committee may add its own.
pub const DEFAULT_TAGS: [&str; 8] = [
    "党建+教学",
    "党建+科研",
    "党建+计量",
    "党建+服务",
    "党建+监管",
    "党建+安全",
    "党建+治理",
    "党建+人才",
];

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    /// Awaiting the committee above.
    Submitted,
    /// Sent back with the reviewer's comments; the author edits and submits again.
    Returned,
    Published,
    /// Published, then taken down by the committee with a reason.
    TakenDown,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        Self::Draft,
        Self::Submitted,
        Self::Returned,
        Self::Published,
        Self::TakenDown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Published => "published",
            Self::TakenDown => "taken_down",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Submitted => "待审核",
            Self::Returned => "已退回",
            Self::Published => "已发布",
            Self::TakenDown => "已下架",
        }
    }

    /// The author may change the text: before review, or after it came back.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned | Self::TakenDown)
    }
}

/// How far a published case reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// The publishing committee's subtree.
    Subtree,
    /// Every organization of the deployment.
    All,
}

impl Reach {
    pub fn code(self) -> &'static str {
        match self {
            Self::Subtree => "subtree",
            Self::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Subtree, Self::All]
            .into_iter()
            .find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Subtree => "本级及下级组织",
            Self::All => "全平台",
        }
    }
}

/// What kind of case it is (a search filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 典型经验: how something was done, for others to learn from.
    #[default]
    Experience,
    /// 优秀成果: a result achieved (a project, an award, a service).
    Achievement,
}

impl CaseKind {
    pub const ALL: [CaseKind; 2] = [Self::Experience, Self::Achievement];

    pub fn code(self) -> &'static str {
        match self {
            Self::Experience => "experience",
            Self::Achievement => "achievement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Experience => "典型经验",
            Self::Achievement => "优秀成果",
        }
    }
}

/// A step of the workflow, by the author's organization or by the committee above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseAction {
    Submit,
    Publish(Reach),
    Return { comment: String },
    TakeDown { reason: String },
}

impl CaseAction {
    /// Whether the reviewing committee (not the author) takes this step.
    pub fn by_reviewer(&self) -> bool {
        !matches!(self, Self::Submit)
    }

    /// The status after this step from `from`, or the Chinese reason it cannot be taken.
    pub fn apply(&self, from: CaseStatus) -> Result<CaseStatus, FieldErrors> {
        let mut e = FieldErrors::new();
        let to = match (self, from) {
            (Self::Submit, CaseStatus::Draft | CaseStatus::Returned | CaseStatus::TakenDown) => {
                Some(CaseStatus::Submitted)
            }
            (Self::Publish(_), CaseStatus::Submitted) => Some(CaseStatus::Published),
            (Self::Return { comment }, CaseStatus::Submitted) => e
                .check("comment", text::long_text("退回意见", comment, COMMENT_MAX))
                .flatten()
                .map(|_| CaseStatus::Returned)
                .or_else(|| {
                    if e.is_empty() {
                        e.add("comment", "请写明退回意见，作者据此修改");
                    }
                    None
                }),
            (Self::TakeDown { reason }, CaseStatus::Published) => e
                .check("reason", text::long_text("下架理由", reason, COMMENT_MAX))
                .flatten()
                .map(|_| CaseStatus::TakenDown)
                .or_else(|| {
                    if e.is_empty() {
                        e.add("reason", "请写明下架理由，作者会看到");
                    }
                    None
                }),
            (action, from) => {
                let what = match action {
                    Self::Submit => "提交审核",
                    Self::Publish(_) => "发布",
                    Self::Return { .. } => "退回",
                    Self::TakeDown { .. } => "下架",
                };
                e.add(
                    "status",
                    format!("案例当前为“{}”，不能{what}", from.label()),
                );
                None
            }
        };
        e.into_result()?;
        to.ok_or_else(FieldErrors::new)
    }
}

/// What the author's organization enters. Authors are members of the organization.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseForm {
    pub kind: CaseKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
    pub author_ids: Vec<i64>,
    pub brand_id: Option<i64>,
    pub goal_ids: Vec<i64>,
    pub item_ids: Vec<i64>,
}

impl CaseForm {
    /// The form cleaned against the deployment's tags, or each field's message.
    pub fn validate(&self, known_tags: &[String]) -> Result<CaseForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", text::required("标题", &self.title, TITLE_MAX));
        let summary = e.check(
            "summary",
            text::long_text("摘要", &self.summary, SUMMARY_MAX),
        );
        let body = e.check("body", text::long_text("正文", &self.body, BODY_MAX));
        if matches!(body, Some(None)) {
            e.add("body", "请填写正文，或上传 Word 文档自动生成");
        }
        let mut tags: Vec<String> = Vec::new();
        for t in &self.tags {
            let t = t.trim();
            if t.is_empty() || tags.iter().any(|x| x == t) {
                continue;
            }
            if !known_tags.iter().any(|k| k == t) {
                e.add("tags", format!("没有“{t}”这个标签，请从列表中选择"));
            }
            tags.push(t.to_string());
        }
        if tags.len() > TAGS_MAX {
            e.add("tags", format!("最多选择 {TAGS_MAX} 个标签"));
        }
        let dedup = |v: &[i64]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        let (author_ids, goal_ids, item_ids) = (
            dedup(&self.author_ids),
            dedup(&self.goal_ids),
            dedup(&self.item_ids),
        );
        if author_ids.len() > 20 {
            e.add("author_ids", "作者最多 20 人");
        }
        e.into_result()?;
        Ok(CaseForm {
            kind: self.kind,
            title: title.unwrap_or_default(),
            summary: summary.flatten().unwrap_or_default(),
            body: body.flatten().unwrap_or_default(),
            tags,
            author_ids,
            brand_id: self.brand_id,
            goal_ids,
            item_ids,
        })
    }
}

/// A new tag a committee adds: short, and shaped like the others when it names a field.
pub fn check_tag(tag: &str) -> Result<String, String> {
    text::required("标签", tag, TAG_MAX)
}

/// The document number the case page shows: 案例 number of its year, e.g. `DJAL-2026-000123`.
pub fn case_number(year: i32, id: i64) -> String {
    format!("DJAL-{year:04}-{id:06}")
}

/// Who asks to read: what their account sees, and the organization they belong to.
#[derive(Debug, Clone)]
pub struct ReadContext<'a> {
    pub scope: &'a Scope,
    /// The organization of the reader's own membership, if any.
    pub home: Option<&'a str>,
}

impl ReadContext<'_> {
    /// The committees whose subtree-wide publications this reader sees: each organization
    /// above (and at) their own, and above each subtree their account oversees.
    pub fn publishers(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.home.map(path_ids).unwrap_or_default();
        for s in &self.scope.subtrees {
            ids.extend(path_ids(s));
        }
        for o in &self.scope.orgs {
            ids.extend(path_ids(o));
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Whether `ctx` may open a case of `status` written at `author_path`, published (when it
/// is) by the committee at `publisher_path` with `reach`. The author's organization and the
/// committees above see every state; others see a published case within its reach.
pub fn can_read(
    status: CaseStatus,
    reach: Option<Reach>,
    author_path: &str,
    publisher_path: Option<&str>,
    ctx: &ReadContext,
) -> bool {
    if ctx.scope.sees_org(author_path) {
        return true;
    }
    if status != CaseStatus::Published {
        return false;
    }
    match (reach, publisher_path) {
        (Some(Reach::All), _) => true,
        (Some(Reach::Subtree), Some(p)) => {
            ctx.home.is_some_and(|h| is_within(h, p)) || ctx.publishers().contains(&last_id(p))
        }
        _ => false,
    }
}

/// The committee of `scope` that acts on a case (or brand) of the organization at `path`:
/// the nearest one strictly above it (an organization does not review itself). A
/// deployment-wide scope acts through the organization directly above.
pub fn reviewing_org(scope: &Scope, path: &str) -> Option<i64> {
    if scope.all {
        return path_ids(path).iter().rev().nth(1).copied();
    }
    scope
        .subtrees
        .iter()
        .filter(|r| r.as_str() != path && is_within(path, r))
        .max_by_key(|r| r.len())
        .and_then(|r| path_ids(r).last().copied())
}

fn last_id(path: &str) -> i64 {
    path_ids(path).last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn the_nearest_committee_above_reviews() {
        let mut top = Scope::none();
        top.add_subtree("/1/");
        assert_eq!(reviewing_org(&top, "/1/3/4/"), Some(1));
        let mut near = top.clone();
        near.subtrees.push("/1/3/".into());
        assert_eq!(reviewing_org(&near, "/1/3/4/"), Some(3));
        let mut own = Scope::none();
        own.add_subtree("/1/3/4/");
        assert_eq!(reviewing_org(&own, "/1/3/4/"), None);
        let mut other = Scope::none();
        other.add_subtree("/7/");
        assert_eq!(reviewing_org(&other, "/1/3/4/"), None);
        assert_eq!(reviewing_org(&Scope::everything(), "/1/3/4/"), Some(3));
        assert_eq!(reviewing_org(&Scope::everything(), "/1/"), None);
    }

    #[test]
    fn the_workflow_goes_through_review_and_says_why_not() {
        assert_eq!(CaseAction::Submit.apply(Draft).unwrap(), Submitted);
        assert_eq!(
            CaseAction::Publish(Reach::All).apply(Submitted).unwrap(),
            Published
        );
        let back = CaseAction::Return {
            comment: "请补充成效数据".into(),
        };
        assert_eq!(back.apply(Submitted).unwrap(), Returned);
        assert_eq!(CaseAction::Submit.apply(Returned).unwrap(), Submitted);
        let down = CaseAction::TakeDown {
            reason: "涉及内部数据".into(),
        };
        assert_eq!(down.apply(Published).unwrap(), TakenDown);
        assert_eq!(CaseAction::Submit.apply(TakenDown).unwrap(), Submitted);
        // Without a comment or reason: refused at the field.
        let e = CaseAction::Return {
            comment: " ".into(),
        }
        .apply(Submitted)
        .unwrap_err();
        assert_eq!(e.get("comment"), Some("请写明退回意见，作者据此修改"));
        let e = CaseAction::TakeDown { reason: "".into() }
            .apply(Published)
            .unwrap_err();
        assert_eq!(e.get("reason"), Some("请写明下架理由，作者会看到"));
        // Out of order.
        let e = CaseAction::Publish(Reach::Subtree)
            .apply(Draft)
            .unwrap_err();
        assert_eq!(e.get("status"), Some("案例当前为“草稿”，不能发布"));
        assert!(CaseAction::Submit.apply(Published).is_err());
        assert!(CaseAction::Submit.apply(Submitted).is_err());
        assert!(!CaseAction::Submit.by_reviewer());
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn a_case_form_takes_known_tags_once() {
        let known: Vec<String> = DEFAULT_TAGS.iter().map(|t| t.to_string()).collect();
        let f = CaseForm {
            title: "计量先锋岗".into(),
            body: "正文\r\n第二段".into(),
            tags: vec!["党建+计量".into(), " 党建+计量".into()],
            author_ids: vec![2, 1, 2],
            ..Default::default()
        }
        .validate(&known)
        .unwrap();
        assert_eq!(f.tags, vec!["党建+计量"]);
        assert_eq!(f.body, "正文\n第二段");
        assert_eq!(f.author_ids, vec![1, 2]);
        let e = CaseForm {
            title: "".into(),
            tags: vec!["随便".into()],
            ..Default::default()
        }
        .validate(&known)
        .unwrap_err();
        assert!(e.get("title").is_some());
        assert_eq!(e.get("tags"), Some("没有“随便”这个标签，请从列表中选择"));
        assert_eq!(e.get("body"), Some("请填写正文，或上传 Word 文档自动生成"));
        assert_eq!(case_number(2026, 123), "DJAL-2026-000123");
    }

    #[test]
    fn who_reads_a_case() {
        // 机关党委 /1/, its branches /1/4/ and /1/6/; another city /12/.
        let author = "/1/4/";
        let mut own = Scope::none();
        own.add_org("/1/4/");
        let mut committee = Scope::none();
        committee.add_subtree("/1/");
        let mut sibling = Scope::none();
        sibling.add_org("/1/6/");
        let member_elsewhere = Scope::none();
        let ctx = |s, h| ReadContext { scope: s, home: h };
        // A draft: the author's branch and the committee above, nobody else.
        assert!(can_read(
            Draft,
            None,
            author,
            None,
            &ctx(&own, Some("/1/4/"))
        ));
        assert!(can_read(
            Submitted,
            None,
            author,
            None,
            &ctx(&committee, None)
        ));
        assert!(!can_read(
            Submitted,
            None,
            author,
            None,
            &ctx(&sibling, Some("/1/6/"))
        ));
        // Published to the committee's subtree: the sibling branch and its members read it.
        let p = Some("/1/");
        assert!(can_read(
            Published,
            Some(Reach::Subtree),
            author,
            p,
            &ctx(&sibling, Some("/1/6/"))
        ));
        assert!(can_read(
            Published,
            Some(Reach::Subtree),
            author,
            p,
            &ctx(&member_elsewhere, Some("/1/6/"))
        ));
        assert!(!can_read(
            Published,
            Some(Reach::Subtree),
            author,
            p,
            &ctx(&member_elsewhere, Some("/12/3/"))
        ));
        assert!(can_read(
            Published,
            Some(Reach::All),
            author,
            p,
            &ctx(&member_elsewhere, Some("/12/3/"))
        ));
        // Taken down: back to the author's side only.
        assert!(!can_read(
            TakenDown,
            Some(Reach::All),
            author,
            p,
            &ctx(&sibling, Some("/1/6/"))
        ));
        assert_eq!(ctx(&sibling, Some("/1/6/")).publishers(), vec![1, 6]);
    }
}
