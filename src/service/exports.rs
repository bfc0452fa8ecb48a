//! Ticket lists as CSV for leaders and BI tools: every ticket the list's filters and the
//! role's scope select (no page limit), newest first, streamed a page at a time so that the
//! memory held does not grow with the rows (the ids of the selection, 16 bytes a ticket, are
//! the only thing kept whole). UTF-8 with a byte-order mark and bilingual headers, as the
//! breakdowns' CSV; cells a spreadsheet would run as a formula are made inert. No reporter's
//! contact is exported, whatever the role (the console shows it to those who may see it).

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};

use super::query::ListQuery;
use super::stats::csv::inert;
use super::{Reference, ServiceResult, Tickets};
use crate::domain::{Principal, Scope, Ticket, TicketId};
use crate::spatial::TicketEntry;

/// Tickets read from the store per page of the export.
pub const PAGE: usize = 1000;

const HEADER: &[&str] = &[
    "Mã / Code",
    "Tiếp nhận lúc / Received at",
    "Trạng thái / Status",
    "Kênh / Channel",
    "Loại (mã) / Category (code)",
    "Loại / Category",
    "Lĩnh vực / Field",
    "Địa bàn (mã) / Area (code)",
    "Địa bàn / Area",
    "Quận, huyện / District",
    "Đơn vị (mã) / Unit (code)",
    "Đơn vị / Unit",
    "Độ ưu tiên / Priority",
    "Hạn xử lý / Deadline",
    "Giải quyết lúc / Resolved at",
    "Đóng lúc / Closed at",
    "Tiến độ / Timeliness",
    "Đánh giá / Rating",
    "Địa chỉ / Address",
    "Nội dung / Description",
];

/// A serde enum's wire name (`in_progress`, `hotline`).
fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// An instant in Vietnam time, as Excel reads it: `2026-12-02 08:30:00`.
fn local(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

fn record(t: &Ticket, r: &Reference, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let category = r.category(&t.category);
    let area = t.area.as_ref().and_then(|a| r.areas.get(a, now));
    let district =
        t.area.as_ref().map(|a| r.areas.ancestors(a)).and_then(|chain| {
            chain.iter().filter_map(|a| r.areas.get(a, now)).find(|a| a.level == "district").cloned()
        });
    let unit = t.unit.as_ref().and_then(|u| r.unit(u));
    let timeliness = if t.is_overdue(now) {
        "quá hạn / overdue"
    } else if t.is_late() {
        "trễ hạn / late"
    } else if t.resolved_at.is_some() {
        "đúng hạn / on time"
    } else {
        ""
    };
    vec![
        t.code.as_str().to_owned(),
        local(Some(t.received_at)),
        t.status.as_str().to_owned(),
        wire(&t.channel),
        t.category.as_str().to_owned(),
        inert(category.map_or("", |c| c.name_vi.as_str())),
        category.map(|c| wire(&c.field)).unwrap_or_default(),
        t.area.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default(),
        inert(area.map_or("", |a| a.name.as_str())),
        inert(district.as_ref().map_or("", |a| a.name.as_str())),
        t.unit.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default(),
        inert(unit.map_or("", |u| u.name_vi.as_str())),
        wire(&t.priority),
        local(Some(t.deadline)),
        local(t.resolved_at),
        local(t.closed_at),
        timeliness.to_owned(),
        t.rating.map(|r| r.get().to_string()).unwrap_or_default(),
        inert(t.address.as_deref().unwrap_or("")),
        inert(&t.description),
    ]
}

fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> std::io::Result<Bytes> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).map_err(std::io::Error::other)?;
    }
    w.into_inner().map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string()))
}

impl Tickets {
    /// The CSV of every ticket `q` selects within `p`'s scope, newest first, read from the
    /// store `page` tickets at a time as the stream is consumed.
    pub fn export_csv(
        &self,
        mut q: ListQuery,
        p: &Principal,
        page: usize,
    ) -> ServiceResult<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
        let reference = self.reference();
        let scope = self.narrow(&mut q, p, &reference)?;
        let ids: Vec<TicketId> = {
            let index = self.index.read().expect("index lock");
            let mut hits: Vec<&TicketEntry> = index.query(&q.region, &q.filter);
            hits.sort_unstable_by_key(|e| std::cmp::Reverse((e.received_at.timestamp_micros(), e.id)));
            hits.into_iter().map(|e| e.id).collect()
        };
        let mut head = Vec::from("\u{feff}".as_bytes());
        head.extend_from_slice(
            &csv_bytes([HEADER.iter().map(|h| (*h).to_owned()).collect()])
                .map_err(|e| super::ServiceError::Internal(e.into()))?,
        );
        let chunks: Vec<Vec<TicketId>> = ids.chunks(page.max(1)).map(<[TicketId]>::to_vec).collect();
        let this = self.clone();
        let rows = stream::iter(chunks).then(move |chunk| {
            let (this, scope) = (this.clone(), scope.clone());
            async move { this.csv_page(&chunk, &scope).await }
        });
        Ok(stream::once(async move { Ok(Bytes::from(head)) }).chain(rows))
    }

    async fn csv_page(&self, ids: &[TicketId], scope: &Scope) -> std::io::Result<Bytes> {
        let mut tickets = self.store.tickets_by_ids(ids).await.map_err(std::io::Error::other)?;
        let at = |id: &TicketId| ids.iter().position(|x| x == id).unwrap_or(usize::MAX);
        tickets.sort_by_key(|t| at(&t.id));
        let reference = self.reference();
        let now = self.now();
        csv_bytes(tickets.iter().filter(|t| scope.allows(t)).map(|t| record(t, &reference, now)))
    }
}
