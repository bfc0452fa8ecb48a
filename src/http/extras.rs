//! `GET /api/v1/tickets/{id}/extras`: what a report carried besides its ticket fields (a
//! media URL, the answers to its category's questions), for the staff handling it.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use super::auth::{Auth, STAFF};
use super::error::{ApiResult, Problem};
use crate::domain::TicketExtras;
use crate::http::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/tickets/{id}/extras", get(read))
}

/// A ticket's media URL and attribute answers (empty when it has none). Roles: as for
/// reading the ticket: admin, operator, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/extras", tag = "tickets", operation_id = "get_ticket_extras",
    params(("id" = String, Path, description = "UUID or code")),
    responses((status = 200, body = TicketExtras), (status = 404, body = Problem), (status = 403, body = Problem)))]
pub async fn read(
    State(s): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<axum::Json<TicketExtras>> {
    let p = auth.require(STAFF)?;
    let id = s.tickets.resolve(&raw).await?;
    Ok(axum::Json(s.tickets.extras(id, p).await?))
}
