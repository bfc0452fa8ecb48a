//! `/api/v1/categories`, `/api/v1/units`: reference data.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Serialize;

use super::AppState;
use crate::domain::{Category, Field, Unit};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/categories", get(categories)).route("/api/v1/units", get(units))
}

/// A field with its names, for grouping categories.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldInfo {
    pub code: Field,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Categories {
    pub fields: Vec<FieldInfo>,
    pub categories: Vec<Category>,
}

/// Categories of reports, grouped by field, in Vietnamese and English. Roles: public.
#[utoipa::path(get, path = "/api/v1/categories", tag = "reference", responses((status = 200, body = Categories)))]
async fn categories(State(s): State<AppState>) -> axum::Json<Categories> {
    let fields = Field::ALL
        .into_iter()
        .map(|f| {
            let (name_vi, name_en) = f.names();
            FieldInfo { code: f, name_vi, name_en }
        })
        .collect();
    axum::Json(Categories { fields, categories: s.reference.current().categories.clone() })
}

/// Units (agencies and processing stations) with their parents and areas. Roles: public.
#[utoipa::path(get, path = "/api/v1/units", tag = "reference", responses((status = 200, body = Vec<Unit>)))]
async fn units(State(s): State<AppState>) -> axum::Json<Vec<Unit>> {
    axum::Json(s.reference.current().units.clone())
}
