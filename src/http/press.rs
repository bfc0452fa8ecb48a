//! Feedback published in newspapers: `POST /api/v1/press` (the call centre files an article's
//! issue as a ticket), `GET /api/v1/public/press` (the public list "Phản ánh trên báo chí",
//! public), `GET /api/v1/stats/press` (its figures, for those who read statistics).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::auth::{Auth, CENTRE, Gate, READERS, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::ValidationErrors;
use crate::service::press::{PressFigures, PressFiled, PressInput, PressItem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/press", post(file))
        .route("/api/v1/public/press", get(list))
        .route("/api/v1/stats/press", get(figures))
}

/// Files the issue a newspaper article raised as a ticket on the `press` channel, with the
/// article (newspaper, date, address, title) beside it; `Idempotency-Key` as for tickets.
/// Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/press", tag = "press", operation_id = "press_file", request_body = PressInput,
    responses((status = 201, body = PressFiled), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn file(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PressInput>,
) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| ValidationErrors::single("Idempotency-Key", "must be visible ASCII"))?),
        None => None,
    };
    let filed = s.press.file(&p, input, key).await?;
    let mut resp = (StatusCode::CREATED, Json(&filed)).into_response();
    let location = format!("/api/v1/tickets/{}", filed.ticket.view.ticket.id);
    resp.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).expect("ascii"));
    Ok(resp)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListParams {
    /// At most this many articles (1–200, default 50).
    limit: Option<usize>,
}

/// Press feedback, the newest article first, with its handling and, once resolved, the
/// published result. Nothing personal. Roles: public.
#[utoipa::path(get, path = "/api/v1/public/press", tag = "press", operation_id = "press_public",
    params(ListParams), responses((status = 200, body = Vec<PressItem>)))]
async fn list(State(s): State<AppState>, ApiQuery(q): ApiQuery<ListParams>) -> ApiResult<Json<Vec<PressItem>>> {
    Ok(Json(s.press.public_list(q.limit.unwrap_or(50)).await?))
}

/// Press feedback's figures within the caller's scope: resolved (on time), open, overdue, by
/// newspaper. Roles: admin, operator, leader, agency, analyst.
#[utoipa::path(get, path = "/api/v1/stats/press", tag = "press", operation_id = "press_figures",
    responses((status = 200, body = PressFigures), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn figures(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<PressFigures>> {
    let p = auth.require(READERS)?;
    Ok(Json(s.press.figures(p).await?))
}
