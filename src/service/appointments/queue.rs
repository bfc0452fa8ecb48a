//! Queue numbers for today: taken online or at the office's kiosk, or given at check-in to
//! people with a booking; called to a counter by the office's clerks; shown on the office's
//! display board (no personal data there).

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::booking::BookingView;
use super::texts::{BookingMessage, booking_message, near_message};
use super::{Appointments, token_matches};
use crate::domain::appointment::{
    PriorityReason, QueueKind, QueueStatus, VisitOutcome, Waiting, call_order, estimated_wait, parse_booking_code,
};
use crate::domain::desk::phone;
use crate::domain::office::Office;
use crate::domain::schedule::vietnam_date;
use crate::domain::{Principal, ValidationErrors};
use crate::service::auth::hash_secret;
use crate::service::{ServiceError, ServiceResult};
use crate::store::appointments::Booking;
use crate::store::queue::{NewNumber, QueueNumber};

/// A request for a number.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberInput {
    pub service: String,
    /// `elderly`, `disability` or `pregnant`.
    #[serde(default)]
    pub priority: Option<String>,
    /// For a message when two people are left before this number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Taken at the office's kiosk (kept only when the office's clerk or an admin asks).
    #[serde(default)]
    pub kiosk: bool,
}

/// A queue number as its holder sees it (and, with the appointment's name, the office's staff).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NumberView {
    pub id: Uuid,
    pub label: String,
    pub kind: QueueKind,
    pub office: String,
    pub service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<PriorityReason>,
    pub status: QueueStatus,
    pub counter: Option<i32>,
    /// Sent to this counter by another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_counter: Option<i32>,
    /// People to be called before this number (0 once called).
    pub position: usize,
    /// Estimated minutes until it is called.
    pub wait_minutes: u32,
    pub issued_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    /// For the office's staff: the booking's code and its holder's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The token to follow it: only in the answer that gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// A checked-in booking and its number.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckedIn {
    pub booking: BookingView,
    pub number: NumberView,
}

/// A call shown on the board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardCall {
    pub counter: i32,
    pub label: String,
    pub called_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardOffice {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct WaitingCounts {
    pub normal: usize,
    pub priority: usize,
    pub appointment: usize,
}

/// An office's display board: labels and counters only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub version: i64,
    pub office: BoardOffice,
    pub counters: u16,
    /// The latest call at each counter, by counter.
    pub serving: Vec<BoardCall>,
    /// The last ten calls, newest first.
    pub recent: Vec<BoardCall>,
    pub waiting: WaitingCounts,
}

/// How long a board waits for a change before answering the same version.
pub const BOARD_WAIT: Duration = Duration::from_secs(20);

