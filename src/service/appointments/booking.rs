//! Free slots and bookings: made on the portal, by an operator for a caller, or in the chatbot;
//! seen, moved and cancelled by the citizen with their token.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::texts::{BookingMessage, booking_message};
use super::{Appointments, require};
use crate::domain::appointment::{BookingStatus, new_booking_code, parse_booking_code};
use crate::domain::desk::{caller_key, phone, text};
use crate::domain::office::{ClosedReason, Office, OfficeService};
use crate::domain::schedule::vietnam_instant;
use crate::domain::{Medium, Principal, ProcedureCode, RequiredDocument, Role, ValidationErrors};
use crate::service::auth::hash_secret;
use crate::service::{ServiceError, ServiceResult};
use crate::store::appointments::{Booking, NewBooking, Taken};

/// A day's slots of a service.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DaySlots {
    pub day: NaiveDate,
    pub open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ClosedReason>,
    pub slots: Vec<FreeSlot>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FreeSlot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Places left.
    pub free: i64,
}

/// A booking request.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    pub office: String,
    pub service: String,
    pub starts_at: DateTime<Utc>,
    pub name: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub procedure: Option<String>,
    /// `vi` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A chatbot booking: where its messages go (the chat's medium and user id; on the portal's
/// chat, `None`: by SMS to the number given).
#[derive(Debug, Clone)]
pub struct ChatRecipient {
    pub medium: Option<Medium>,
    pub user: String,
}

/// A booking as its citizen (or the centre, or the office) sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookingView {
    pub code: String,
    pub status: BookingStatus,
    pub office: String,
    pub office_name: String,
    pub address: String,
    pub service: String,
    pub service_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure_name: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The documents to bring, from the procedures catalogue.
    pub documents: Vec<RequiredDocument>,
    pub name: String,
    pub phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Set when a closure of the office moved it: the time it had before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<DateTime<Utc>>,
    pub channel: String,
    /// The token to see, move and cancel it: only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// A booking made (or found again under the same idempotency key).
pub struct Booked {
    pub view: BookingView,
    pub replayed: bool,
}

impl Appointments {
    /// The slots of a service on a day with the places left. Roles: everyone.
    pub async fn day_slots(&self, office: &str, service: &str, day: NaiveDate) -> ServiceResult<DaySlots> {
        let office = self.office(office).await?;
        let svc = office.service(service).ok_or_else(|| ValidationErrors::single("service", "no such service here"))?;
        let now = Utc::now();
        let closures = self.closures(&office.id, now).await?;
        let slots = match office.bookable_slots(svc, day, &self.inner.calendar, &closures, now) {
            Ok(s) => s,
            Err(reason) => return Ok(DaySlots { day, open: false, reason: Some(reason), slots: vec![] }),
        };
        let from = vietnam_instant(day, chrono::NaiveTime::MIN);
        let loads = self.store().slot_loads(&office.id, &svc.id, from, from + chrono::Duration::days(1)).await?;
        let cap = i64::from(svc.capacity);
        let slots = slots
            .into_iter()
            .map(|s| {
                let taken = loads.iter().find(|(t, _)| *t == s.starts_at).map_or(0, |(_, n)| *n);
                FreeSlot { starts_at: s.starts_at, ends_at: s.ends_at, free: (cap - taken).max(0) }
            })
            .collect();
        Ok(DaySlots { day, open: true, reason: None, slots })
    }

