//! 胸中有数: the unit's business goals and their KPI status at a glance, for a part-time
//! secretary who must know the main business work and its current focus.

use super::view::{picture, GoalCard};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use ronghe_core::access::Permission;
use ronghe_core::scope::Scope;
use ronghe_store::Plan;

pub fn router() -> Router<AppState> {
    Router::new().route("/glance", get(show))
}

pub struct PlanGlance {
    pub plan: Plan,
    pub goals: Vec<GoalCard>,
    pub own: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "glance.html")]
struct GlancePage {
    layout: Layout,
    year: i64,
    plans: Vec<PlanGlance>,
}

async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<GlancePage, AppError> {
    let today = ronghe_store::today();
    let year = i64::from(chrono::Datelike::year(&today));
    let scope = user.scope(Permission::ViewOrgs);
    let mut plans = Vec::new();
    // The unit's goals first (plans of the organizations above), then the user's own.
    let above = state.store.ancestor_plans(&scope, year).await?;
    let own = state.store.plan_list(&scope, Some(year), None).await?;
    for (plan, is_own) in above
        .into_iter()
        .map(|p| (p, false))
        .chain(own.into_iter().take(12).map(|p| (p, true)))
    {
        // Ancestor plans are read with a scope of exactly that plan's organization.
        let mut one = Scope::none();
        one.add_org(&plan.org_path);
        let read = if is_own { scope.clone() } else { one };
        let v = state.store.plan_view_latest(&read, plan.id).await?;
        let goals = picture(&v, today).goals;
        plans.push(PlanGlance {
            plan,
            goals,
            own: is_own,
        });
    }
    Ok(GlancePage {
        layout: Layout::new(&user, "胸中有数", "/glance"),
        year,
        plans,
    })
}
