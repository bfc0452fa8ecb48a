//! The messages a booking or a queue number sends, Vietnamese first and English after, each
//! with the manage link where there is one.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::Medium;
use crate::store::NewNotification;
use crate::store::appointments::Booking;

/// `07:45 Thứ Hai 07/12/2026` and `07:45 Monday 07/12/2026`, Vietnam time.
pub fn when(t: DateTime<Utc>) -> (String, String) {
    use chrono::Datelike;
    let local = t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    let (vi, en) = crate::service::stats::labels::WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    let (hm, date) = (local.format("%H:%M"), local.format("%d/%m/%Y"));
    (format!("{hm} {vi} {date}"), format!("{hm} {en} {date}"))
}

/// What happened to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingMessage {
    Confirmed,
    Rescheduled,
    Cancelled,
    ReminderDay,
    ReminderHour,
    /// The office closed; the booking moved to a new time.
    Moved,
    /// The office closed and no free slot was found: the centre will call.
    Unplaced,
    /// Served: how was it?
    Survey,
}

impl BookingMessage {
    pub fn template(self) -> &'static str {
        match self {
            Self::Confirmed => "booking_confirmed",
            Self::Rescheduled => "booking_rescheduled",
            Self::Cancelled => "booking_cancelled",
            Self::ReminderDay => "booking_reminder_day",
            Self::ReminderHour => "booking_reminder_hour",
            Self::Moved => "booking_moved",
            Self::Unplaced => "booking_unplaced",
            Self::Survey => "visit_survey",
        }
    }
}

/// The message about `b` at `office` (its name), with `link` to manage it, keyed by `dedup` (the
/// same key is enqueued once).
pub fn booking_message(
    kind: BookingMessage,
    b: &Booking,
    office: &str,
    link: &str,
    dedup: String,
    reason: Option<&str>,
) -> NewNotification {
    let (vi, en) = when(b.starts_at);
    let code = &b.code;
    let (text_vi, text_en) = match kind {
        BookingMessage::Confirmed => (
            format!(
                "Đã đặt lịch {code} lúc {vi} tại {office}. Mang theo giấy tờ theo hướng dẫn. Xem, đổi hoặc hủy: {link}"
            ),
            format!("Booked {code} at {en}, {office}. Bring the documents listed. View, change or cancel: {link}"),
        ),
        BookingMessage::Rescheduled => (
            format!("Lịch hẹn {code} đã đổi sang {vi} tại {office}. {link}"),
            format!("Appointment {code} moved to {en}, {office}. {link}"),
        ),
        BookingMessage::Cancelled => {
            (format!("Lịch hẹn {code} đã được hủy."), format!("Appointment {code} was cancelled."))
        }
        BookingMessage::ReminderDay => (
            format!("Nhắc lịch: ngày mai {vi} quý vị có hẹn {code} tại {office}. {link}"),
            format!("Reminder: tomorrow {en} you have appointment {code} at {office}. {link}"),
        ),
        BookingMessage::ReminderHour => (
            format!("Nhắc lịch: còn khoảng 1 giờ nữa ({vi}) đến hẹn {code} tại {office}. Xuất trình mã QR khi đến."),
            format!("Reminder: appointment {code} at {office} in about an hour ({en}). Show the QR code on arrival."),
        ),
        BookingMessage::Moved => (
            format!(
                "{office} tạm đóng cửa ({}). Lịch hẹn {code} đã chuyển sang {vi}. Chọn giờ khác hoặc hủy: {link}",
                reason.unwrap_or("sự cố")
            ),
            format!(
                "{office} is closed ({}). Appointment {code} moved to {en}. Choose another time or cancel: {link}",
                reason.unwrap_or("an incident")
            ),
        ),
        BookingMessage::Unplaced => (
            format!(
                "{office} tạm đóng cửa ({}) vào giờ hẹn {code}. Tổng đài 1022 sẽ gọi để xếp lịch mới; hoặc chọn giờ khác: {link}",
                reason.unwrap_or("sự cố")
            ),
            format!(
                "{office} is closed ({}) at the time of appointment {code}. The 1022 centre will call you; or choose another time: {link}",
                reason.unwrap_or("an incident")
            ),
        ),
        BookingMessage::Survey => (
            format!("Cảm ơn quý vị đã đến {office}. Xin dành 1 phút đánh giá mức độ hài lòng: {link}"),
            format!("Thank you for visiting {office}. Please rate your visit (1 minute): {link}"),
        ),
    };
    NewNotification {
        dedup_key: dedup,
        ticket_id: None,
        seq: None,
        medium: b.medium,
        recipient: b.recipient.clone(),
        template: kind.template().to_owned(),
        payload: payload(kind.template(), code, &text_vi, &text_en),
    }
}

/// "Two people before you": sent once to a number left for it.
pub fn near_message(id: uuid::Uuid, label: &str, office: &str, ahead: usize, phone: &str) -> NewNotification {
    let text_vi = format!("Số {label} tại {office}: còn {ahead} người trước quý vị. Xin đến gần quầy.");
    let text_en = format!("Number {label} at {office}: {ahead} people before you. Please come close to the counters.");
    NewNotification {
        dedup_key: format!("queue:{id}:near"),
        ticket_id: None,
        seq: None,
        medium: Medium::Sms,
        recipient: phone.to_owned(),
        template: "queue_near".into(),
        payload: payload("queue_near", label, &text_vi, &text_en),
    }
}

fn payload(template: &str, code: &str, vi: &str, en: &str) -> serde_json::Value {
    json!({
        "template": template,
        "code": code,
        "subject": format!("{code} — Tổng đài 1022"),
        "text_vi": vi,
        "text_en": en,
        "text": format!("{vi}\n\n{en}"),
    })
}

impl super::Appointments {
    /// Enqueues the reminders due at `now`: the day before from 17:00 Vietnam time, and within
    /// the hour before. Each is claimed in the store first, so it goes out once. Returns how
    /// many were enqueued.
    pub async fn send_reminders(&self, now: DateTime<Utc>) -> crate::service::ServiceResult<usize> {
        use chrono::Timelike;
        let evening = now.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).hour() >= 17;
        let offices = self.offices().await?;
        let mut sent = 0;
        for day in [true, false] {
            if day && !evening {
                continue;
            }
            for b in self.inner.store.due_reminders(day, now).await? {
                // A booking of tomorrow gets the day's reminder; one of today only the hour's.
                let tomorrow =
                    crate::domain::schedule::vietnam_date(b.starts_at) > crate::domain::schedule::vietnam_date(now);
                if day && !tomorrow {
                    self.inner.store.mark_reminded(b.id, true).await?;
                    continue;
                }
                if !self.inner.store.mark_reminded(b.id, day).await? {
                    continue;
                }
                let office = offices.iter().find(|o| o.id == b.office).map_or(b.office.as_str(), |o| o.name.as_str());
                let link = self.manage_link(&b.code, &self.token_for("booking", b.id));
                let (kind, tag) =
                    if day { (BookingMessage::ReminderDay, "day") } else { (BookingMessage::ReminderHour, "hour") };
                let dedup = format!("booking:{}:reminder-{tag}:{}", b.id, b.starts_at.timestamp());
                self.notify(vec![booking_message(kind, &b, office, &link, dedup, None)]).await?;
                sent += 1;
            }
        }
        Ok(sent)
    }
}
