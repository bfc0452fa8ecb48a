//! The messages citizens receive, in Vietnamese first and English after. Each is short enough
//! for a chat bubble; an SMS gateway may send `text_vi` alone.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Reference, ServiceResult};
use crate::domain::{EventKind, Medium, Ticket};
use crate::store::{NewNotification, Store};

/// Kinds of message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The report was filed: its code and deadline.
    Created,
    /// Forwarded to the unit that handles it.
    Assigned,
    /// Settled, with the published result.
    Resolved,
    /// Refused by the centre, with the reason.
    Rejected,
    /// A duplicate of another report.
    Duplicate,
    /// Reopened for more work.
    Reopened,
    /// Returned by its unit to the centre, to be forwarded to the right one.
    Returned,
    /// The deadline was extended, with the reason.
    Extended,
    /// A message without a location: please send one.
    AskLocation,
    /// A location without a description: please describe the problem.
    AskDescription,
    /// A message that could not be filed (e.g. outside the city).
    Refused,
}

/// What a message may mention.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub code: Option<String>,
    pub deadline: Option<DateTime<Utc>>,
    /// The unit's Vietnamese and English names.
    pub unit: Option<(String, String)>,
    pub result: Option<String>,
    pub reason: Option<String>,
    /// The code of the ticket this one duplicates.
    pub other: Option<String>,
    /// For `Refused`: the fields at fault (`location`, `description`, …).
    pub reasons: Vec<String>,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub template: &'static str,
    pub code: Option<String>,
    pub subject: String,
    pub text_vi: String,
    pub text_en: String,
}

impl Rendered {
    /// The notification's stored payload (also the body sent to a webhook, with the recipient).
    pub fn payload(&self) -> serde_json::Value {
        json!({
            "template": self.template,
            "code": self.code,
            "subject": self.subject,
            "text_vi": self.text_vi,
            "text_en": self.text_en,
            "text": format!("{}\n\n{}", self.text_vi, self.text_en),
        })
    }
}

/// `dd/mm/yyyy` in Vietnam time.
fn date(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%d/%m/%Y").to_string()
}

