//! `GET servicerequestupdates` (the FixMyStreet extension of GeoReport v2): one update per
//! public event of a ticket in a date window, oldest first. Internal events (ratings, overdue
//! alarms) are left out, and so are the notes meant for staff (assignment instructions, a
//! unit's reason for returning a ticket); the notes addressed to the citizen (progress, the
//! result, a rejection's or extension's reason) are shown with contact details hidden.

use std::collections::HashMap;

use serde::Serialize;

use super::public_status;
use super::query::{RequestParams, window};
use crate::domain::privacy::redact;
use crate::domain::{EventKind, Status, Ticket, TicketEvent, TicketId, w3c};
use crate::service::{Open311, Reference, ServiceResult};

/// The events published as updates.
pub const PUBLIC_KINDS: [EventKind; 13] = [
    EventKind::Created,
    EventKind::Assigned,
    EventKind::Forwarded,
    EventKind::Accepted,
    EventKind::Started,
    EventKind::Progress,
    EventKind::Returned,
    EventKind::Resolved,
    EventKind::Closed,
    EventKind::Rejected,
    EventKind::Duplicate,
    EventKind::Reopened,
    EventKind::Extended,
];

/// One update of a request.
#[derive(Debug, Serialize)]
pub struct RequestUpdate {
    /// The event's `seq`.
    pub update_id: String,
    pub service_request_id: String,
    /// `open` or `closed` after the event.
    pub status: &'static str,
    pub updated_datetime: String,
    pub description: String,
    pub media_url: Option<String>,
    /// Our own status after the event (`in_progress`, `rejected`, …), which FixMyStreet reads
    /// as the external status code.
    pub external_status_code: &'static str,
}

fn unit_names(ticket: &Ticket, r: &Reference) -> (String, String) {
    match ticket.unit.as_ref().and_then(|u| r.unit(u)) {
        Some(u) => (u.name_vi.clone(), u.name_en.clone()),
        None => ("đơn vị xử lý".into(), "the responsible unit".into()),
    }
}

/// The update text of an event: what happened, in Vietnamese then English, and the note when
/// it is addressed to the citizen.
fn describe(ev: &TicketEvent, t: &Ticket, r: &Reference, original: Option<&str>) -> String {
    let (unit_vi, unit_en) = unit_names(t, r);
    let note = ev.note.as_deref().map(redact);
    let with_note = |vi: &str, en: &str| match &note {
        Some(n) => format!("{vi}: {n} / {en}"),
        None => format!("{vi} / {en}"),
    };
    match ev.kind {
        EventKind::Created => "Đã tiếp nhận phản ánh / Report received".into(),
        EventKind::Assigned | EventKind::Forwarded => format!("Đã chuyển đến {unit_vi} / Forwarded to {unit_en}"),
        EventKind::Accepted => format!("{unit_vi} đã tiếp nhận xử lý / Accepted by {unit_en}"),
        EventKind::Started => "Bắt đầu xử lý / Work started".into(),
        EventKind::Progress => with_note("Cập nhật tiến độ", "Progress update"),
        EventKind::Returned => "Đang chuyển lại đơn vị phù hợp / Being re-routed to the right unit".into(),
        EventKind::Resolved => with_note("Đã xử lý xong", "Resolved"),
        EventKind::Closed => "Đã hoàn thành / Closed".into(),
        EventKind::Rejected => with_note("Không thuộc phạm vi tiếp nhận", "Rejected"),
        EventKind::Duplicate => match original {
            Some(code) => format!("Trùng với phản ánh {code} / Duplicate of {code}"),
            None => "Trùng với một phản ánh khác / Duplicate of another report".into(),
        },
        EventKind::Reopened => with_note("Mở lại để xử lý tiếp", "Reopened"),
        EventKind::Extended => {
            let day = t.deadline.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%d/%m/%Y");
            with_note(&format!("Gia hạn xử lý đến ngày {day}"), &format!("Deadline extended to {day}"))
        }
        EventKind::Rated | EventKind::Overdue | EventKind::PhotoAdded | EventKind::Supported => String::new(),
    }
}

impl Open311 {
    /// Updates of the window and page of `p` (its `start_date`, `end_date`, `page`,
    /// `page_size`; defaults as for `GET requests`), oldest first.
    pub async fn open311_updates(&self, p: &RequestParams) -> ServiceResult<Vec<RequestUpdate>> {
        let w = window(p, self.tickets.now())?;
        let events = self
            .tickets
            .store
            .events_between(w.from, w.to, &PUBLIC_KINDS, w.offset() as i64, w.page_size as i64)
            .await?;
        let reference = self.tickets.reference();
        let tickets: Vec<(TicketEvent, Ticket)> = events
            .into_iter()
            .map(|ev| {
                // `data` is the ticket as stored after the event (store contract).
                let t: Ticket = serde_json::from_value(ev.data.clone())
                    .map_err(|e| anyhow::anyhow!("event {} holds no ticket: {e}", ev.seq))?;
                Ok((ev, t))
            })
            .collect::<ServiceResult<_>>()?;
        let originals: Vec<TicketId> = tickets.iter().filter_map(|(_, t)| t.duplicate_of).collect();
        let codes: HashMap<TicketId, String> =
            self.tickets.store.tickets_by_ids(&originals).await?.into_iter().map(|t| (t.id, t.code.0)).collect();
        Ok(tickets
            .into_iter()
            .map(|(ev, t)| {
                let original = t.duplicate_of.and_then(|d| codes.get(&d)).map(String::as_str);
                RequestUpdate {
                    update_id: ev.seq.to_string(),
                    service_request_id: t.code.0.clone(),
                    status: public_status(t.status),
                    updated_datetime: w3c::format(ev.at),
                    description: describe(&ev, &t, &reference, original),
                    media_url: None,
                    external_status_code: Status::as_str(t.status),
                }
            })
            .collect())
    }
}
