//! Write checks shared by the pages and the JSON API, so both refuse the same things and
//! audit them the same way.

use crate::auth::CurrentUser;
use crate::state::AppState;
use ronghe_core::access::Permission;
use ronghe_store::{Plan, StoreError, Task};

/// A task the user may change (those who edit its plan): `NotFound` when they cannot see it,
/// `Forbidden` (audited) when they see it but may not change it.
pub async fn task_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(Task, Plan), StoreError> {
    let (task, plan) = state
        .store
        .task_get(&user.scope(Permission::ViewOrgs), id)
        .await?;
    if !user
        .scope(Permission::EditPlans)
        .sees_members_of(&plan.org_path)
    {
        state
            .store
            .audit_event(
                &user.actor(),
                "denied",
                &format!("task:{id}"),
                "denied",
                "无权修改或删除该计划的任务",
            )
            .await;
        return Err(StoreError::Forbidden);
    }
    Ok((task, plan))
}
