//! Ticket lists for leaders and BI tools, as CSV or XLSX: every ticket the list's filters and
//! the role's scope select (no page limit), newest first, read from the store a page at a
//! time so that the memory held does not grow with the rows (the ids of the selection, 16
//! bytes a ticket, are the only thing kept whole). Bilingual headers. The reporter's name,
//! phone and email are columns only when asked for (`contacts=true`) and only for those who
//! may see them: the centre, and agency staff for their own units' tickets.

mod xlsx;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream, StreamExt};
use rustc_hash::FxHashMap;

use super::query::ListQuery;
use super::stats::csv::inert;
use super::{Reference, ServiceError, ServiceResult, Tickets};
use crate::domain::{Principal, ReporterContact, Role, Scope, Ticket, TicketId};
use crate::spatial::EntryRef;

pub use xlsx::MAX_ROWS;

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

/// The columns added when the reporter's contact is exported.
const CONTACT_HEADER: &[&str] = &["Người phản ánh / Reporter", "Điện thoại / Phone", "Email"];

/// One cell of a row: text, an instant (Vietnam time) or a number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Time(Option<DateTime<Utc>>),
    Number(Option<f64>),
}

impl Cell {
    /// As the CSV writes it: instants as `2026-12-02 08:30:00` (Vietnam time), formulas inert.
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => inert(s),
            Cell::Time(t) => t
                .map(|t| t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// What an export holds: the tickets' ids in order, and how their rows are read.
pub(crate) struct Selection {
    pub ids: Vec<TicketId>,
    pub rows: RowSpec,
}

/// How an export's rows are read: the scope they must stay in, and whether the reporter's
/// contact is a column.
#[derive(Clone)]
pub(crate) struct RowSpec {
    scope: Scope,
    contacts: bool,
}

impl RowSpec {
    pub fn header(&self) -> Vec<&'static str> {
        let mut h = HEADER.to_vec();
        if self.contacts {
            h.extend_from_slice(CONTACT_HEADER);
        }
        h
    }
}

/// A serde enum's wire name (`in_progress`, `hotline`).
fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn record(t: &Ticket, r: &Reference, now: DateTime<Utc>, contact: Option<Option<&ReporterContact>>) -> Vec<Cell> {
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
    let text = |s: &str| Cell::Text(s.to_owned());
    let mut row = vec![
        text(t.code.as_str()),
        Cell::Time(Some(t.received_at)),
        text(t.status.as_str()),
        Cell::Text(wire(&t.channel)),
        text(t.category.as_str()),
        text(category.map_or("", |c| c.name_vi.as_str())),
        Cell::Text(category.map(|c| wire(&c.field)).unwrap_or_default()),
        text(t.area.as_ref().map_or("", |a| a.as_str())),
        text(area.map_or("", |a| a.name.as_str())),
        text(district.as_ref().map_or("", |a| a.name.as_str())),
        text(t.unit.as_ref().map_or("", |u| u.as_str())),
        text(unit.map_or("", |u| u.name_vi.as_str())),
        Cell::Text(wire(&t.priority)),
        Cell::Time(Some(t.deadline)),
        Cell::Time(t.resolved_at),
        Cell::Time(t.closed_at),
        text(timeliness),
        Cell::Number(t.rating.map(|r| f64::from(r.get()))),
        text(t.address.as_deref().unwrap_or("")),
        text(&t.description),
    ];
    if let Some(c) = contact {
        let field = |f: fn(&ReporterContact) -> Option<&str>| text(c.and_then(f).unwrap_or(""));
        row.push(field(|c| c.name.as_deref()));
        row.push(field(|c| c.phone.as_deref()));
        row.push(field(|c| c.email.as_deref()));
    }
    row
}

fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> std::io::Result<Bytes> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).map_err(std::io::Error::other)?;
    }
    w.into_inner().map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string()))
}

impl Tickets {
    /// What `q` selects within `p`'s scope, newest first; `contacts` asks for the reporters'
    /// contacts, which only the centre and agency staff (for their units) may export.
    pub(crate) fn select_export(&self, mut q: ListQuery, p: &Principal, contacts: bool) -> ServiceResult<Selection> {
        let reference = self.reference();
        let scope = self.narrow(&mut q, p, &reference)?;
        if contacts && !matches!(p.role(), Some(Role::Admin | Role::Operator | Role::Agency)) {
            return Err(ServiceError::Forbidden(
                "reporters' contacts are exported only for the centre and the assigned units".into(),
            ));
        }
        let ids: Vec<TicketId> = {
            let index = self.index.read().expect("index lock");
            let mut hits: Vec<EntryRef<'_>> = index.query(&q.region, &q.filter);
            hits.sort_unstable_by_key(|e| std::cmp::Reverse((e.received_at().timestamp_micros(), e.id())));
            hits.into_iter().map(|e| e.id()).collect()
        };
        Ok(Selection { ids, rows: RowSpec { scope, contacts } })
    }

    /// The rows of `ids` (one page of a selection), in their order; tickets that left the
    /// scope since the selection are skipped.
    pub(crate) async fn export_rows(&self, spec: &RowSpec, ids: &[TicketId]) -> std::io::Result<Vec<Vec<Cell>>> {
        let mut tickets = self.store.tickets_by_ids(ids).await.map_err(std::io::Error::other)?;
        let at: FxHashMap<TicketId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        tickets.sort_by_key(|t| at.get(&t.id).copied().unwrap_or(usize::MAX));
        tickets.retain(|t| spec.scope.allows(t));
        let contacts: FxHashMap<TicketId, ReporterContact> = if spec.contacts {
            let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
            self.store.contacts(&ids).await.map_err(std::io::Error::other)?.into_iter().collect()
        } else {
            FxHashMap::default()
        };
        let reference = self.reference();
        let now = self.now();
        Ok(tickets.iter().map(|t| record(t, &reference, now, spec.contacts.then(|| contacts.get(&t.id)))).collect())
    }

    /// The CSV (UTF-8 with a byte-order mark) of every ticket `q` selects within `p`'s scope,
    /// newest first, read from the store `page` tickets at a time as the stream is consumed.
    pub fn export_csv(
        &self,
        q: ListQuery,
        p: &Principal,
        contacts: bool,
        page: usize,
    ) -> ServiceResult<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
        let sel = self.select_export(q, p, contacts)?;
        let mut head = Vec::from("\u{feff}".as_bytes());
        head.extend_from_slice(
            &csv_bytes([sel.rows.header().into_iter().map(str::to_owned).collect()])
                .map_err(|e| ServiceError::Internal(e.into()))?,
        );
        let chunks: Vec<Vec<TicketId>> = sel.ids.chunks(page.max(1)).map(<[TicketId]>::to_vec).collect();
        let (this, spec) = (self.clone(), sel.rows);
        // The next page is read while this one is sent: two pages in flight, in order.
        let rows = stream::iter(chunks)
            .map(move |chunk| {
                let (this, spec) = (this.clone(), spec.clone());
                async move {
                    let rows = this.export_rows(&spec, &chunk).await?;
                    csv_bytes(rows.iter().map(|r| r.iter().map(Cell::csv).collect()))
                }
            })
            .buffered(2);
        Ok(stream::once(async move { Ok(Bytes::from(head)) }).chain(rows))
    }
}
