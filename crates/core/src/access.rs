//! Roles, permissions, and the scope each grant gives.
//!
//! Roles are granted on an organization and cover its subtree. The three administrators have
//! separated duties (三权分立): none of them can do the others' work.

use crate::scope::Scope;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 党委 / 党总支 (read and write over the subtree)
    Committee,
    /// 支部书记
    BranchSecretary,
    /// 党员 (self only)
    Member,
    /// 业务负责人
    BusinessLeader,
    /// 检查组 (read only)
    Inspector,
    /// 系统管理员
    SysAdmin,
    /// 安全管理员
    SecAdmin,
    /// 审计管理员
    AuditAdmin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Permission {
    ViewOrgs,
    EditOrgs,
    ViewMembers,
    EditMembers,
    /// See a full ID number or phone (audited).
    RevealPersonal,
    ManageAccounts,
    ManageSecurity,
    ReadAudit,
    /// Create plans, Party work items, links and tasks; deploy and summarize plans.
    EditPlans,
    /// State business goals and KPI targets, and enter KPI actuals.
    EditGoals,
    /// Define indicator templates for the subtree, run evaluations, enter manual values with
    /// a reason and confirm a run (a 党委 or 党总支 over the organizations below it).
    Evaluate,
    /// Open inspection rounds, record findings and verify rectifications (同步检查).
    Inspect,
    /// Write the organization's cases and brands and submit them for review (品牌化).
    WriteCases,
    /// Review, publish and take down the cases of the organizations below, move their brands'
    /// stages and add tags (the committee above).
    ReviewCases,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Self::Committee,
        Self::BranchSecretary,
        Self::Member,
        Self::BusinessLeader,
        Self::Inspector,
        Self::SysAdmin,
        Self::SecAdmin,
        Self::AuditAdmin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Committee => "committee",
            Self::BranchSecretary => "branch_secretary",
            Self::Member => "member",
            Self::BusinessLeader => "business_leader",
            Self::Inspector => "inspector",
            Self::SysAdmin => "sys_admin",
            Self::SecAdmin => "sec_admin",
            Self::AuditAdmin => "audit_admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Committee => "党委/党总支",
            Self::BranchSecretary => "支部书记",
            Self::Member => "党员",
            Self::BusinessLeader => "业务负责人",
            Self::Inspector => "检查组",
            Self::SysAdmin => "系统管理员",
            Self::SecAdmin => "安全管理员",
            Self::AuditAdmin => "审计管理员",
        }
    }

    /// Administrators are granted on the whole deployment, not on an organization.
    pub fn is_admin(self) -> bool {
        matches!(self, Self::SysAdmin | Self::SecAdmin | Self::AuditAdmin)
    }

    pub fn allows(self, perm: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Committee if matches!(perm, Evaluate | Inspect | ReviewCases) => true,
            Self::Inspector if perm == Inspect => true,
            Self::Committee | Self::BranchSecretary => matches!(
                perm,
                ViewOrgs
                    | EditOrgs
                    | ViewMembers
                    | EditMembers
                    | RevealPersonal
                    | EditPlans
                    | EditGoals
                    | WriteCases
            ),
            // The unit's business leader states the goals the Party work serves.
            Self::BusinessLeader => matches!(perm, ViewOrgs | ViewMembers | EditGoals),
            Self::Member | Self::Inspector => matches!(perm, ViewOrgs | ViewMembers),
            Self::SysAdmin => matches!(perm, ViewOrgs | EditOrgs | ViewMembers | ManageAccounts),
            Self::SecAdmin => perm == ManageSecurity,
            Self::AuditAdmin => perm == ReadAudit,
        }
    }
}

/// One role granted to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub role: Role,
    /// Path of the organization granted on; `None` means the whole deployment (administrators).
    pub org_path: Option<String>,
    /// For the member role: the member the account belongs to.
    pub member_id: Option<i64>,
}

/// The scope that a set of grants gives for one permission.
pub fn scope_for(grants: &[Grant], perm: Permission) -> Scope {
    let mut scope = Scope::none();
    for g in grants.iter().filter(|g| g.role.allows(perm)) {
        match (&g.org_path, g.role) {
            (None, _) => scope.all = true,
            (Some(path), Role::Member) => {
                // A member sees their own branch's page and their own record, nothing more.
                if perm == Permission::ViewOrgs {
                    scope.add_org(path);
                }
                if perm == Permission::ViewMembers {
                    scope.member_self = g.member_id;
                }
            }
            (Some(path), _) => scope.add_subtree(path),
        }
    }
    if scope.all {
        return Scope {
            member_self: scope.member_self,
            ..Scope::everything()
        };
    }
    scope
}

/// True when any grant allows `perm` anywhere.
pub fn has(grants: &[Grant], perm: Permission) -> bool {
    grants.iter().any(|g| g.role.allows(perm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: Option<&str>) -> Grant {
        Grant {
            role,
            org_path: path.map(str::to_string),
            member_id: Some(9),
        }
    }

    #[test]
    fn administrators_have_separated_duties() {
        use Permission::*;
        assert!(!Role::SysAdmin.allows(ReadAudit));
        assert!(!Role::SysAdmin.allows(ManageSecurity));
        assert!(!Role::SysAdmin.allows(RevealPersonal));
        assert!(!Role::AuditAdmin.allows(ViewOrgs) && !Role::AuditAdmin.allows(ManageAccounts));
        assert!(!Role::SecAdmin.allows(ViewMembers) && !Role::SecAdmin.allows(ReadAudit));
        assert!(Role::AuditAdmin.allows(ReadAudit) && Role::SecAdmin.allows(ManageSecurity));
    }

    #[test]
    fn member_sees_own_record_and_branch_only() {
        let g = [grant(Role::Member, Some("/1/2/"))];
        let members = scope_for(&g, Permission::ViewMembers);
        assert!(members.sees_member(9, "/1/2/"));
        assert!(!members.sees_member(10, "/1/2/"));
        let orgs = scope_for(&g, Permission::ViewOrgs);
        assert!(orgs.sees_org("/1/2/") && !orgs.sees_org("/1/2/3/") && !orgs.sees_org("/1/"));
        assert!(scope_for(&g, Permission::EditMembers).is_empty());
    }

    #[test]
    fn inspector_reads_but_never_writes() {
        let g = [grant(Role::Inspector, Some("/1/"))];
        assert!(scope_for(&g, Permission::ViewMembers).sees_members_of("/1/4/"));
        assert!(scope_for(&g, Permission::EditMembers).is_empty());
    }

    #[test]
    fn grants_union() {
        let g = [
            grant(Role::BranchSecretary, Some("/1/2/")),
            grant(Role::Committee, Some("/3/")),
        ];
        let s = scope_for(&g, Permission::EditMembers);
        assert_eq!(s.subtrees, vec!["/1/2/", "/3/"]);
        assert!(!s.sees_org("/1/"));
    }
}
