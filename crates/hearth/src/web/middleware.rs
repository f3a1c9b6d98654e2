//! Middleware, outermost first: request id and logging, security headers,
//! the request context (session, language, CSRF cookie), error rendering,
//! and the CSRF guard on state-changing requests.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use subtle::ConstantTimeEq;
use tracing::Instrument;

use super::ctx::{AuthVia, Badges, Ctx, CurrentUser, RequestId};
use super::error::{AppError, ErrorInfo};
use super::i18n::Lang;
use super::render;
use crate::AppState;
use crate::accounts::sessions;
use crate::secret::{hex, random_bytes};

/// Gives each request an id, logs its method, path, status and duration
/// (never its query, body, cookies or client address), and returns the id
/// in `X-Request-Id`.
pub async fn request_id_and_log(mut req: Request, next: Next) -> Response {
    let id = random_bytes::<6>()
        .map(|b| hex(&b))
        .unwrap_or_else(|_| "000000000000".into());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let metrics = crate::metrics::global();
    let route = if metrics.serving() {
        req.extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|m| m.as_str().to_owned())
    } else {
        None
    };
    // Paths are ours (routes and slugs); control characters are escaped so a
    // crafted path cannot forge log lines.
    let path: String = req.uri().path().escape_debug().take(200).collect();
    let span = tracing::info_span!("request", id = %id, %method, %path);
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let took = started.elapsed();
    metrics.request(route.as_deref(), method.as_str(), status, took);
    let ms = took.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, ms, "response");
        } else {
            tracing::info!(status, ms, "response");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// A strict CSP with no inline script or style, and the other headers every
/// response carries.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    // No page may use the camera or microphone, but a live session's room
    // (which says so itself).
    if !h.contains_key("permissions-policy") {
        h.insert("permissions-policy", HeaderValue::from_static(NO_DEVICES));
    }
    if state.settings.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// What pages may use: nothing of the visitor's devices.
const NO_DEVICES: &str = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
/// A live session's room: this site's own camera and microphone.
pub const ROOM_DEVICES: &str =
    "camera=(self), microphone=(self), geolocation=(), interest-cohort=()";

pub fn session_cookie_name(state: &AppState) -> &'static str {
    if state.settings.secure_cookies() {
        "__Host-session"
    } else {
        "hearth_session"
    }
}

pub fn csrf_cookie_name(state: &AppState) -> &'static str {
    if state.settings.secure_cookies() {
        "__Host-csrf"
    } else {
        "hearth_csrf"
    }
}

/// A cookie with the flags every Hearth cookie has.
pub fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(state.settings.secure_cookies());
    c
}

pub fn removal_cookie(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(state, name, String::new());
    c.make_removal();
    c
}

