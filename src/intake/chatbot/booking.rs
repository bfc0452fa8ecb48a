//! Booking an appointment in the chat: "tôi muốn đặt lịch làm lại sổ đỏ" gets the earliest free
//! slots of an office serving that procedure, numbered, and the booking page's link; "ĐẶT 2
//! Nguyễn Văn A 0905123456" books the second (on SMS the sender's number is used when none is
//! written). The offer is kept per conversation for two hours.

use chrono::{Duration, Utc};
use serde_json::json;

use super::Chatbot;
use crate::domain::Principal;
use crate::domain::conversation::{ChatChannel, Conversation};
use crate::domain::desk::normalise_phone;
use crate::domain::schedule::vietnam_date;
use crate::domain::text::fold;
use crate::service::appointments::booking::{BookingInput, ChatRecipient};
use crate::service::appointments::texts::when;
use crate::service::{ServiceError, ServiceResult};

/// Slots offered at once.
const OFFERED: usize = 3;
/// How long an offer may be taken up.
const OFFER_HOURS: i64 = 2;

/// What a message asks of the booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingAsk {
    /// To book: offer slots.
    Offer,
    /// To take offered slot `n` (1-based) for `name`, with a number if written.
    Take { n: usize, name: String, phone: Option<String> },
}

const OFFER_PHRASES: &[&str] =
    &["dat lich", "dat hen", "hen lich", "lich hen", "dang ky lich", "book an appointment", "make an appointment"];

/// Reads a booking ask from a message (folded, so with or without diacritics).
pub fn ask(text: &str) -> Option<BookingAsk> {
    let folded = fold(text);
    let mut words = text.split_whitespace();
    let first = words.next().map(fold).unwrap_or_default();
    if matches!(first.as_str(), "dat" | "book") {
        let rest: Vec<&str> = words.collect();
        if let Some(n) = rest.first().and_then(|w| w.parse::<usize>().ok()).filter(|n| (1..=OFFERED).contains(n)) {
            let mut name: Vec<&str> = rest[1..].to_vec();
            // The number may be written in groups: "0905 123 456".
            let numeric = |w: &&&str| w.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '.' | '-' | '(' | ')'));
            let tail = name.iter().rev().take_while(numeric).count();
            let digits = name[name.len() - tail..].join(" ");
            let phone = normalise_phone(&digits).filter(|p| p.len() >= 9).map(|_| digits);
            if phone.is_some() {
                name.truncate(name.len() - tail);
            }
            return Some(BookingAsk::Take { n, name: name.join(" "), phone });
        }
    }
    let padded = format!(" {folded} ");
    OFFER_PHRASES.iter().any(|p| padded.contains(&format!(" {p} "))).then_some(BookingAsk::Offer)
}