impl Template {
    /// The template that tells the citizen about an event, if the event concerns them.
    /// Steps inside the administration (accepted, started, progress notes, closing after
    /// resolution, overdue, rating) are not sent: the citizen hears of the forwarding, of a
    /// unit handing the report back for another (without the unit's internal reason), and of
    /// the outcome.
    pub fn for_event(kind: EventKind) -> Option<Self> {
        Some(match kind {
            EventKind::Created => Template::Created,
            EventKind::Assigned => Template::Assigned,
            EventKind::Resolved => Template::Resolved,
            EventKind::Rejected => Template::Rejected,
            EventKind::Duplicate => Template::Duplicate,
            EventKind::Reopened => Template::Reopened,
            EventKind::Extended => Template::Extended,
            EventKind::Returned => Template::Returned,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Template::Created => "created",
            Template::Assigned => "assigned",
            Template::Resolved => "resolved",
            Template::Rejected => "rejected",
            Template::Duplicate => "duplicate",
            Template::Reopened => "reopened",
            Template::Extended => "extended",
            Template::Returned => "returned",
            Template::AskLocation => "ask_location",
            Template::AskDescription => "ask_description",
            Template::Refused => "refused",
        }
    }

    pub fn render(self, c: &Context) -> Rendered {
        let code = c.code.clone().unwrap_or_default();
        let due = c.deadline.map(date).unwrap_or_default();
        let reason = c.reason.clone().unwrap_or_else(|| "—".into());
        let (vi, en) = match self {
            Template::Created => (
                format!("Phản ánh {code} đã được tiếp nhận. Hạn xử lý: {due}. Cảm ơn bạn đã phản ánh."),
                format!("Report {code} has been received. Due by {due}. Thank you for reporting."),
            ),
            Template::Assigned => {
                let (vi, en) =
                    c.unit.clone().unwrap_or_else(|| ("đơn vị chức năng".into(), "the responsible unit".into()));
                (
                    format!("Phản ánh {code} đã được chuyển đến {vi} để xử lý."),
                    format!("Report {code} has been forwarded to {en}."),
                )
            }
            Template::Resolved => {
                let result = c.result.clone().unwrap_or_default();
                (
                    format!(
                        "Phản ánh {code} đã được xử lý: {result}\nSự việc đã được khắc phục chưa? Nhắn lại 1–5 (mức \
                         hài lòng, 5 là rất hài lòng) nếu đã khắc phục, 0 nếu chưa, kèm nhận xét; hoặc trả lời trên \
                         trang theo dõi."
                    ),
                    format!(
                        "Report {code} has been resolved: {result}\nWas it really fixed? Reply 1–5 (5: very \
                         satisfied) if it was, 0 if not, with any comment; or answer on the tracking page."
                    ),
                )
            }
            Template::Rejected => (
                format!("Phản ánh {code} không được tiếp nhận. Lý do: {reason}"),
                format!("Report {code} was not accepted. Reason: {reason}"),
            ),
            Template::Duplicate => {
                let other = c.other.clone().unwrap_or_default();
                (
                    format!("Phản ánh {code} trùng với phản ánh {other} và sẽ được xử lý cùng."),
                    format!("Report {code} duplicates report {other} and will be handled with it."),
                )
            }
            Template::Reopened => (
                format!("Phản ánh {code} đã được mở lại để tiếp tục xử lý. Hạn xử lý mới: {due}."),
                format!("Report {code} has been reopened. New due date: {due}."),
            ),
            Template::Returned => (
                format!("Phản ánh {code} đang được Trung tâm chuyển lại cho đơn vị phù hợp để xử lý."),
                format!("Report {code} is being passed on by the centre to the unit that should handle it."),
            ),
            Template::Extended => (
                format!("Hạn xử lý phản ánh {code} được gia hạn đến {due}. Lý do: {reason}"),
                format!("The due date of report {code} is extended to {due}. Reason: {reason}"),
            ),
            Template::AskLocation => (
                "Tổng đài 1022 đã nhận tin nhắn của bạn. Vui lòng gửi vị trí sự việc (chia sẻ vị trí, hoặc nhắn \
                 \"vĩ độ,kinh độ\" hay tên địa điểm) để phản ánh được tiếp nhận."
                    .into(),
                "1022 has your message. Please send the location (share it, or text \"lat,lon\" or a place name) \
                 so that your report can be filed."
                    .into(),
            ),
            Template::AskDescription => (
                "Tổng đài 1022 đã nhận vị trí bạn gửi. Vui lòng nhắn mô tả sự việc để phản ánh được tiếp nhận.".into(),
                "1022 has your location. Please describe the problem so that your report can be filed.".into(),
            ),
            Template::Refused => {
                let outside = c.reasons.iter().any(|r| r.starts_with("location"));
                let long = c.reasons.iter().any(|r| r == "description");
                let (vi, en) = if outside {
                    ("vị trí nằm ngoài địa bàn thành phố", "the location is outside the city")
                } else if long {
                    ("nội dung quá dài (tối đa 4 000 ký tự)", "the message is too long (4,000 characters at most)")
                } else {
                    ("thông tin chưa hợp lệ", "some details are not valid")
                };
                (
                    format!(
                        "Tổng đài 1022 chưa thể tiếp nhận phản ánh của bạn: {vi}. Vui lòng gọi 1022 để được hỗ trợ."
                    ),
                    format!("1022 could not file your report: {en}. Please call 1022 for help."),
                )
            }
        };
        let subject = match &c.code {
            Some(code) => format!("[1022] Phản ánh {code} / Report {code}"),
            None => "[1022] Tổng đài phản ánh / Citizen hotline".into(),
        };
        Rendered { template: self.name(), code: c.code.clone(), subject, text_vi: vi, text_en: en }
    }
}

fn dedup_key(kind: EventKind, ticket: &Ticket, seq: i64, medium: Medium, recipient: &str) -> String {
    match kind {
        EventKind::Created => format!("created:{}:{medium}:{recipient}", ticket.id),
        _ => format!("event:{seq}:{medium}:{recipient}"),
    }
}

/// What a message about `ticket` after event `ev` may mention.
pub async fn context(
    store: &dyn Store,
    reference: &Reference,
    ticket: &Ticket,
    note: Option<&str>,
) -> ServiceResult<Context> {
    let unit = ticket.unit.as_ref().and_then(|u| reference.unit(u)).map(|u| (u.name_vi.clone(), u.name_en.clone()));
    let other = match ticket.duplicate_of {
        Some(id) => store.ticket(id).await?.map(|t| t.code.0),
        None => None,
    };
    Ok(Context {
        code: Some(ticket.code.0.clone()),
        deadline: Some(ticket.deadline),
        unit,
        result: ticket.result.clone(),
        reason: note.map(str::to_owned),
        other,
        reasons: Vec::new(),
    })
}

/// One notification per recipient of the message `template` renders about `ticket`; the
/// dedup key makes each enqueue exactly-once (see `crate::notify::plan`).
pub fn items(
    template: Template,
    ctx: &Context,
    kind: EventKind,
    ticket: &Ticket,
    seq: Option<i64>,
    to: &[(Medium, String)],
) -> Vec<NewNotification> {
    let payload = template.render(ctx).payload();
    to.iter()
        .map(|(medium, recipient)| NewNotification {
            dedup_key: dedup_key(kind, ticket, seq.unwrap_or_default(), *medium, recipient),
            ticket_id: Some(ticket.id),
            seq,
            medium: *medium,
            recipient: recipient.clone(),
            template: template.name().into(),
            payload: payload.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_received_message_gives_the_code_and_the_deadline_in_vietnam_time() {
        let ctx = Context {
            code: Some("DN-2611-000123".into()),
            // 16:59:59 UTC is 23:59:59 in Vietnam: the same day.
            deadline: Some(Utc.with_ymd_and_hms(2026, 11, 16, 16, 59, 59).unwrap()),
            ..Context::default()
        };
        let r = Template::Created.render(&ctx);
        assert_eq!(
            r.text_vi,
            "Phản ánh DN-2611-000123 đã được tiếp nhận. Hạn xử lý: 16/11/2026. Cảm ơn bạn đã phản ánh."
        );
        assert!(r.text_en.starts_with("Report DN-2611-000123 has been received. Due by 16/11/2026."));
        assert_eq!(r.payload()["text"], format!("{}\n\n{}", r.text_vi, r.text_en));
    }

    #[test]
    fn reasons_and_results_are_quoted_and_internal_steps_are_not_sent() {
        let ctx =
            Context {
                code: Some("DN-1".into()), reason: Some("Không thuộc thẩm quyền".into()), ..Context::default()
            };
        assert_eq!(
            Template::Rejected.render(&ctx).text_vi,
            "Phản ánh DN-1 không được tiếp nhận. Lý do: Không thuộc thẩm quyền"
        );
        for kind in [EventKind::Accepted, EventKind::Started, EventKind::Progress, EventKind::Overdue] {
            assert_eq!(Template::for_event(kind), None, "{kind:?}");
        }
        let returned = Template::for_event(EventKind::Returned).unwrap().render(&ctx);
        assert!(returned.text_vi.starts_with("Phản ánh DN-1 đang được Trung tâm chuyển lại"), "{}", returned.text_vi);
        assert!(!returned.text_vi.contains("thẩm quyền"), "the unit's reason stays inside: {}", returned.text_vi);
        let refused = Template::Refused.render(&Context { reasons: vec!["location".into()], ..Context::default() });
        assert!(refused.text_vi.contains("ngoài địa bàn"), "{}", refused.text_vi);
    }
}