/// The client's address: the socket peer, or, when the operator says their
/// own proxy sets it, the right-most `X-Forwarded-For` entry: the address
/// that proxy saw. Entries further left are whatever the client sent, so
/// trusting them would let a client pick its own address and escape every
/// per-address limit. Used only for keyed, in-memory rate-limit counters;
/// never logged or stored.
pub fn client_ip(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<IpAddr> {
    if state.settings.trust_forwarded_for {
        // A proxy appends to the last header line (or adds one).
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        if last.is_some() {
            return last;
        }
    }
    peer.map(|p| p.ip())
}

/// Resolves the session, language and CSRF cookie, and puts a [`Ctx`] in the
/// request's extensions.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let accept_lang = Lang::negotiate(accept);
    let accept_region = Lang::region_hint(accept);
    let query_lang = req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::from_code)
    });

    // CSRF: a random cookie, and forms carry a keyed hash of it.
    let csrf_name = csrf_cookie_name(&state);
    let (csrf_cookie, new_csrf) = match jar.get(csrf_name).map(|c| c.value().to_owned()) {
        Some(v) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => (v, false),
        _ => match random_bytes::<32>() {
            Ok(b) => (hex(&b), true),
            Err(_) => return AppError::internal("random number generator failed").into_response(),
        },
    };
    let csrf = hex(&state.secret.mac("csrf", &[csrf_cookie.as_bytes()]));

    // Session: a bearer token (API clients) or the session cookie (browsers).
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| (t.trim().to_owned(), AuthVia::Bearer));
    let session_name = session_cookie_name(&state);
    let from_cookie = jar
        .get(session_name)
        .map(|c| (c.value().to_owned(), AuthVia::Cookie));
    let mut clear_session_cookie = false;
    let mut user = None;
    if let Some((token, via)) = bearer.or(from_cookie) {
        match sessions::authenticate(&state, &token, via).await {
            Ok(Some(found)) => {
                user = Some(CurrentUser {
                    account: found.account,
                    session_id: found.session_id,
                    via,
                    staff_waiting: found.staff_waiting,
                })
            }
            Ok(None) => clear_session_cookie = via == AuthVia::Cookie,
            Err(e) => {
                let ctx = Ctx {
                    lang: query_lang.or(accept_lang).unwrap_or(state.default_lang()),
                    lang_param: query_lang.is_some(),
                    user: None,
                    csrf,
                    request_id,
                    accept_region,
                    path: req.uri().path().to_owned(),
                    badges: Badges::default(),
                };
                let is_api = is_api_path(req.uri().path());
                return render::error_response(&state, &ctx, &e.info(), is_api);
            }
        }
    }

    // The site's name for the header, read again here once stale (a
    // failure keeps the default: the page still draws).
    if let Err(e) = crate::site::current(&state).await {
        tracing::warn!(error = %e, "site settings not read");
    }
    let account_lang = user
        .as_ref()
        .and_then(|u: &CurrentUser| u.account.language.as_deref())
        .and_then(Lang::from_code);
    // The header's counts, for pages only: an API call or a live
    // connection never pays for them.
    let path = req.uri().path();
    let badges = match &user {
        Some(u) if !is_api_path(path) && path != "/live" => {
            match crate::accounts::store::badges(&state.db, u.account.id).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "header counts not read");
                    Badges::default()
                }
            }
        }
        _ => Badges::default(),
    };
    let ctx = Ctx {
        lang: query_lang
            .or(account_lang)
            .or(accept_lang)
            .unwrap_or(state.default_lang()),
        lang_param: query_lang.is_some(),
        user,
        csrf,
        request_id,
        accept_region,
        path: req.uri().path().to_owned(),
        badges,
    };
    req.extensions_mut().insert(ctx);
    let mut response = next.run(req).await;

    let headers = response.headers_mut();
    if new_csrf
        && let Ok(v) = HeaderValue::from_str(&cookie(&state, csrf_name, csrf_cookie).to_string())
    {
        headers.append(header::SET_COOKIE, v);
    }
    if clear_session_cookie
        && !headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.as_bytes().starts_with(session_name.as_bytes()))
        && let Ok(v) = HeaderValue::from_str(&removal_cookie(&state, session_name).to_string())
    {
        headers.append(header::SET_COOKIE, v);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    response
}

pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Turns error responses (ours, and bare ones from routing or body limits)
/// into a JSON error for the API or a page in the visitor's language.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let is_api = is_api_path(req.uri().path());
    let response = next.run(req).await;
    let status = response.status();
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        // Bare statuses (routing, body limits) and axum's own plain-text
        // rejections (a path or query that does not parse) get our page or
        // JSON error too.
        None if (status.is_client_error() || status.is_server_error())
            && response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_none_or(|v| v.as_bytes().starts_with(b"text/plain")) =>
        {
            ErrorInfo::from_status(status)
        }
        None => return response,
    };
    let Some(ctx) = ctx else {
        return response;
    };
    let mut rendered = render::error_response(&state, &ctx, &info, is_api);
    // Keep cookies a failing handler set (e.g. clearing a session).
    for v in response.headers().get_all(header::SET_COOKIE) {
        rendered.headers_mut().append(header::SET_COOKIE, v.clone());
    }
    rendered
}

/// A request's body must arrive whole within `request_secs`: read here,
/// before anything else reads it, so a client sending a byte now and then
/// cannot hold a connection (and a handler) open. A body over the size
/// limit is refused here too. Requests without a body pass as they are.
pub async fn read_in_time(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use axum::body::HttpBody;
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let limits = &state.settings.limits;
    let (parts, body) = req.into_parts();
    let deadline = std::time::Duration::from_secs(limits.request_secs.max(1));
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, limits.max_body_bytes)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        // Too large, or the client went away mid-body.
        Ok(Err(_)) => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        Err(_) => {
            tracing::info!("request body not received in time");
            // The rest of the body may still be on its way: close.
            (
                StatusCode::REQUEST_TIMEOUT,
                [(header::CONNECTION, HeaderValue::from_static("close"))],
            )
                .into_response()
        }
    }
}

