//! A breakdown as CSV: UTF-8 with a byte-order mark (Excel then reads "Hải Châu" correctly),
//! bilingual headers, a code and a name column per dimension, then every measure and the
//! satisfaction index.

use super::{StatsReport, StatsRow};
use crate::analytics::BACKLOG_LABELS;

/// One measure's value in a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Count(u64),
    /// A share between 0 and 1.
    Rate(Option<f64>),
    Number(Option<f64>),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Rate(Some(x)) | Cell::Number(Some(x)) => write!(f, "{x}"),
            Cell::Rate(None) | Cell::Number(None) => Ok(()),
        }
    }
}

/// A measure column: its bilingual header and how to read it from a row.
pub type Column = (&'static str, fn(&StatsRow) -> Cell);

fn days(v: Option<u32>) -> Cell {
    Cell::Number(v.map(f64::from))
}

/// The measure columns of both exports, in order.
pub const COLUMNS: &[Column] = &[
    ("Tiếp nhận / Received", |r| Cell::Count(r.measures.received)),
    ("Đã giải quyết / Resolved", |r| Cell::Count(r.measures.resolved)),
    ("Từ chối / Rejected", |r| Cell::Count(r.measures.rejected)),
    ("Trùng lặp / Duplicates", |r| Cell::Count(r.measures.duplicates)),
    ("Đang xử lý / Open", |r| Cell::Count(r.measures.open)),
    ("Quá hạn / Overdue", |r| Cell::Count(r.measures.overdue)),
    ("Đúng hạn / On time", |r| Cell::Count(r.measures.on_time)),
    ("Trễ hạn / Late", |r| Cell::Count(r.measures.late)),
    ("Tỷ lệ đúng hạn / On-time rate", |r| Cell::Rate(r.measures.on_time_rate)),
    ("Tỷ lệ trễ hạn / Lateness rate", |r| Cell::Rate(r.measures.lateness_rate)),
    ("Thời gian xử lý, ngày làm việc (trung vị) / Handling working days (median)", |r| {
        days(r.measures.handling_days_median)
    }),
    ("Thời gian xử lý, ngày làm việc (P90) / Handling working days (p90)", |r| {
        days(r.measures.handling_days_p90)
    }),
    ("Thời gian xử lý, giờ (trung vị) / Handling hours (median)", |r| {
        Cell::Number(r.measures.handling_hours_median)
    }),
    ("Thời gian xử lý, giờ (P90) / Handling hours (p90)", |r| Cell::Number(r.measures.handling_hours_p90)),
    ("Trả lại trung tâm / Returned to the centre", |r| Cell::Count(r.measures.returned)),
    ("Chuyển đơn vị khác / Forwarded again", |r| Cell::Count(r.measures.forwarded)),
    ("Mở lại / Reopened", |r| Cell::Count(r.measures.reopened)),
    ("Đánh giá / Ratings", |r| Cell::Count(r.measures.rated)),
    ("Điểm đánh giá TB / Mean rating", |r| Cell::Number(r.measures.rating_mean)),
    ("Tỷ lệ phản hồi đánh giá / Rating response rate", |r| Cell::Rate(r.measures.rating_response_rate)),
    ("Chỉ số hài lòng / Satisfaction index", |r| Cell::Number(r.satisfaction.as_ref().and_then(|s| s.index))),
];

/// Text a spreadsheet will not run as a formula: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets a `'`.
pub fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

/// The CSV bytes of a breakdown (the total last).
pub fn report_csv(report: &StatsReport) -> Result<Vec<u8>, ::csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = ::csv::Writer::from_writer(&mut out);
        let mut header: Vec<String> = Vec::new();
        for g in &report.group {
            header.push(format!("{g} (mã / code)"));
            header.push(format!("{g} (tên / name)"));
        }
        header.extend(COLUMNS.iter().map(|(h, _)| (*h).to_owned()));
        header.extend(BACKLOG_LABELS.iter().map(|l| format!("Tồn đọng {l} ngày / Backlog {l} days")));
        w.write_record(&header)?;
        let total_key = || {
            let mut k = vec![String::new(); 2 * report.group.len()];
            if let Some(first) = k.get_mut(1) {
                *first = "Tổng cộng / Total".into();
            }
            k
        };
        for (row, key) in
            report.rows.iter().map(|r| (r, None)).chain(std::iter::once((&report.total, Some(total_key()))))
        {
            let mut record: Vec<String> = key.unwrap_or_else(|| {
                row.key
                    .iter()
                    .flat_map(|k| [k.value.as_str().map_or_else(|| k.value.to_string(), str::to_owned), inert(&k.name)])
                    .map(|s| if s == "null" { String::new() } else { s })
                    .collect()
            });
            record.extend(COLUMNS.iter().map(|(_, get)| get(row).to_string()));
            record.extend(row.measures.backlog.iter().map(|b| b.to_string()));
            w.write_record(&record)?;
        }
        w.flush()?;
    }
    Ok(out)
}