    /// Books a slot. The public and the centre (admins, operators; channel `console`) may; a
    /// chatbot booking passes its chat as `chat`. A replay of the same key answers the same
    /// booking; a full slot or a person over their daily limit is a 409 naming the field.
    pub async fn book(
        &self,
        p: &Principal,
        input: BookingInput,
        key: Option<&str>,
        chat: Option<ChatRecipient>,
    ) -> ServiceResult<Booked> {
        let channel = match (p, &chat) {
            (_, Some(_)) => "chatbot",
            (Principal::Public, None) => "portal",
            _ => {
                require(p, &[Role::Admin, Role::Operator])?;
                "console"
            }
        };
        let mut errs = ValidationErrors::new();
        let office = errs.take(self.office(&input.office).await.map_err(|e| match e {
            ServiceError::NotFound(_) | ServiceError::Validation(_) => {
                ValidationErrors::single("office", "no such office")
            }
            other => ValidationErrors::single("office", other.to_string()),
        }));
        let name = text(input.name.as_deref(), "name", 120, true, &mut errs);
        let number = phone(input.phone.as_deref(), "phone", true, &mut errs);
        let email = text(input.email.as_deref(), "email", 254, false, &mut errs);
        if email.as_deref().is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace)) {
            errs.push("email", "must be an email address");
        }
        let lang = match input.lang.as_deref() {
            None | Some("vi") => "vi",
            Some("en") => "en",
            Some(_) => {
                errs.push("lang", "must be vi or en");
                "vi"
            }
        };
        let procedure = input.procedure.as_deref().and_then(|c| errs.take(ProcedureCode::parse(c, "procedure")));
        let key = match key {
            Some(k) if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) => {
                errs.push("Idempotency-Key", "must be 1 to 200 visible ASCII characters");
                None
            }
            k => k.map(|k| format!("booking:{k}")),
        };
        errs.into_result()?;
        let office = office.expect("validated");
        let svc = office
            .service(&input.service)
            .ok_or_else(|| ValidationErrors::single("service", "no such service here"))?;
        if let Some(code) = &procedure
            && !svc.procedures.is_empty()
            && !svc.procedures.contains(code)
        {
            return Err(ValidationErrors::single("procedure", "this service does not handle that procedure").into());
        }
        let now = Utc::now();
        let closures = self.closures(&office.id, now).await?;
        let slot = office
            .bookable(svc, input.starts_at, &self.inner.calendar, &closures, now)
            .map_err(|r| ValidationErrors::single("starts_at", slot_refusal(r)))?;
        let (name, number) = (name.expect("validated"), number.expect("validated"));
        let person_key = caller_key(self.inner.person_key.expose().as_bytes(), &number).expect("a valid number");
        let id = Uuid::now_v7();
        let token = self.token_for("booking", id);
        let (medium, recipient) = match chat {
            Some(ChatRecipient { medium: Some(m), user }) => (m, user),
            _ => (Medium::Sms, number.clone()),
        };
        let booking = Booking {
            id,
            code: new_booking_code(&mut rand::rng()),
            office: office.id.clone(),
            service: svc.id.clone(),
            procedure: procedure.map(|c| c.as_str().to_owned()),
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
            status: BookingStatus::Booked,
            name,
            phone: number,
            email,
            medium,
            recipient,
            lang: lang.to_owned(),
            channel: channel.to_owned(),
            created_by: p.actor_name(),
            moved_from: None,
            checked_in_at: None,
            finished_at: None,
            created_at: now,
        };
        let new = NewBooking {
            booking,
            person_key,
            token_hash: hash_secret(&token),
            idem_key: key,
            capacity: svc.capacity,
            per_person: office.per_person_per_day,
        };
        match self.store().book(&new).await? {
            Taken::Booked(b) => {
                let link = self.manage_link(&b.code, &token);
                let mut msgs = vec![booking_message(
                    BookingMessage::Confirmed,
                    &b,
                    &office.name,
                    &link,
                    format!("booking:{}:confirmed", b.id),
                    None,
                )];
                if let Some(mail) = &b.email {
                    let mut m = msgs[0].clone();
                    (m.medium, m.recipient, m.dedup_key) =
                        (Medium::Email, mail.clone(), format!("booking:{}:confirmed:email", b.id));
                    msgs.push(m);
                }
                self.notify(msgs).await?;
                let mut view = self.view(&office, &b).await;
                view.token = Some(token);
                Ok(Booked { view, replayed: false })
            }
            Taken::Replayed(b) => {
                if b.office != office.id || b.starts_at != slot.starts_at || b.service != svc.id {
                    return Err(ServiceError::IdempotencyMismatch);
                }
                Ok(Booked { view: self.view(&office, &b).await, replayed: true })
            }
            Taken::SlotFull => Err(ServiceError::Full {
                code: "slot_full",
                field: "starts_at",
                detail: "every place of this slot was just taken: choose another time".into(),
            }),
            Taken::PersonLimit => Err(ServiceError::Full {
                code: "person_limit",
                field: "phone",
                detail: format!(
                    "this number already holds {} booking(s) at this office that day, the most allowed",
                    office.per_person_per_day
                ),
            }),
        }
    }

    /// The booking with `code` if `token` is its token (else 404, whichever was wrong).
    async fn own_booking(&self, code: &str, token: &str) -> ServiceResult<(Office, Booking)> {
        let not_found = || ServiceError::NotFound("booking (check the code and the link)".into());
        let code = parse_booking_code(code).ok_or_else(not_found)?;
        let (b, hash) = self.store().booking_by_code(&code).await?.ok_or_else(not_found)?;
        if !super::token_matches(&hash, token) {
            return Err(not_found());
        }
        Ok((self.office(b.office.as_str()).await?, b))
    }

    /// The citizen's booking. Roles: everyone, with the booking's token.
    pub async fn own_view(&self, code: &str, token: &str) -> ServiceResult<BookingView> {
        let (office, b) = self.own_booking(code, token).await?;
        Ok(self.view(&office, &b).await)
    }

    /// Moves the citizen's booking to another free slot of its service. Roles: everyone, with
    /// the token.
    pub async fn reschedule(&self, code: &str, token: &str, starts_at: DateTime<Utc>) -> ServiceResult<BookingView> {
        let (office, b) = self.own_booking(code, token).await?;
        if b.status != BookingStatus::Booked {
            return Err(ServiceError::Conflict(format!("booking {} is {}", b.code, b.status.as_str())));
        }
        let svc = office
            .service(&b.service)
            .ok_or_else(|| ServiceError::Conflict("the office no longer offers this service".into()))?;
        let now = Utc::now();
        let closures = self.closures(&office.id, now).await?;
        let slot = office
            .bookable(svc, starts_at, &self.inner.calendar, &closures, now)
            .map_err(|r| ValidationErrors::single("starts_at", slot_refusal(r)))?;
        let moved = self.take_move(&office, svc, &b, slot.starts_at, slot.ends_at, false).await?;
        let link = self.manage_link(&moved.code, token);
        let dedup = format!("booking:{}:moved:{}", moved.id, moved.starts_at.timestamp());
        self.notify(vec![booking_message(BookingMessage::Rescheduled, &moved, &office.name, &link, dedup, None)])
            .await?;
        Ok(self.view(&office, &moved).await)
    }

    /// Takes the new slot and frees the old one, or says which was full.
    pub(super) async fn take_move(
        &self,
        office: &Office,
        svc: &OfficeService,
        b: &Booking,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        closed: bool,
    ) -> ServiceResult<Booking> {
        let taken = self
            .store()
            .move_booking(b.id, (starts_at, ends_at), svc.capacity, office.per_person_per_day, closed, Utc::now())
            .await
            .map_err(|e| match e {
                crate::store::StoreError::Invalid(m) => ServiceError::Conflict(m),
                e => e.into(),
            })?;
        match taken {
            Taken::Booked(m) | Taken::Replayed(m) => Ok(m),
            Taken::SlotFull => Err(ServiceError::Full {
                code: "slot_full",
                field: "starts_at",
                detail: "every place of this slot is taken: choose another time".into(),
            }),
            Taken::PersonLimit => Err(ServiceError::Full {
                code: "person_limit",
                field: "starts_at",
                detail: "this number already holds the most bookings allowed at this office that day".into(),
            }),
        }
    }

    /// Cancels the citizen's booking and frees its place. Roles: everyone, with the token.
    pub async fn cancel(&self, code: &str, token: &str) -> ServiceResult<BookingView> {
        let (office, b) = self.own_booking(code, token).await?;
        let Some(c) = self.store().cancel_booking(b.id, Utc::now()).await? else {
            return Err(ServiceError::Conflict(format!("booking {} is {}", b.code, b.status.as_str())));
        };
        let dedup = format!("booking:{}:cancelled", c.id);
        self.notify(vec![booking_message(BookingMessage::Cancelled, &c, &office.name, "", dedup, None)]).await?;
        Ok(self.view(&office, &c).await)
    }

    /// An office's bookings of a day (personal data). Roles: admin, operator, the office's clerks.
    pub async fn office_day(&self, p: &Principal, office: &str, day: NaiveDate) -> ServiceResult<Vec<BookingView>> {
        let office = self.office(office).await?;
        if p.role() != Some(Role::Operator) {
            Self::may_work(p, &office.id)?;
        }
        let from = vietnam_instant(day, chrono::NaiveTime::MIN);
        let list = self.store().office_bookings(&office.id, from, from + chrono::Duration::days(1)).await?;
        let mut out = Vec::with_capacity(list.len());
        for b in &list {
            out.push(self.view(&office, b).await);
        }
        Ok(out)
    }

    pub(super) async fn view(&self, office: &Office, b: &Booking) -> BookingView {
        let svc = office.service(&b.service);
        let procedure = match b.procedure.as_deref().map(|c| ProcedureCode::parse(c, "procedure")) {
            Some(Ok(code)) => self.inner.procedures.procedure(&code).await,
            _ => None,
        };
        BookingView {
            code: b.code.clone(),
            status: b.status,
            office: office.id.as_str().to_owned(),
            office_name: office.name.clone(),
            address: office.address.clone(),
            service: b.service.clone(),
            service_name: svc.map(|s| s.name.clone()).unwrap_or_else(|| b.service.clone()),
            procedure: b.procedure.clone(),
            procedure_name: procedure.as_ref().map(|p| p.name.clone()),
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            documents: procedure.map(|p| p.documents).unwrap_or_default(),
            name: b.name.clone(),
            phone: b.phone.clone(),
            email: b.email.clone(),
            moved_from: b.moved_from,
            channel: b.channel.clone(),
            token: None,
        }
    }
}

/// Why a time cannot be booked, for the field's message.
fn slot_refusal(r: ClosedReason) -> &'static str {
    match r {
        ClosedReason::Holiday => "the office is closed on this public holiday",
        ClosedReason::Closed => "is not the start of a slot the office opens that day",
        ClosedReason::Closure => "the office is closed at that time",
        ClosedReason::OutsideWindow => "is outside the days open for booking",
    }
}