impl Chatbot {
    /// Answers a booking ask in conversation `c`, or `None` when the message is not one (or the
    /// chatbot books nothing: no offices).
    pub(super) async fn booking_reply(&self, c: &Conversation, text: &str) -> ServiceResult<Option<String>> {
        let Some(appointments) = &self.appointments else { return Ok(None) };
        let Some(ask) = ask(text) else { return Ok(None) };
        let base = self.base().unwrap_or("").trim_end_matches('/').to_owned();
        match ask {
            BookingAsk::Offer => {
                let best = self.procedures.best(text).await.filter(|b| b.confidence >= self.settings.min_confidence);
                let Some(best) = best else {
                    return Ok(Some(format!(
                        "Quý vị muốn đặt lịch cho thủ tục nào? Hãy viết tên thủ tục, ví dụ «đặt lịch cấp lại sổ đỏ», \
                         hoặc đặt trên trang {base}/dat-lich\nWhich procedure? E.g. «book an appointment to renew a land certificate»."
                    )));
                };
                let code = best.procedure.code.clone();
                let offices = appointments.offices().await?;
                let found = offices.iter().find_map(|o| {
                    o.services.iter().find(|s| s.procedures.contains(&code)).map(|s| (o.clone(), s.clone()))
                });
                let Some((office, service)) = found else {
                    return Ok(Some(format!(
                        "Thủ tục «{}» ({}) chưa nhận đặt lịch trực tuyến. Gọi 1022 để được hướng dẫn.\n\
                         This procedure cannot be booked online yet; call 1022.",
                        best.procedure.name, code
                    )));
                };
                let today = vietnam_date(Utc::now());
                let mut slots = Vec::new();
                for d in 0..=i64::from(office.days_ahead) {
                    let day =
                        appointments.day_slots(office.id.as_str(), &service.id, today + Duration::days(d)).await?;
                    slots.extend(day.slots.into_iter().filter(|s| s.free > 0).map(|s| s.starts_at));
                    if slots.len() >= OFFERED {
                        break;
                    }
                }
                slots.truncate(OFFERED);
                if slots.is_empty() {
                    return Ok(Some(format!(
                        "{} đã hết chỗ trong những ngày mở đặt lịch. Quý vị có thể lấy số thứ tự tại văn phòng.\n\
                         No free slot in the booking window; take a queue number at the office.",
                        office.name
                    )));
                }
                let offer = json!({"office": office.id.as_str(), "service": service.id, "procedure": code.as_str(), "slots": slots});
                appointments.remember_offer(c.id, &offer).await?;
                let list: Vec<String> =
                    slots.iter().enumerate().map(|(i, t)| format!("{}) {}", i + 1, when(*t).0)).collect();
                let phone_hint = if c.channel == ChatChannel::Sms { "" } else { " số điện thoại" };
                Ok(Some(format!(
                    "Đặt lịch «{}» tại {} ({}). Giờ còn trống:\n{}\nTrả lời «ĐẶT 1 Họ và tên{phone_hint}» để giữ chỗ, \
                     hoặc chọn giờ khác: {base}/dat-lich?procedure={}\nReply «BOOK 1 Full name{}» to book.",
                    best.procedure.name,
                    office.name,
                    office.address,
                    list.join("\n"),
                    code,
                    if phone_hint.is_empty() { "" } else { " phone" }
                )))
            }
            BookingAsk::Take { n, name, phone } => {
                let offer =
                    appointments.offer(c.id).await?.filter(|(_, at)| Utc::now() - *at < Duration::hours(OFFER_HOURS));
                let Some((offer, _)) = offer else {
                    return Ok(Some(
                        "Chưa có giờ nào được đề nghị, hoặc đề nghị đã hết hạn. Viết «đặt lịch» và tên thủ tục.\n\
                         No slots were offered (or the offer expired): write «book an appointment» and the procedure."
                            .into(),
                    ));
                };
                let Some(at) = offer["slots"].get(n - 1).and_then(|v| v.as_str()).and_then(|t| t.parse().ok()) else {
                    return Ok(Some(format!("Không có lựa chọn {n}. / There is no option {n}.")));
                };
                let phone = phone.or_else(|| (c.channel == ChatChannel::Sms).then(|| c.sender.clone()));
                let input = BookingInput {
                    office: offer["office"].as_str().unwrap_or_default().to_owned(),
                    service: offer["service"].as_str().unwrap_or_default().to_owned(),
                    starts_at: at,
                    name: Some(name).filter(|n| !n.trim().is_empty()),
                    phone,
                    email: None,
                    procedure: offer["procedure"].as_str().map(str::to_owned),
                    lang: None,
                };
                let chat = Some(ChatRecipient { medium: c.channel.medium(), user: c.sender.clone() });
                let key = format!("chat:{}:{}", c.id, offer["slots"][n - 1].as_str().unwrap_or_default());
                match appointments.book(&Principal::Public, input, Some(&key), chat).await {
                    Ok(done) => {
                        let v = done.view;
                        let docs: Vec<String> = v.documents.iter().take(6).map(|d| format!("- {}", d.name)).collect();
                        let link = v.token.as_deref().map(|t| format!("{base}/dat-lich/{}?token={t}", v.code)).unwrap_or_default();
                        Ok(Some(format!(
                            "Đã đặt lịch {} lúc {} tại {} ({}).\nMang theo:\n{}\nXem, đổi hoặc hủy: {link}\nBooked {} at {}.",
                            v.code,
                            when(v.starts_at).0,
                            v.office_name,
                            v.address,
                            if docs.is_empty() { "- giấy tờ tùy thân".into() } else { docs.join("\n") },
                            v.code,
                            when(v.starts_at).1
                        )))
                    }
                    Err(ServiceError::Full { code: "slot_full", .. }) => Ok(Some(
                        "Giờ này vừa hết chỗ. Viết lại «đặt lịch» và tên thủ tục để xem giờ khác.\nThat slot was just taken; ask again for other times."
                            .into(),
                    )),
                    Err(ServiceError::Full { detail, .. }) => Ok(Some(format!("Không đặt được: {detail}"))),
                    Err(ServiceError::Validation(v)) if v.0.iter().any(|f| f.field == "phone") => Ok(Some(
                        "Xin ghi kèm số điện thoại: «ĐẶT 1 Họ và tên 0905xxxxxx».\nPlease add your phone number.".into(),
                    )),
                    Err(ServiceError::Validation(v)) if v.0.iter().any(|f| f.field == "name") => {
                        Ok(Some("Xin ghi kèm họ và tên: «ĐẶT 1 Họ và tên».\nPlease add your full name.".into()))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_are_read_with_or_without_diacritics() {
        assert_eq!(ask("Tôi muốn đặt lịch cấp lại sổ đỏ"), Some(BookingAsk::Offer));
        assert_eq!(ask("cho hoi dat hen lam ho chieu"), Some(BookingAsk::Offer));
        assert_eq!(
            ask("dat 1 Tran Van B 0905123456"),
            Some(BookingAsk::Take { n: 1, name: "Tran Van B".into(), phone: Some("0905123456".into()) })
        );
        assert_eq!(
            ask("ĐẶT 2 Nguyễn Thị Vân Anh 0905 123 456"),
            Some(BookingAsk::Take { n: 2, name: "Nguyễn Thị Vân Anh".into(), phone: Some("0905 123 456".into()) })
        );
        assert_eq!(ask("ĐẶT 3 Lê Thị C"), Some(BookingAsk::Take { n: 3, name: "Lê Thị C".into(), phone: None }));
        assert_eq!(ask("đặt 9 ai đó"), None, "only the options offered");
        assert_eq!(ask("đường Trần Phú ngập nước"), None);
    }
}
