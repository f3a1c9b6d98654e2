//! The JSON API: every `/api/v1` route is registered through
//! `utoipa-axum`, so the OpenAPI document is generated from the same code
//! that routes requests.

use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::web::error::{ErrorBody, ErrorDetail};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Hearth API", description = "Online mental-health support groups. Authenticate with a bearer token from `POST /api/v1/sessions`."),
    modifiers(&BearerAuth),
    components(schemas(ErrorBody, ErrorDetail)),
)]
struct ApiDoc;

/// Answers any route may give whatever its own list says, added to the
/// document wherever that list does not name them:
/// - 400 (a path, query or body that does not parse), and 413 where there
///   is a body;
/// - 401 where a session is required (the route's security names one);
/// - 403 and 429 for every write: a write from another site is refused,
///   and every write counts against the member's and the address's limits.
fn document_common_answers(doc: &mut OpenApiDoc) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    use axum::http::Method;
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            (Method::GET, &mut item.get),
            (Method::POST, &mut item.post),
            (Method::PUT, &mut item.put),
            (Method::PATCH, &mut item.patch),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, op) in ops {
            let writes = method != Method::GET;
            let Some(op) = op.as_mut() else { continue };
            let needs_session = op
                .security
                .as_ref()
                .is_some_and(|s| !s.is_empty() && !s.iter().any(|r| *r == Default::default()));
            let responses = &mut op.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.into())
                    .or_insert_with(|| error(description));
            };
            if op.request_body.is_some() {
                add("413", "The body is larger than the server accepts");
            }
            add("400", "A path, query or body that does not parse");
            if needs_session {
                add(
                    "401",
                    "No session, or it ended: log in (POST /api/v1/sessions) and send its token",
                );
            }
            if writes {
                add(
                    "403",
                    "Not allowed: this account may not do this here, or the request came from another site",
                );
            }
            if writes && !crate::web::middleware::never_throttled(&method, path) {
                add(
                    "429",
                    "Too many writes from this account or address for now: wait (Retry-After) and send it again",
                );
            }
        }
    }
}

/// Every API route, and the document describing them.
pub fn router() -> (axum::Router<AppState>, OpenApiDoc) {
    let (router, mut doc) = routes();
    document_common_answers(&mut doc);
    (router, doc)
}

fn routes() -> (axum::Router<AppState>, OpenApiDoc) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::api::router())
        .merge(crate::help::routes::api_router())
        .merge(crate::groups::api::router())
        .merge(crate::forum::api::router())
        .merge(crate::meetings::api::router())
        .merge(crate::wellness::api::router())
        .merge(crate::export::api_router())
        .merge(crate::notifications::api::router())
        .merge(crate::live::api::router())
        .merge(crate::safety::api::router())
        .merge(crate::moderation::api::router())
        .merge(crate::moderation::dynamics::api_router())
        .merge(crate::moderation::blocks::api_router())
        .merge(crate::admin::api::router())
        .split_for_parts()
}