/// Refuses state-changing requests that did not come from our own pages.
///
/// Every POST/PUT/PATCH/DELETE must come from our origin (Fetch metadata
/// and Origin), and one made with the session cookie must carry the CSRF
/// token: in the `csrf` form field, or the `X-CSRF-Token` header for
/// scripts. Bearer-token requests carry no ambient authority and skip the
/// token check.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::CsrfRejected.into_response();
    };
    if !same_origin(&state, req.headers()) {
        tracing::info!("cross-site request refused");
        return AppError::CsrfRejected.into_response();
    }
    let via = ctx.user.as_ref().map(|u| u.via);
    if via == Some(AuthVia::Bearer) {
        return next.run(req).await;
    }
    if is_api_path(req.uri().path()) {
        // JSON bodies cannot be sent cross-site without a CORS preflight we
        // never grant, so anonymous API calls (register, log in) need no
        // token; cookie-authenticated ones must send it as a header.
        if via == Some(AuthVia::Cookie) {
            let sent = req
                .headers()
                .get("x-csrf-token")
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if !tokens_match(sent, ctx.csrf.as_bytes()) {
                return AppError::CsrfRejected.into_response();
            }
        }
        return next.run(req).await;
    }

    // An HTML form: read the (size-limited) body to find the token, then
    // hand the same bytes on to the handler.
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return AppError::CsrfRejected.into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, state.settings.limits.max_body_bytes).await
    {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if !tokens_match(sent.as_bytes(), ctx.csrf.as_bytes()) {
        tracing::info!("form without a valid CSRF token refused");
        return AppError::CsrfRejected.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Rate limits on every write (POST, PUT, PATCH, DELETE; pages and API),
/// per account and per client address, on top of the tighter limits on
/// logging in, registering and chat. Staff are exempt, and logging out or
/// ending a session is never refused. Keys are keyed hashes, kept in
/// memory only.
/// Writes no limit ever refuses: logging out, ending a session, and the
/// composer's check of a draft (read and forgotten).
pub fn never_throttled(method: &Method, path: &str) -> bool {
    path == "/logout"
        || path.starts_with("/account/sessions/")
        || (*method == Method::DELETE && path.starts_with("/api/v1/sessions"))
        || path == "/api/v1/crisis/check"
}

pub async fn write_throttle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if never_throttled(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let user = req.extensions().get::<Ctx>().and_then(|c| c.user.clone());
    if user.as_ref().is_some_and(|u| u.is_staff()) {
        return next.run(req).await;
    }
    let now = crate::db::now_ms();
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = client_ip(&state, req.headers(), peer);
    let limits = &state.limits;
    // The account first: a member over their own limit does not use up
    // what others at the same address may write.
    let checked = match &user {
        Some(u) => limits.writes_account.hit(
            state
                .secret
                .mac("writes-account", &[&u.account.id.to_be_bytes()]),
            now,
        ),
        None => Ok(()),
    }
    .and_then(|()| match client {
        // An unknown address is not one shared allowance for everyone.
        None => Ok(()),
        Some(_) => limits
            .writes_client
            .hit(client_key(&state, "writes-client", client), now),
    });
    let Err(l) = checked else {
        return next.run(req).await;
    };
    // Someone asking for help is never refused: over the limit, the
    // (size-limited) body is read, and writing the crisis detector finds
    // any risk in goes through.
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, state.settings.limits.max_body_bytes).await
    {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    if asks_for_help(&state, &bytes, is_form) {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    }
    tracing::info!("writes throttled");
    AppError::WritingTooFast {
        retry_after_secs: l.retry_after_secs,
    }
    .into_response()
}

/// Whether a request body's text (form fields, or JSON strings) shows any
/// risk to the crisis detector.
fn asks_for_help(state: &AppState, body: &[u8], is_form: bool) -> bool {
    let text = if is_form {
        form_urlencoded::parse(body)
            .map(|(_, v)| v.into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v) => {
                let mut out = Vec::new();
                strings(&v, &mut out);
                out.join("\n")
            }
            Err(_) => String::from_utf8_lossy(body).into_owned(),
        }
    };
    state.detector.assess(&text).asks_for_help()
}

fn strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The keyed hash a client address is counted under (IPv6 by /64, the
/// block one household usually gets).
pub fn client_key(state: &AppState, purpose: &str, client: Option<IpAddr>) -> [u8; 32] {
    let ip = match client {
        Some(IpAddr::V4(v4)) => v4.octets().to_vec(),
        Some(IpAddr::V6(v6)) => v6.octets()[..8].to_vec(),
        None => Vec::new(),
    };
    state.secret.mac(purpose, &[&ip])
}

/// The token as a page carries it: masked afresh for every page (a random
/// pad, then the token XOR the pad, in hex), so that compressed pages never
/// repeat the same secret bytes for a size-measuring attacker (BREACH).
pub fn mask_token(token_hex: &str) -> String {
    let (Some(token), Ok(pad)) = (
        crate::secret::decode_hex32(token_hex),
        crate::secret::random_bytes::<32>(),
    ) else {
        return token_hex.to_owned();
    };
    let mut out = pad.to_vec();
    out.extend(token.iter().zip(pad.iter()).map(|(t, p)| t ^ p));
    hex(&out)
}

/// A sent token, unmasked: 64 hex characters as they are, 128 as pad and
/// masked token.
fn unmask(sent: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(sent) else {
        return Vec::new();
    };
    if text.len() != 128 {
        return sent.to_vec();
    }
    match (
        crate::secret::decode_hex32(&text[..64]),
        crate::secret::decode_hex32(&text[64..]),
    ) {
        (Some(pad), Some(masked)) => {
            let token: Vec<u8> = pad.iter().zip(masked.iter()).map(|(p, m)| p ^ m).collect();
            hex(&token).into_bytes()
        }
        _ => Vec::new(),
    }
}

fn tokens_match(sent: &[u8], expected: &[u8]) -> bool {
    let sent = unmask(sent);
    !sent.is_empty() && sent.len() == expected.len() && bool::from(sent.ct_eq(expected))
}

/// Fetch metadata says same-origin (or a person typed the address); for
/// browsers too old to send it, a present Origin header must name us.
///
/// With `Referrer-Policy: no-referrer` browsers send `Origin: null` even on
/// same-origin form posts, so Sec-Fetch-Site is the signal we trust, and
/// `null` is treated as "no Origin" (the CSRF token still has to match).
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None | Some("null") => return true,
        Some(o) => o,
    };
    if origin.eq_ignore_ascii_case(&state.public_origin) {
        return true;
    }
    // Also accept the origin the browser actually used to reach us (e.g.
    // localhost versus 127.0.0.1), which a foreign page cannot forge.
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin.split_once("://"), host) {
        (Some((scheme, rest)), Some(host)) => {
            matches!(scheme, "http" | "https") && rest.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// `404` for routes that do not exist: the error renderer shows the page.
pub async fn not_found() -> Response {
    AppError::NotFound.into_response()
}

/// A panic in a handler becomes a 500 page; its message is not logged, since
/// it may quote what a person wrote.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut()
        .insert(ErrorInfo::from_status(StatusCode::INTERNAL_SERVER_ERROR));
    r
}

/// A form posted by someone with no session (it expired, or was ended
/// elsewhere) loses no writing: instead of the page's own answer (a
/// redirect to log in, which would drop the words), they get the log-in
/// page carrying what they wrote back to its form (`accounts::drafts`).
/// Forms with no words in them, the API and the log-in forms themselves
/// pass as they are.
pub async fn keep_writing(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::POST
        || is_api_path(path)
        || matches!(path, "/login" | "/register" | "/logout")
        || req
            .extensions()
            .get::<Ctx>()
            .is_none_or(|ctx| ctx.user.is_some())
    {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, state.settings.limits.max_body_bytes).await
    {
        Ok(b) => b,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    if let (Some(kept), Some(ctx)) = (
        crate::accounts::drafts::Kept::from_form(&bytes),
        parts.extensions.get::<Ctx>(),
    ) {
        return crate::accounts::pages::login_keeping(&state, ctx, &kept);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
