//! Ticket lists as an Excel workbook, in bounded memory: `rust_xlsxwriter`'s constant-memory
//! worksheet writes each row to a temporary file as it comes (no shared-string table), the
//! rows are read from the store a page at a time, and the finished workbook is written to an
//! anonymous temporary file that the caller streams out. Instants are Excel date-times in
//! Vietnam time; ratings are numbers; text is text (a cell never becomes a formula).

use std::io::{Seek, SeekFrom};

use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use tokio::sync::mpsc::Receiver;

use super::{Cell, Selection};
use crate::domain::{Principal, ValidationErrors};
use crate::service::query::ListQuery;
use crate::service::{ServiceError, ServiceResult, Tickets};

/// Tickets one worksheet holds: Excel's 1 048 576 rows less the header.
pub const MAX_ROWS: usize = 1_048_575;

/// Days from Excel's epoch (1899-12-30) to `t` in Vietnam time, as Excel stores a date-time.
fn serial(t: DateTime<Utc>) -> f64 {
    let local = t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).naive_local();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date").and_hms_opt(0, 0, 0).expect("a time");
    (local - epoch).num_milliseconds() as f64 / 86_400_000.0
}

fn xlsx_error(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Writes the workbook with `header` into an anonymous temporary file, the rows as the pages
/// arrive from `pages`. Runs on a blocking thread while the pages are read on the runtime.
fn write(header: &[&str], mut pages: Receiver<std::io::Result<Vec<Vec<Cell>>>>) -> std::io::Result<std::fs::File> {
    let mut book = Workbook::new();
    let head = Format::new().set_bold().set_text_wrap().set_background_color("#DDE7F0");
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
    sheet.set_name("Phản ánh").map_err(xlsx_error)?;
    for (c, title) in header.iter().enumerate() {
        let width = match *title {
            t if t.starts_with("Nội dung") || t.starts_with("Địa chỉ") => 48.0,
            t if t.starts_with("Mã") || t.contains("(mã)") => 16.0,
            _ => 20.0,
        };
        sheet.set_column_width(c as u16, width).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(xlsx_error)?;
    for (c, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &head).map_err(xlsx_error)?;
    }
    let mut r = 1u32;
    while let Some(rows) = pages.blocking_recv() {
        for row in rows? {
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) if !s.is_empty() => sheet.write_string(r, c, s).map(|_| ()),
                    Cell::Time(Some(t)) => ExcelDateTime::from_serial_datetime(serial(*t))
                        .and_then(|d| sheet.write_datetime_with_format(r, c, d, &when).map(|_| ())),
                    Cell::Number(Some(n)) => sheet.write_number(r, c, *n).map(|_| ()),
                    _ => Ok(()),
                }
                .map_err(xlsx_error)?;
            }
            r += 1;
        }
    }
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), header.len() as u16 - 1).map_err(xlsx_error)?;
    let mut file = tempfile::tempfile()?;
    book.save_to_writer(&mut file).map_err(xlsx_error)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}

impl Tickets {
    /// The XLSX of every ticket `q` selects within `p`'s scope, newest first, as an anonymous
    /// temporary file ready to be read from its start. More tickets than one worksheet holds
    /// is a 422 (narrow the filters, or export CSV).
    pub async fn export_xlsx(
        &self,
        q: ListQuery,
        p: &Principal,
        contacts: bool,
        page: usize,
    ) -> ServiceResult<std::fs::File> {
        let sel = self.select_export(q, p, contacts)?;
        if sel.ids.len() > MAX_ROWS {
            return Err(ServiceError::Validation(ValidationErrors::single(
                "received_from",
                format!(
                    "{} tickets match, more than an Excel sheet's {MAX_ROWS} rows: narrow the period or the \
                     filters, or export CSV",
                    sel.ids.len()
                ),
            )));
        }
        // Pages are read here while the writer compresses the previous ones, two at most ahead.
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        let this = self.clone();
        let Selection { ids, rows: spec } = sel;
        let header = spec.header();
        tokio::spawn(async move {
            for chunk in ids.chunks(page.max(1)) {
                let rows = this.export_rows(&spec, chunk).await;
                let failed = rows.is_err();
                if tx.send(rows).await.is_err() || failed {
                    break;
                }
            }
        });
        tokio::task::spawn_blocking(move || write(&header, rx))
            .await
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("the XLSX export panicked: {e}")))?
            .map_err(|e| ServiceError::Internal(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn serial_dates_are_excels_in_vietnam_time() {
        // 2026-12-02 08:30 in Hà Nội is 01:30 UTC; Excel's serial for 2026-12-02 is 46358.
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 1, 30, 0).unwrap();
        let s = serial(t);
        assert_eq!(s.floor(), 46358.0);
        assert!((s.fract() - 8.5 / 24.0).abs() < 1e-9);
    }
}
