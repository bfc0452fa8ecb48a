//! A breakdown as an Excel workbook (`rust_xlsxwriter`): the same columns as the CSV, rates
//! as percentages, the header frozen, the total in bold, and the query on a second sheet.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::StatsReport;
use super::csv::{COLUMNS, Cell};
use crate::analytics::BACKLOG_LABELS;

/// The workbook's bytes.
pub fn report_xlsx(report: &StatsReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_text_wrap().set_background_color("#DDE7F0");
    let percent = Format::new().set_num_format("0.0%");
    let total_percent = Format::new().set_num_format("0.0%").set_bold();
    let decimal = Format::new().set_num_format("0.0##");
    let sheet = book.add_worksheet().set_name("Thống kê")?;
    let dims = report.group.len() as u16;
    let mut col = 0u16;
    for g in &report.group {
        sheet.write_string_with_format(0, col, format!("{g} (mã / code)"), &head)?;
        sheet.write_string_with_format(0, col + 1, format!("{g} (tên / name)"), &head)?;
        sheet.set_column_width(col + 1, 24)?;
        col += 2;
    }
    for (i, (title, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, 2 * dims + i as u16, *title, &head)?;
        sheet.set_column_width(2 * dims + i as u16, 14)?;
    }
    let backlog_at = 2 * dims + COLUMNS.len() as u16;
    for (i, label) in BACKLOG_LABELS.iter().enumerate() {
        sheet.write_string_with_format(
            0,
            backlog_at + i as u16,
            format!("Tồn đọng {label} ngày / Backlog {label} days"),
            &head,
        )?;
    }
    sheet.set_row_height(0, 48)?;
    sheet.set_freeze_panes(1, 2 * dims)?;
    let rows = report.rows.iter().map(|r| (r, false)).chain(std::iter::once((&report.total, true)));
    for (n, (row, is_total)) in rows.enumerate() {
        let r = n as u32 + 1;
        if is_total {
            sheet.write_string_with_format(r, if dims > 0 { 1 } else { 0 }, "Tổng cộng / Total", &bold)?;
        } else {
            for (i, k) in row.key.iter().enumerate() {
                let code = k
                    .value
                    .as_str()
                    .map_or_else(|| if k.value.is_null() { String::new() } else { k.value.to_string() }, str::to_owned);
                sheet.write_string(r, 2 * i as u16, code)?;
                sheet.write_string(r, 2 * i as u16 + 1, &k.name)?;
            }
        }
        for (i, (_, get)) in COLUMNS.iter().enumerate() {
            let c = 2 * dims + i as u16;
            match get(row) {
                Cell::Count(v) if is_total => sheet.write_number_with_format(r, c, v as f64, &bold).map(|_| ())?,
                Cell::Count(v) => sheet.write_number(r, c, v as f64).map(|_| ())?,
                Cell::Rate(Some(v)) => sheet
                    .write_number_with_format(r, c, v, if is_total { &total_percent } else { &percent })
                    .map(|_| ())?,
                Cell::Number(Some(v)) => sheet.write_number_with_format(r, c, v, &decimal).map(|_| ())?,
                Cell::Rate(None) | Cell::Number(None) => {}
            }
        }
        for (i, b) in row.measures.backlog.iter().enumerate() {
            sheet.write_number(r, backlog_at + i as u16, *b as f64)?;
        }
    }

    let about = book.add_worksheet().set_name("Điều kiện")?;
    let period = match (report.from, report.to) {
        (Some(f), Some(t)) => format!("{} – {}", f.format("%d/%m/%Y"), t.format("%d/%m/%Y")),
        _ => "toàn bộ / all time".to_owned(),
    };
    let basis = serde_json::to_value(report.basis).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let lines = [
        ("Kỳ / Period", period),
        ("Tính theo / Basis", basis),
        ("Nhóm theo / Grouped by", report.group.join(", ")),
        (
            "Lập lúc / Generated at",
            report.generated_at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%d/%m/%Y %H:%M").to_string(),
        ),
        ("Định nghĩa / Definitions", "docs/metrics.md".to_owned()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        about.write_string_with_format(i as u32, 0, *k, &bold)?;
        about.write_string(i as u32, 1, v)?;
    }
    about.set_column_width(0, 26)?;
    about.set_column_width(1, 40)?;
    book.save_to_buffer()
}
