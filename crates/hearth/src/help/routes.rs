//! `/help`: crisis lines for the visitor's region, public and always one
//! click away; and the same data in the API.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Region, RegionView};
use crate::AppState;
use crate::web::error::ErrorBody;
use crate::web::render::{Shell, html};
use crate::web::{AppError, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/help", get(help_page))
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(crisis_resources))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegionQuery {
    /// Two-letter region code, e.g. `US`. Defaults to the account's region,
    /// then the browser's, then the server's default.
    region: Option<String>,
}

/// The region to show: asked for, else the account's, else the browser's, else the default.
pub(crate) fn pick_region<'a>(state: &'a AppState, ctx: &Ctx, asked: Option<&str>) -> &'a Region {
    let account_region = ctx.user.as_ref().and_then(|u| u.account.region.as_deref());
    state.crisis.pick(
        [asked, account_region, ctx.accept_region.as_deref()]
            .into_iter()
            .flatten(),
    )
}

#[derive(Template)]
#[template(path = "help/help.html")]
struct HelpPage {
    s: Shell,
    region: RegionView,
    regions: Vec<(String, String)>,
    emergency_line: String,
    lines_title: String,
}

async fn help_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegionQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr();
    let region = pick_region(&state, &ctx, q.region.as_deref());
    let view = state.crisis.view(region, ctx.lang);
    html(&HelpPage {
        s: Shell::new(&state, &ctx, tr.t("help-title")),
        emergency_line: tr.t_args("help-emergency", &[("number", view.emergency.clone())]),
        lines_title: tr.t_args("help-lines-title", &[("region", view.name.clone())]),
        regions: state.crisis.choices(ctx.lang),
        region: view,
    })
}

/// Crisis lines for a region, in the request's language.
#[utoipa::path(get, path = "/api/v1/crisis-resources", tag = "help",
    params(RegionQuery),
    responses(
        (status = 200, description = "The region's crisis lines", body = RegionView),
        (status = 400, description = "Malformed request", body = ErrorBody),
    ))]
async fn crisis_resources(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RegionQuery>,
) -> Json<RegionView> {
    let region = pick_region(&state, &ctx, q.region.as_deref());
    Json(state.crisis.view(region, ctx.lang))
}
