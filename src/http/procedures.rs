//! `/api/v1/procedures`: the procedures catalogue (thủ tục hành chính). Browsing and search are
//! public (the portal's `/thu-tuc` page, the console's search panel, the chatbot); importing a
//! catalogue file is an administrator's.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::auth::{ADMIN, Gate, mask};
use super::error::{ApiResult, Problem};
use super::json::ApiQuery;
use crate::domain::{ProcedureLevel, ValidationErrors};
use crate::service::procedures::parse::{self, Format};
use crate::service::procedures::{ProcedureDetail, ProcedureField, ProcedurePage, ProcedureQuery};
use crate::store::ProcedureImport;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/procedures", get(list))
        .route("/api/v1/procedures/fields", get(fields))
        .route("/api/v1/procedures/import", post(import).layer(DefaultBodyLimit::max(parse::MAX_FILE_BYTES)))
        .route("/api/v1/procedures/{code}", get(one))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListParams {
    /// Free text, Vietnamese with or without diacritics (`cap lai so do`).
    q: Option<String>,
    /// Only this field (lĩnh vực), as `/api/v1/procedures/fields` names it.
    field: Option<String>,
    /// `province`, `district` or `commune`.
    level: Option<String>,
    /// 1–100, default 20.
    limit: Option<String>,
    offset: Option<String>,
}

fn number(v: Option<&str>, field: &str, errs: &mut ValidationErrors) -> Option<usize> {
    let v = v?.trim();
    match v.parse::<usize>() {
        Ok(n) => Some(n),
        Err(_) => {
            errs.push(field, "must be a whole number");
            None
        }
    }
}

/// Procedures matching a search (best first) or, without `q`, by field and name. Roles: public.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", operation_id = "procedures_list",
    params(ListParams), responses((status = 200, body = ProcedurePage), (status = 422, body = Problem)))]
async fn list(State(s): State<AppState>, ApiQuery(p): ApiQuery<ListParams>) -> ApiResult<Json<ProcedurePage>> {
    let mut errs = ValidationErrors::new();
    let level = match p.level.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => {
            let parsed = ProcedureLevel::parse_loose(l);
            if parsed.is_none() {
                errs.push("level", "must be province, district or commune");
            }
            parsed
        }
    };
    let limit = number(p.limit.as_deref(), "limit", &mut errs);
    let offset = number(p.offset.as_deref(), "offset", &mut errs);
    errs.into_result()?;
    let query = ProcedureQuery { q: p.q, field: p.field, level, limit, offset };
    Ok(Json(s.procedures.list(&query).await?))
}

/// The catalogue's fields with how many procedures each holds. Roles: public.
#[utoipa::path(get, path = "/api/v1/procedures/fields", tag = "procedures", operation_id = "procedures_fields",
    responses((status = 200, body = Vec<ProcedureField>)))]
async fn fields(State(s): State<AppState>) -> Json<Vec<ProcedureField>> {
    Json(s.procedures.fields().await)
}

/// One procedure whole: steps, ways to submit with their time limits and fees, documents,
/// agency, where to submit, result, legal basis, related procedures. Roles: public.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "procedures", operation_id = "procedures_get",
    params(("code" = String, Path, description = "The procedure's code, e.g. 1.004227")),
    responses((status = 200, body = ProcedureDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn one(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<ProcedureDetail>> {
    Ok(Json(s.procedures.get(&code).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ImportParams {
    /// `json`, `csv` or `xlsx`.
    format: String,
    /// `true`: the file is the whole catalogue, and procedures it lacks are removed.
    whole: Option<bool>,
}

/// Imports a catalogue file (the body, at most 20 MB): procedures are added or replaced by code,
/// all or none — every bad row or field is reported, naming it, and nothing is written.
/// Roles: admin.
#[utoipa::path(post, path = "/api/v1/procedures/import", tag = "procedures", operation_id = "procedures_import",
    params(ImportParams), request_body(content = String, description = "The file: JSON, CSV or XLSX"),
    responses((status = 200, body = ProcedureImport), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn import(
    State(s): State<AppState>,
    Gate(principal): Gate<{ mask(ADMIN) }>,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ProcedureImport>)> {
    let format = match p.format.trim().to_ascii_lowercase().as_str() {
        "json" => Format::Json,
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return Err(ValidationErrors::single("format", "must be json, csv or xlsx").into()),
    };
    let procedures = tokio::task::spawn_blocking(move || parse::parse(&body, format))
        .await
        .map_err(|e| anyhow::anyhow!("parsing the catalogue file: {e}"))
        .map_err(crate::service::ServiceError::from)??;
    let done = s.procedures.import(&principal, &procedures, p.whole.unwrap_or(false)).await?;
    Ok((StatusCode::OK, Json(done)))
}
