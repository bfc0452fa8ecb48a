//! `POST /api/v1/categories/suggest`: the three categories a free text most likely belongs to,
//! for the citizen portal's report form and the console's intake form. Public, limited per
//! client address (`limits::limit_public_intake`), behind the cross-site guard like every POST.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiResult, Problem};
use super::json::ApiJson;
use crate::domain::ValidationErrors;
use crate::service::categorizer::CategorySuggestion;

/// The longest text a suggestion is asked for, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/categories/suggest", post(suggest))
}

/// The text to suggest categories for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    /// Free text, Vietnamese with or without diacritics, at most 2 000 characters.
    pub text: String,
}

/// The best three categories, best first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestResponse {
    pub suggestions: Vec<CategorySuggestion>,
    /// Below this confidence a chat, SMS or Open311 report stays in triage.
    pub threshold: f64,
}

/// Suggests categories for a free text (an empty text gets none). Roles: public.
#[utoipa::path(post, path = "/api/v1/categories/suggest", tag = "reference", operation_id = "categories_suggest",
    request_body = SuggestRequest,
    responses((status = 200, body = SuggestResponse), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn suggest(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<SuggestRequest>,
) -> ApiResult<Json<SuggestResponse>> {
    if body.text.chars().count() > MAX_TEXT_CHARS {
        return Err(ValidationErrors::single("text", format!("must be at most {MAX_TEXT_CHARS} characters")).into());
    }
    let suggestions =
        if crate::domain::text::fold(&body.text).is_empty() { Vec::new() } else { s.categories.suggest(&body.text) };
    Ok(Json(SuggestResponse { suggestions, threshold: s.categories.threshold() }))
}
