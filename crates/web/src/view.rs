//! The page frame every template extends, and small display helpers.

use crate::auth::CurrentUser;
use askama::Template;
use askama_web::WebTemplate;
use ronghe_core::access::Permission;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What the frame (base.html) shows around a page.
pub struct Layout {
    pub title: String,
    pub user_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub csrf: String,
}

impl Layout {
    pub fn new(user: &CurrentUser, title: impl Into<String>, active: &str) -> Self {
        let mut nav = vec![NavItem {
            href: "/",
            label: "首页",
            active: active == "/",
        }];
        let items: [(&str, &str, Permission); 10] = [
            ("/glance", "胸中有数", Permission::ViewOrgs),
            ("/plans", "工作计划", Permission::ViewOrgs),
            ("/library", "案例库", Permission::ViewOrgs),
            ("/orgs", "组织", Permission::ViewOrgs),
            ("/members", "党员", Permission::ViewMembers),
            ("/evaluation", "考核评价", Permission::Evaluate),
            ("/admin/accounts", "账号管理", Permission::ManageAccounts),
            (
                "/admin/compliance",
                "组织生活规则",
                Permission::ManageAccounts,
            ),
            ("/admin/security", "安全策略", Permission::ManageSecurity),
            ("/admin/audit", "审计日志", Permission::ReadAudit),
        ];
        for (href, label, perm) in items {
            if user.can(perm) {
                nav.push(NavItem {
                    href,
                    label,
                    active: active == href,
                });
            }
        }
        Layout {
            title: title.into(),
            user_name: Some(user.account().display_name.clone()),
            nav,
            csrf: user.csrf().to_string(),
        }
    }

    /// The frame for pages shown before login.
    pub fn anonymous(title: impl Into<String>, csrf: String) -> Self {
        Layout {
            title: title.into(),
            user_name: None,
            nav: Vec::new(),
            csrf,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: &'static str,
    pub message: String,
}

/// A stored millisecond time as the pages show it (templates pass arguments by reference).
pub fn when(ms: &i64) -> String {
    ronghe_store::fmt_ms(*ms)
}

pub fn when_opt(ms: &Option<i64>) -> String {
    ms.map(ronghe_store::fmt_ms).unwrap_or_default()
}
