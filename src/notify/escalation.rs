//! Escalation to staff: a unit is warned [`NotifySettings::warn_days`] working days before a
//! ticket's deadline; when a ticket goes overdue its unit's heads and its area's leaders are
//! told (planned from the `overdue` event, see [`overdue_notices`]); every working day at
//! [`NotifySettings::digest_at`] each unit's staff get a digest of their overdue and
//! nearly-due tickets. Each message is enqueued under a dedup key (the ticket and its
//! deadline, the event, or the day), so several instances send it once.
//!
//! [`NotifySettings::warn_days`]: super::NotifySettings::warn_days
//! [`NotifySettings::digest_at`]: super::NotifySettings::digest_at

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;

use super::Notifier;
use super::staff::{StaffMessage, area_leaders, notifications, unit_staff};
use crate::domain::schedule::{todays_tick, vietnam_date};
use crate::domain::{HolidayCalendar, StaffMember, Ticket, UnitCode};
use crate::service::{Reference, ServiceResult, Tickets};
use crate::spatial::TicketEntry;

/// How often the warnings and the digest are looked for.
const EVERY: Duration = Duration::from_secs(60);
/// Tickets listed by code in one email digest.
const DIGEST_LIST: usize = 100;

/// Starts the escalation timer.
pub fn spawn(n: &Notifier, tickets: &Tickets, calendar: std::sync::Arc<HolidayCalendar>) -> JoinHandle<()> {
    let (n, tickets) = (n.clone(), tickets.clone());
    crate::store::priority::spawn_background(async move {
        let mut warned = HashSet::new();
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = tickets.now();
            if let Err(e) = warn(&n, &tickets, &calendar, now, &mut warned).await {
                tracing::warn!(error = %e, "escalation: warnings failed; retrying");
            }
            if let Err(e) = digest(&n, &tickets, &calendar, now).await {
                tracing::warn!(error = %e, "escalation: digest failed; retrying");
            }
        }
    })
}

fn vn_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%H:%M %d/%m").to_string()
}

fn unit_name(r: &Reference, u: &UnitCode) -> String {
    r.unit(u).map_or_else(|| u.as_str().to_owned(), |u| u.name_vi.clone())
}

/// Warns each open ticket's unit staff once per deadline when it is due within `warn_days`
/// working days. Returns how many notifications were enqueued. `done` remembers what this
/// instance has enqueued, to spare the store the repeats.
pub async fn warn(
    n: &Notifier,
    tickets: &Tickets,
    calendar: &HolidayCalendar,
    now: DateTime<Utc>,
    done: &mut HashSet<(crate::domain::TicketId, DateTime<Utc>)>,
) -> ServiceResult<u64> {
    if n.settings.warn_days == 0 {
        return Ok(0);
    }
    let until = calendar.deadline(now, n.settings.warn_days);
    let due: Vec<TicketEntry> = tickets
        .open_due_before(until)
        .into_iter()
        .filter(|e| e.deadline > now && e.unit.is_some() && !done.contains(&(e.id, e.deadline)))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let staff = n.store.staff().await?;
    let reference = n.reference.current();
    let mut items = Vec::new();
    for e in &due {
        let Some(unit) = &e.unit else { continue };
        let to = unit_staff(&staff, &reference, unit, false);
        let code = e.code.as_str();
        let when = vn_time(e.deadline);
        let message = StaffMessage {
            template: "warn",
            key: format!("{}:{}", e.id, e.deadline.timestamp()),
            ticket: Some(e.id),
            seq: None,
            sms_vi: format!(
                "1022: phản ánh {code} sắp đến hạn xử lý ({when}). Đơn vị: {}.",
                unit_name(&reference, unit)
            ),
            sms_en: format!("1022: report {code} is due soon ({when})."),
            subject: format!("[1022] Sắp đến hạn: {code} / Due soon"),
            email: format!(
                "Phản ánh {code} sắp đến hạn xử lý: {when}.\nReport {code} is due at {when}.\n\nĐơn vị / Unit: {}\n",
                unit_name(&reference, unit)
            ),
            attachment: None,
        };
        items.extend(notifications(n, &message, &to));
    }
    let enqueued = if items.is_empty() { 0 } else { n.store.enqueue_notifications(&items, Utc::now()).await? };
    done.extend(due.iter().map(|e| (e.id, e.deadline)));
    Ok(enqueued)
}