impl Appointments {
    /// Gives a number for today. Roles: everyone; a number is the kiosk's only when the office's
    /// clerk (or an admin) asks for it, as the kiosk page does once signed in.
    pub async fn take_number(
        &self,
        p: &Principal,
        office: &str,
        input: NumberInput,
        key: Option<&str>,
    ) -> ServiceResult<NumberView> {
        let office = self.office(office).await?;
        let kiosk = input.kiosk && Self::may_work(p, &office.id).is_ok();
        let mut errs = ValidationErrors::new();
        if office.service(&input.service).is_none() {
            errs.push("service", "no such service here");
        }
        let priority = match input.priority.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(p) => PriorityReason::parse(p).or_else(|| {
                errs.push("priority", "must be elderly, disability or pregnant");
                None
            }),
        };
        let number = phone(input.phone.as_deref(), "phone", false, &mut errs);
        if key.is_some_and(|k| k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic())) {
            errs.push("Idempotency-Key", "must be 1 to 200 visible ASCII characters");
        }
        errs.into_result()?;
        let now = Utc::now();
        self.open_now(&office, now).await?;
        let id = Uuid::now_v7();
        let token = self.token_for("queue", id);
        let new = NewNumber {
            id,
            office: office.id.clone(),
            day: vietnam_date(now),
            kind: if priority.is_some() { QueueKind::Priority } else { QueueKind::Normal },
            service: input.service,
            priority,
            phone: number,
            channel: if kiosk { "kiosk" } else { "online" }.into(),
            token_hash: hash_secret(&token),
            idem_key: key.map(|k| format!("queue:{k}")),
            issued_at: now,
        };
        let made = self.inner.store.take_number(&new).await?;
        self.touched();
        let mut view = self.number_view(&office, &made).await?;
        if made.id == id {
            view.token = Some(token);
        }
        Ok(view)
    }

    /// Refuses numbers while the office is not open today or is closed now.
    async fn open_now(&self, office: &Office, now: DateTime<Utc>) -> ServiceResult<()> {
        let today = vietnam_date(now);
        let spans = office.spans_on(today, &self.inner.calendar).map_err(|_| {
            ServiceError::Conflict(format!("{} does not open today / không làm việc hôm nay", office.name))
        })?;
        let last_close = spans.iter().map(|(_, c)| *c).max().expect("spans are not empty");
        if now >= crate::domain::schedule::vietnam_instant(today, last_close) {
            return Err(ServiceError::Conflict(format!("{} has closed for today / đã hết giờ làm việc", office.name)));
        }
        if self.closures(&office.id, now).await?.iter().any(|c| c.from <= now && now < c.to) {
            return Err(ServiceError::Conflict(format!("{} is closed now / đang tạm đóng cửa", office.name)));
        }
        Ok(())
    }

    /// A number, with its place in the queue. Roles: everyone, with its token.
    pub async fn own_number(&self, id: Uuid, token: &str) -> ServiceResult<NumberView> {
        let not_found = || ServiceError::NotFound("queue number".into());
        let (n, hash) = self.inner.store.number(id).await?.ok_or_else(not_found)?;
        if !token_matches(&hash, token) {
            return Err(not_found());
        }
        let office = self.office(n.office.as_str()).await?;
        self.number_view(&office, &n).await
    }

    /// A number as its holder sees it, from where its day's numbers stand.
    fn queue_view(office: &Office, n: &QueueNumber, standing: &Standing) -> NumberView {
        let position = standing.positions.get(&n.id).copied().unwrap_or(0);
        let default = office.service(&n.service).map_or(10.0, |s| f64::from(s.slot_minutes));
        NumberView {
            id: n.id,
            label: n.label.clone(),
            kind: n.kind,
            office: n.office.as_str().to_owned(),
            service: n.service.clone(),
            priority: n.priority,
            status: n.status,
            counter: n.counter,
            to_counter: n.to_counter,
            position,
            wait_minutes: estimated_wait(position, standing.served_mean.unwrap_or(default), standing.counters),
            issued_at: n.issued_at,
            called_at: n.called_at,
            booking_code: None,
            name: None,
            token: None,
        }
    }

    /// A number as its holder sees it, reading its day's numbers.
    async fn number_view(&self, office: &Office, n: &QueueNumber) -> ServiceResult<NumberView> {
        let all = self.inner.store.day_numbers(&office.id, n.day).await?;
        Ok(Self::queue_view(office, n, &Standing::of(&all, Utc::now())))
    }

    /// Today's numbers at an office, oldest first, with the booking holders' names. Roles:
    /// admin, the office's clerks.
    pub async fn day_queue(&self, p: &Principal, office: &str) -> ServiceResult<Vec<NumberView>> {
        let office = self.office(office).await?;
        Self::may_work(p, &office.id)?;
        let now = Utc::now();
        let all = self.inner.store.day_numbers(&office.id, vietnam_date(now)).await?;
        let standing = Standing::of(&all, now);
        // The day's bookings in one read, for the names of those checked in.
        let from = crate::domain::schedule::vietnam_instant(vietnam_date(now), chrono::NaiveTime::MIN);
        let bookings: HashMap<Uuid, Booking> = self
            .inner
            .store
            .office_bookings(&office.id, from, from + chrono::Duration::days(1))
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        Ok(all
            .iter()
            .map(|n| {
                let mut v = Self::queue_view(&office, n, &standing);
                if let Some(b) = n.booking.and_then(|id| bookings.get(&id)) {
                    (v.booking_code, v.name) = (Some(b.code.clone()), Some(b.name.clone()));
                }
                v
            })
            .collect())
    }

    /// Checks in a booking of today by its code (typed or read from its QR code): it gets an `H`
    /// number. Roles: admin, the office's clerks.
    pub async fn check_in(&self, p: &Principal, office: &str, code: &str) -> ServiceResult<CheckedIn> {
        let office = self.office(office).await?;
        Self::may_work(p, &office.id)?;
        let code = parse_booking_code(code)
            .ok_or_else(|| ValidationErrors::single("code", "is not a booking code (LH-XXXXXX)"))?;
        let (b, _) = self
            .inner
            .store
            .booking_by_code(&code)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("booking {code}")))?;
        if b.office != office.id {
            return Err(ServiceError::Conflict(format!("booking {code} is for another office ({})", b.office)));
        }
        let now = Utc::now();
        if vietnam_date(b.starts_at) != vietnam_date(now) {
            return Err(ServiceError::Conflict(format!("booking {code} is for another day")));
        }
        let id = Uuid::now_v7();
        let new = NewNumber {
            id,
            office: office.id.clone(),
            day: vietnam_date(now),
            kind: QueueKind::Appointment,
            service: b.service.clone(),
            priority: None,
            phone: None,
            channel: "checkin".into(),
            token_hash: hash_secret(&self.token_for("queue", id)),
            idem_key: None,
            issued_at: now,
        };
        let Some(n) = self.inner.store.check_in(&b, &new).await? else {
            return Err(ServiceError::Conflict(format!("booking {code} is {}", b.status.as_str())));
        };
        self.touched();
        let fresh = self.inner.store.booking(b.id).await?.unwrap_or(b);
        let mut number = self.number_view(&office, &n).await?;
        (number.booking_code, number.name) = (Some(fresh.code.clone()), Some(fresh.name.clone()));
        Ok(CheckedIn { booking: self.view(&office, &fresh).await, number })
    }

    /// Calls the next number to `counter` (the one still called there is marked served first).
    /// `None` when nobody waits. Roles: admin, the office's clerks.
    pub async fn call_next(&self, p: &Principal, office: &str, counter: i32) -> ServiceResult<Option<NumberView>> {
        let office = self.office(office).await?;
        Self::may_work(p, &office.id)?;
        if counter < 1 || counter > i32::from(office.counters) {
            return Err(ValidationErrors::single("counter", format!("must be 1–{}", office.counters)).into());
        }
        let now = Utc::now();
        let today = vietnam_date(now);
        let before = self.inner.store.day_numbers(&office.id, today).await?;
        for n in before.iter().filter(|n| n.status == QueueStatus::Called && n.counter == Some(counter)) {
            self.finished(&office, n.id, VisitOutcome::Served, None).await?;
        }
        // Another clerk may call the same number at the same moment: the store gives it to one,
        // and the other takes the next in the order.
        let all = self.inner.store.day_numbers(&office.id, today).await?;
        let mut called = None;
        for id in call_order(&waiting(&all, true), counter, now) {
            if self.inner.store.call_number(id, counter, Utc::now()).await? {
                called = Some(id);
                break;
            }
        }
        let Some(id) = called else { return Ok(None) };
        self.touched();
        let all = self.inner.store.day_numbers(&office.id, today).await?;
        self.send_near(&office, &all).await?;
        let n = all.iter().find(|n| n.id == id).ok_or_else(|| ServiceError::NotFound("queue number".into()))?;
        let mut v = Self::queue_view(&office, n, &Standing::of(&all, Utc::now()));
        if let Some(b) = n.booking
            && let Some(b) = self.inner.store.booking(b).await?
        {
            (v.booking_code, v.name) = (Some(b.code), Some(b.name));
        }
        Ok(Some(v))
    }

    /// Ends a called number's turn. Roles: admin, the office's clerks.
    pub async fn finish(
        &self,
        p: &Principal,
        office: &str,
        id: Uuid,
        outcome: VisitOutcome,
        to_counter: Option<i32>,
    ) -> ServiceResult<NumberView> {
        let office = self.office(office).await?;
        Self::may_work(p, &office.id)?;
        match (outcome, to_counter) {
            (VisitOutcome::Transferred, Some(c)) if c >= 1 && c <= i32::from(office.counters) => {}
            (VisitOutcome::Transferred, _) => {
                return Err(ValidationErrors::single("to_counter", format!("must be 1–{}", office.counters)).into());
            }
            (_, Some(_)) => return Err(ValidationErrors::single("to_counter", "only for a transfer").into()),
            _ => {}
        }
        let n = self.finished(&office, id, outcome, to_counter).await?;
        self.number_view(&office, &n).await
    }

    async fn finished(
        &self,
        office: &Office,
        id: Uuid,
        outcome: VisitOutcome,
        to: Option<i32>,
    ) -> ServiceResult<QueueNumber> {
        let Some(n) = self.inner.store.finish_number(id, outcome, to, Utc::now()).await? else {
            return Err(ServiceError::Conflict("this number is not called at a counter now".into()));
        };
        if n.office != office.id {
            return Err(ServiceError::NotFound("queue number".into()));
        }
        self.touched();
        if outcome == VisitOutcome::Served
            && let Some(b) = n.booking
            && let Some(b) = self.inner.store.booking(b).await?
        {
            let link = self.manage_link(&b.code, &self.token_for("booking", b.id));
            let dedup = format!("booking:{}:survey", b.id);
            self.notify(vec![booking_message(BookingMessage::Survey, &b, &office.name, &link, dedup, None)]).await?;
        }
        Ok(n)
    }

    /// Tells the holders who left a number that two people are left before them, once.
    async fn send_near(&self, office: &Office, all: &[QueueNumber]) -> ServiceResult<()> {
        let order = call_order(&waiting(all, false), 0, Utc::now());
        for (ahead, id) in order.iter().enumerate().take(3) {
            let Some(n) = all.iter().find(|n| n.id == *id) else { continue };
            if ahead <= 2
                && !n.near_sent
                && let Some(phone) = &n.phone
                && self.inner.store.claim_near(n.id).await?
            {
                self.notify(vec![near_message(n.id, &n.label, &office.name, ahead, phone)]).await?;
            }
        }
        Ok(())
    }

    /// The office's board, at once when `since` is not its version, else when it changes or
    /// after [`BOARD_WAIT`]. Roles: everyone.
    pub async fn board(&self, office: &str, since: Option<i64>) -> ServiceResult<Board> {
        let office = self.office(office).await?;
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + BOARD_WAIT;
        loop {
            let version = self.inner.store.board_version(&office.id).await?;
            if since != Some(version) || tokio::time::Instant::now() >= deadline {
                return self.board_now(&office, version).await;
            }
            // Woken by this instance's changes at once, by another's within a second.
            let _ = tokio::time::timeout(Duration::from_secs(1), rx.changed()).await;
        }
    }

    async fn board_now(&self, office: &Office, version: i64) -> ServiceResult<Board> {
        let all = self.inner.store.day_numbers(&office.id, vietnam_date(Utc::now())).await?;
        let mut calls: Vec<BoardCall> = all
            .iter()
            .filter(|n| n.status != QueueStatus::Waiting || n.to_counter.is_some())
            .filter_map(|n| Some(BoardCall { counter: n.counter?, label: n.label.clone(), called_at: n.called_at? }))
            .collect();
        calls.sort_by_key(|c| std::cmp::Reverse(c.called_at));
        let mut serving: Vec<BoardCall> = Vec::new();
        for c in &calls {
            if !serving.iter().any(|s| s.counter == c.counter) {
                serving.push(c.clone());
            }
        }
        serving.sort_by_key(|c| c.counter);
        let mut waiting = WaitingCounts::default();
        for n in all.iter().filter(|n| n.status == QueueStatus::Waiting) {
            match n.kind {
                QueueKind::Normal => waiting.normal += 1,
                QueueKind::Priority => waiting.priority += 1,
                QueueKind::Appointment => waiting.appointment += 1,
            }
        }
        Ok(Board {
            version,
            office: BoardOffice {
                id: office.id.as_str().to_owned(),
                name: office.name.clone(),
                name_en: office.name_en.clone(),
            },
            counters: office.counters,
            serving,
            recent: calls.into_iter().take(10).collect(),
            waiting,
        })
    }
}

