//! `/api/v1/tickets/export.csv` and `.xlsx`: the ticket list's selection, every page, as a
//! file to save. Roles: admin, operator, analyst keys (everything), leader (their areas),
//! agency (their units). The reporter's contact only with `contacts=true`, and only for the
//! centre and agency staff.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::auth::{Auth, READERS};
use super::error::{ApiResult, Problem};
use super::json::ApiQuery;
use super::stats::{CSV, XLSX, download};
use crate::domain::ValidationErrors;
use crate::service::exports::PAGE;
use crate::service::query::ListParams;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tickets/export.csv", get(export_csv))
        .route("/api/v1/tickets/export.xlsx", get(export_xlsx))
}

/// Whether to add the reporters' contacts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ContactsParam {
    /// `true`: add the reporter's name, phone and email (admin, operator and agency staff only;
    /// a 403 for other roles). Default `false`.
    contacts: Option<String>,
}

impl ContactsParam {
    fn wanted(&self) -> Result<bool, ValidationErrors> {
        match self.contacts.as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ValidationErrors::single("contacts", "must be true or false")),
        }
    }
}

/// A file name stamped with the time in Vietnam: `phan-anh-20261202-0830.csv`.
fn file_name(s: &AppState, ext: &str) -> String {
    let at = s.tickets.now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    format!("phan-anh-{}.{ext}", at.format("%Y%m%d-%H%M"))
}

/// Every ticket the list's filters select within the role's scope (no page limit; `limit`
/// and `cursor` are ignored), newest first, as CSV: UTF-8 with a byte-order mark (so Excel
/// reads Vietnamese), formulas made inert, streamed from the store 1 000 tickets at a time.
/// Roles: admin, operator, analyst (everything), leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/tickets/export.csv", tag = "tickets", operation_id = "export_tickets_csv", params(ListParams, ContactsParam),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn export_csv(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(contacts): ApiQuery<ContactsParam>,
) -> ApiResult<Response> {
    let p = auth.require(READERS)?;
    let contacts = contacts.wanted()?;
    let q = params.parse(s.tickets.now())?;
    let body = s.tickets.export_csv(q, p, contacts, PAGE)?;
    Ok(download(CSV, &file_name(&s, "csv"), axum::body::Body::from_stream(body)))
}

/// The same tickets as `export.csv`, as an Excel workbook: one sheet, the header frozen and
/// filterable, instants as Excel date-times in Vietnam time. Written in constant memory to a
/// temporary file, then streamed. More than 1 048 575 tickets (an Excel sheet's rows) is a
/// 422: narrow the filters, or export CSV. Roles: as for `export.csv`.
#[utoipa::path(get, path = "/api/v1/tickets/export.xlsx", tag = "tickets", operation_id = "export_tickets_xlsx", params(ListParams, ContactsParam),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn export_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(contacts): ApiQuery<ContactsParam>,
) -> ApiResult<Response> {
    let p = auth.require(READERS)?;
    let contacts = contacts.wanted()?;
    let q = params.parse(s.tickets.now())?;
    let file = s.tickets.export_xlsx(q, p, contacts, PAGE).await?;
    let body = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
    Ok(download(XLSX, &file_name(&s, "xlsx"), axum::body::Body::from_stream(body)))
}
