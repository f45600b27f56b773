//! Organization paths and the reach of an account.
//!
//! Every organization stores its materialized path, e.g. `/1/5/23/` (ids from the root down).
//! A subtree is then a half-open string range, which both SQLite and PostgreSQL answer from a
//! plain b-tree index, so a scope check costs one index range scan even for a province.

use serde::Serialize;

/// The path of a child organization under `parent_path` (or a root when `None`).
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{}/", parent_path.unwrap_or("/"), id)
}

/// True when `path` lies in the subtree rooted at `root` (the root itself included).
pub fn is_within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// The half-open range `[lo, hi)` of paths in the subtree rooted at `root`.
///
/// Paths end with '/', and the byte after '/' is '0', so every path that starts with `root`
/// sorts before `root` with its final '/' replaced by '0', and nothing else does.
pub fn subtree_range(root: &str) -> (String, String) {
    debug_assert!(root.ends_with('/'));
    let mut hi = root[..root.len() - 1].to_string();
    hi.push('0');
    (root.to_string(), hi)
}

/// The ids on a path, root first.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// Depth of a path: 1 for a root organization.
pub fn depth(path: &str) -> usize {
    path_ids(path).len()
}

/// What part of the deployment an account may see for one permission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The whole deployment.
    pub all: bool,
    /// Roots of whole subtrees (minimal: none lies inside another).
    pub subtrees: Vec<String>,
    /// Single organizations seen without their subtree (a member sees their own branch).
    pub orgs: Vec<String>,
    /// A member who may see only their own record.
    pub member_self: Option<i64>,
}

impl Scope {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn everything() -> Self {
        Self {
            all: true,
            ..Self::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.all && self.subtrees.is_empty() && self.orgs.is_empty() && self.member_self.is_none()
    }

    /// Adds a subtree, keeping the list minimal.
    pub fn add_subtree(&mut self, root: &str) {
        if self.subtrees.iter().any(|r| is_within(root, r)) {
            return;
        }
        self.subtrees.retain(|r| !is_within(r, root));
        self.subtrees.push(root.to_string());
        self.subtrees.sort();
    }

    pub fn add_org(&mut self, path: &str) {
        if !self.orgs.iter().any(|p| p == path) {
            self.orgs.push(path.to_string());
        }
    }

    /// May this scope see the organization at `path`?
    pub fn sees_org(&self, path: &str) -> bool {
        self.all
            || self.subtrees.iter().any(|r| is_within(path, r))
            || self.orgs.iter().any(|p| p == path)
    }

    /// May this scope see every member of the organization at `path`?
    /// A self-only scope sees just the one member, checked with [`Scope::sees_member`].
    pub fn sees_members_of(&self, path: &str) -> bool {
        self.all || self.subtrees.iter().any(|r| is_within(path, r))
    }

    pub fn sees_member(&self, member_id: i64, org_path: &str) -> bool {
        self.sees_members_of(org_path) || self.member_self == Some(member_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn range_bounds_the_subtree() {
        let (lo, hi) = subtree_range("/1/5/");
        assert_eq!((lo.as_str(), hi.as_str()), ("/1/5/", "/1/50"));
        for inside in ["/1/5/", "/1/5/7/", "/1/5/99999/3/"] {
            assert!(inside >= lo.as_str() && inside < hi.as_str(), "{inside}");
        }
        for outside in ["/1/", "/1/50/", "/1/51/", "/1/4/", "/1/6/", "/2/5/"] {
            assert!(
                !(outside >= lo.as_str() && outside < hi.as_str()),
                "{outside}"
            );
        }
    }

    #[test]
    fn add_subtree_stays_minimal() {
        let mut s = Scope::none();
        s.add_subtree("/1/5/");
        s.add_subtree("/1/5/7/");
        assert_eq!(s.subtrees, vec!["/1/5/"]);
        s.add_subtree("/1/");
        assert_eq!(s.subtrees, vec!["/1/"]);
    }

    fn arb_path() -> impl Strategy<Value = String> {
        prop::collection::vec(1i64..200, 1..5).prop_map(|ids| {
            ids.iter()
                .fold(String::from("/"), |p, id| child_path(Some(&p), *id))
        })
    }

    proptest! {
        #[test]
        fn range_agrees_with_prefix(root in arb_path(), path in arb_path()) {
            let (lo, hi) = subtree_range(&root);
            let in_range = path.as_str() >= lo.as_str() && path.as_str() < hi.as_str();
            prop_assert_eq!(in_range, is_within(&path, &root));
        }

        #[test]
        fn child_is_within_parent(parent in arb_path(), id in 1i64..10_000) {
            let child = child_path(Some(&parent), id);
            prop_assert!(is_within(&child, &parent));
            prop_assert_eq!(depth(&child), depth(&parent) + 1);
        }
    }
}