/// The waiting numbers as the call rule sees them (`transfers`: keep those sent to a counter).
fn waiting(all: &[QueueNumber], transfers: bool) -> Vec<Waiting> {
    all.iter()
        .filter(|n| n.status == QueueStatus::Waiting && (transfers || n.to_counter.is_none()))
        .map(|n| Waiting {
            id: n.id,
            kind: n.kind,
            issued_at: n.issued_at,
            slot_at: n.slot_at,
            to_counter: n.to_counter,
        })
        .collect()
}

/// Where the day's waiting numbers stand and how fast the office goes, computed once per list.
struct Standing {
    /// People called before each waiting number: in the general order, or, for a number sent
    /// to a counter, in that counter's order.
    positions: HashMap<Uuid, usize>,
    /// Mean minutes a served number took today, if any was served.
    served_mean: Option<f64>,
    /// Counters that called someone in the last half hour (at least one).
    counters: usize,
}

impl Standing {
    fn of(all: &[QueueNumber], now: DateTime<Utc>) -> Self {
        let mut positions: HashMap<Uuid, usize> =
            call_order(&waiting(all, false), 0, now).into_iter().enumerate().map(|(i, id)| (id, i)).collect();
        // Numbers sent to a counter stand in that counter's order.
        let sent: HashMap<Uuid, i32> = all
            .iter()
            .filter(|n| n.status == QueueStatus::Waiting)
            .filter_map(|n| Some((n.id, n.to_counter?)))
            .collect();
        let mut targets: Vec<i32> = sent.values().copied().collect();
        targets.sort_unstable();
        targets.dedup();
        let with_transfers = waiting(all, true);
        for c in targets {
            for (i, id) in call_order(&with_transfers, c, now).into_iter().enumerate() {
                if sent.get(&id) == Some(&c) {
                    positions.insert(id, i);
                }
            }
        }
        let took: Vec<f64> = all
            .iter()
            .filter(|n| n.status == QueueStatus::Served)
            .filter_map(|n| Some((n.finished_at? - n.called_at?).num_seconds() as f64 / 60.0))
            .collect();
        let served_mean = (!took.is_empty()).then(|| took.iter().sum::<f64>() / took.len() as f64);
        let mut counters: Vec<i32> = all
            .iter()
            .filter(|n| n.called_at.is_some_and(|t| now - t < chrono::Duration::minutes(30)))
            .filter_map(|n| n.counter)
            .collect();
        counters.sort_unstable();
        counters.dedup();
        Self { positions, served_mean, counters: counters.len().max(1) }
    }
}
