//! The JSON API: every `/api/v1` route is registered through
//! `utoipa-axum`, so the OpenAPI document is generated from the same code
//! that routes requests.

use serde::Serialize;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// `{"error": {"code": "...", "message": "...", "fields": {...}}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `validation`, `unauthorized`, `rate_limited`, …
    pub code: String,
    /// For people, in the request's language.
    pub message: String,
    /// For `validation`: what is wrong with each field.
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// For server errors: quote it when reporting a problem.
    pub request_id: Option<String>,
}

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

/// Any route can answer 400 (a path, query or body that does not parse),
/// and any route with a body 413; the document says so wherever a route's
/// own list does not.
fn document_malformed_requests(doc: &mut OpenApiDoc) {
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
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut op.responses.responses;
            if op.request_body.is_some() {
                responses
                    .entry("413".into())
                    .or_insert_with(|| error("The body is larger than the server accepts"));
            }
            responses
                .entry("400".into())
                .or_insert_with(|| error("A path, query or body that does not parse"));
        }
    }
}

/// Every API route, and the document describing them.
pub fn router() -> (axum::Router<AppState>, OpenApiDoc) {
    let (router, mut doc) = routes();
    document_malformed_requests(&mut doc);
    (router, doc)
}

fn routes() -> (axum::Router<AppState>, OpenApiDoc) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::api::router())
        .merge(crate::help::routes::api_router())
        .merge(crate::groups::api::router())
        .merge(crate::forum::api::router())
        .merge(crate::live::api::router())
        .merge(crate::safety::api::router())
        .merge(crate::safety::dynamics::api_router())
        .merge(crate::safety::blocks::api_router())
        .split_for_parts()
}