/// The notices of a ticket that went overdue (its `overdue` event `seq`): to its unit's heads
/// and its area's leaders.
pub async fn overdue_notices(
    n: &Notifier,
    ticket: &Ticket,
    seq: i64,
) -> ServiceResult<Vec<crate::store::NewNotification>> {
    let staff = n.store.staff().await?;
    let reference = n.reference.current();
    let mut to: Vec<&StaffMember> = Vec::new();
    if let Some(u) = &ticket.unit {
        to.extend(unit_staff(&staff, &reference, u, true));
    }
    if let Some(a) = &ticket.area {
        to.extend(area_leaders(&staff, &reference, a));
    }
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let code = ticket.code.as_str();
    let unit = ticket.unit.as_ref().map_or_else(|| "chưa giao / not forwarded".into(), |u| unit_name(&reference, u));
    let when = vn_time(ticket.deadline);
    let message = StaffMessage {
        template: "overdue",
        key: seq.to_string(),
        ticket: Some(ticket.id),
        seq: Some(seq),
        sms_vi: format!("1022: phản ánh {code} đã QUÁ HẠN xử lý (hạn {when}). Đơn vị: {unit}."),
        sms_en: format!("1022: report {code} is OVERDUE (due {when})."),
        subject: format!("[1022] Quá hạn: {code} / Overdue"),
        email: format!(
            "Phản ánh {code} đã quá hạn xử lý (hạn {when}).\nReport {code} is overdue (due {when}).\n\nĐơn vị / Unit: {unit}\n"
        ),
        attachment: None,
    };
    Ok(notifications(n, &message, &to))
}

/// Today's digest (on a working day, from `digest_at`): each agency staff member with a
/// contact gets their units' overdue and nearly-due tickets, once a day.
pub async fn digest(
    n: &Notifier,
    tickets: &Tickets,
    calendar: &HolidayCalendar,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    let Some(tick) = todays_tick(n.settings.digest_at, now, calendar) else { return Ok(0) };
    let day = vietnam_date(tick);
    let staff = n.store.staff().await?;
    let members: Vec<&StaffMember> = staff.iter().filter(|m| m.user.role == crate::domain::Role::Agency).collect();
    if members.is_empty() {
        return Ok(0);
    }
    let reference = n.reference.current();
    let until = calendar.deadline(now, n.settings.warn_days.max(1));
    let open = tickets.open_due_before(until);
    let mut items = Vec::new();
    for m in members {
        let mine: Vec<&TicketEntry> = open
            .iter()
            .filter(|e| {
                e.unit.as_ref().is_some_and(|u| unit_staff(std::slice::from_ref(m), &reference, u, false).len() == 1)
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        let overdue = mine.iter().filter(|e| e.deadline < now).count();
        let soon = mine.len() - overdue;
        let mut by_unit: BTreeMap<String, Vec<&TicketEntry>> = BTreeMap::new();
        for e in &mine {
            by_unit.entry(unit_name(&reference, e.unit.as_ref().expect("filtered"))).or_default().push(e);
        }
        let mut email = format!(
            "Tổng hợp ngày {}: {overdue} phản ánh quá hạn, {soon} sắp đến hạn.\nDigest of {}: {overdue} overdue, {soon} due soon.\n",
            day.format("%d/%m/%Y"),
            day.format("%d/%m/%Y")
        );
        let mut listed = 0;
        for (unit, list) in &mut by_unit {
            list.sort_by_key(|e| e.deadline);
            email.push_str(&format!("\n{unit}\n"));
            for e in list.iter() {
                if listed == DIGEST_LIST {
                    break;
                }
                let state = if e.deadline < now { "QUÁ HẠN / overdue" } else { "sắp đến hạn / due soon" };
                email.push_str(&format!("  {} – hạn / due {} – {state}\n", e.code.as_str(), vn_time(e.deadline)));
                listed += 1;
            }
        }
        if listed < mine.len() {
            email.push_str(&format!("\n… {} phản ánh khác / more reports\n", mine.len() - listed));
        }
        let message = StaffMessage {
            template: "digest",
            key: format!("{day}:{}", m.user.id),
            ticket: None,
            seq: None,
            sms_vi: format!(
                "1022 ngày {}: {overdue} phản ánh quá hạn, {soon} sắp đến hạn. Xem chi tiết trên bảng điều khiển.",
                day.format("%d/%m")
            ),
            sms_en: format!("1022 {}: {overdue} overdue, {soon} due soon.", day.format("%d/%m")),
            subject: format!("[1022] Tổng hợp ngày {}: {overdue} quá hạn / Daily digest", day.format("%d/%m/%Y")),
            email,
            attachment: None,
        };
        items.extend(notifications(n, &message, &[m]));
    }
    if items.is_empty() {
        return Ok(0);
    }
    Ok(n.store.enqueue_notifications(&items, Utc::now()).await?)
}
