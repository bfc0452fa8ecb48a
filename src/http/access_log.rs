//! Access logs: one INFO line per answered request (`tower_http::trace`), in the span
//! `request{id, method, route}` with the response's `status` and `latency` (ms); 5xx answers are
//! also logged as ERROR. The route is the pattern (`/api/v1/tickets/{id}`), never the raw path
//! or query, which can carry tracking tokens, phone numbers or search text. The id is the
//! request's `x-request-id` (a proxy's, or a UUIDv7 made here), echoed in the response so a
//! user's report can be matched with the log. `RUST_LOG=tower_http=warn` silences them.

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

/// The span every request's log lines are in.
pub fn span(req: &Request<Body>) -> Span {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
    let id = req.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("");
    tracing::info_span!("request", id, method = %req.method(), route)
}

/// Makes a UUIDv7 for a request that came without an `x-request-id`.
#[derive(Clone, Copy, Default)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string()).ok().map(RequestId::new)
    }
}
