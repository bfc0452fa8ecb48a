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

/// Makes a UUIDv7 for a request that came without an `x-request-id`: the time in milliseconds
/// and 74 random bits from the thread's generator (`Uuid::now_v7` asks the kernel for
/// randomness, a system call per request; an id needs to be unique, not secret).
#[derive(Clone, Copy, Default)]
pub struct MakeId;

/// A UUIDv7 of this millisecond.
fn v7_now() -> uuid::Uuid {
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    uuid::Builder::from_unix_timestamp_millis(millis, &rand::random()).into_uuid()
}

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        HeaderValue::from_str(v7_now().hyphenated().encode_lower(&mut text)).ok().map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_distinct_uuid_v7_of_now() {
        let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        let ids: Vec<uuid::Uuid> = (0..1000).map(|_| v7_now()).collect();
        let after = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        for id in &ids {
            assert_eq!(id.get_version(), Some(uuid::Version::SortRand));
            let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
            let millis = secs * 1000 + u64::from(nanos) / 1_000_000;
            assert!((before..=after).contains(&millis), "{millis} outside {before}..={after}");
        }
        assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), ids.len());
        let header = MakeId.make_request_id(&Request::new(())).unwrap();
        let text = header.header_value().to_str().unwrap();
        assert_eq!(uuid::Uuid::parse_str(text).unwrap().get_version(), Some(uuid::Version::SortRand));
    }
}
