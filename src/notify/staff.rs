//! Messages to staff (escalations, digests, the Friday report): who gets them and the
//! notifications that carry them, on SMS and email, only on media with a delivery configured.
//! Exactly-once, like the citizens' messages, by each notification's dedup key.

use crate::domain::{AreaCode, Role, StaffMember, UnitCode};
use crate::service::Reference;
use crate::store::NewNotification;

use super::Notifier;

/// `unit` and the units above it.
pub fn unit_chain(reference: &Reference, unit: &UnitCode) -> Vec<UnitCode> {
    let mut out = vec![unit.clone()];
    let mut cur = unit.clone();
    while let Some(parent) = reference.unit(&cur).and_then(|u| u.parent.clone()) {
        if out.contains(&parent) {
            break;
        }
        out.push(parent.clone());
        cur = parent;
    }
    out
}

/// Agency staff who work `unit`'s tickets (their units include it or one above it); only its
/// heads with `heads_only`.
pub fn unit_staff<'a>(
    staff: &'a [StaffMember],
    reference: &Reference,
    unit: &UnitCode,
    heads_only: bool,
) -> Vec<&'a StaffMember> {
    let chain = unit_chain(reference, unit);
    staff
        .iter()
        .filter(|m| m.user.role == Role::Agency && (!heads_only || m.contact.unit_head))
        .filter(|m| m.user.units.iter().any(|u| chain.contains(u)))
        .collect()
}

/// Leaders whose areas hold `area` (the area itself or one above it).
pub fn area_leaders<'a>(staff: &'a [StaffMember], reference: &Reference, area: &AreaCode) -> Vec<&'a StaffMember> {
    let chain = reference.areas.ancestors(area);
    staff.iter().filter(|m| m.user.role == Role::Leader && m.user.areas.iter().any(|a| chain.contains(a))).collect()
}

/// A message to staff, in both languages.
#[derive(Debug, Clone)]
pub struct StaffMessage {
    /// `warn`, `overdue`, `digest`, `weekly_report`.
    pub template: &'static str,
    /// What makes it one message: with the medium and the recipient, the dedup key.
    pub key: String,
    pub ticket: Option<crate::domain::TicketId>,
    pub seq: Option<i64>,
    pub sms_vi: String,
    pub sms_en: String,
    pub subject: String,
    pub email: String,
    /// `(file name, bytes)` attached to the email.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// The notifications of `message` to each of `to`: SMS to their phone (unaccented when they
/// asked for it), email to their address.
pub fn notifications(n: &Notifier, message: &StaffMessage, to: &[&StaffMember]) -> Vec<NewNotification> {
    use crate::domain::{Medium, sms};
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for m in to {
        if let Some(phone) = m.contact.phone.as_deref().filter(|_| n.settings.delivers(Medium::Sms))
            && seen.insert((Medium::Sms, phone.to_owned()))
        {
            let text = if m.contact.unaccented_sms { sms::unaccent(&message.sms_vi) } else { message.sms_vi.clone() };
            out.push(NewNotification {
                dedup_key: format!("{}:{}:sms:{phone}", message.template, message.key),
                ticket_id: message.ticket,
                seq: message.seq,
                medium: Medium::Sms,
                recipient: phone.to_owned(),
                template: message.template.into(),
                payload: serde_json::json!({
                    "template": message.template,
                    "subject": message.subject,
                    "text": text,
                    "text_vi": text,
                    "text_en": message.sms_en,
                    "staff": true,
                }),
            });
        }
        if let Some(email) = m.contact.email.as_deref().filter(|_| n.settings.delivers(Medium::Email))
            && seen.insert((Medium::Email, email.to_owned()))
        {
            let attachments: Vec<serde_json::Value> = message
                .attachment
                .iter()
                .map(|(name, bytes)| {
                    use base64::Engine;
                    serde_json::json!({
                        "filename": name,
                        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                    })
                })
                .collect();
            out.push(NewNotification {
                dedup_key: format!("{}:{}:email:{email}", message.template, message.key),
                ticket_id: message.ticket,
                seq: message.seq,
                medium: Medium::Email,
                recipient: email.to_owned(),
                template: message.template.into(),
                payload: serde_json::json!({
                    "template": message.template,
                    "subject": message.subject,
                    "text": message.email,
                    "text_vi": message.email,
                    "text_en": message.sms_en,
                    "attachments": attachments,
                    "staff": true,
                }),
            });
        }
    }
    out
}
