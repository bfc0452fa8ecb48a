//! Sending the Friday report: every minute, the reports of the schedule's last tick are kept
//! ([`Reports::keep_due`], once per tick and recipient across instances) and each is enqueued
//! to its recipient's phone and email under a key of the kept report, so it goes out once, and
//! once after a downtime over the tick.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;

use super::Notifier;
use super::staff::{StaffMessage, notifications};
use crate::service::{Reports, ServiceResult};

const EVERY: Duration = Duration::from_secs(60);

pub fn spawn(n: &Notifier, reports: &Reports) -> JoinHandle<()> {
    let (n, reports) = (n.clone(), reports.clone());
    crate::store::priority::spawn_background(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The tick this instance has sent everything of: nothing to do until the next one.
        let mut done = None;
        loop {
            tick.tick().await;
            let now = Utc::now();
            let due = reports.schedule().last_tick(now);
            if done == Some(due) {
                continue;
            }
            match send_due(&n, &reports, now).await {
                Ok(_) => done = Some(due),
                Err(e) => tracing::warn!(error = %e, "weekly report: sending failed; retrying"),
            }
        }
    })
}

/// Keeps and enqueues the reports due at `now`. Returns how many notifications were new.
pub async fn send_due(n: &Notifier, reports: &Reports, now: DateTime<Utc>) -> ServiceResult<u64> {
    let catch_up = chrono::Duration::from_std(n.settings.report_catch_up).unwrap_or(chrono::Duration::days(3));
    let due = reports.keep_due(now, catch_up).await?;
    let mut items = Vec::new();
    for (member, report, xlsx) in &due {
        let Some(id) = report.id else { continue };
        let message = StaffMessage {
            template: "weekly_report",
            key: id.to_string(),
            ticket: None,
            seq: None,
            // The SMS is composed to fit two segments in each form.
            sms_vi: if member.contact.unaccented_sms { report.sms_unaccented.clone() } else { report.sms.clone() },
            sms_en: report.sms_unaccented.clone(),
            subject: report.email_subject.clone(),
            email: report.email_text.clone(),
            attachment: Some((format!("bao-cao-tuan-{}-{}.xlsx", report.from, report.to), xlsx.clone())),
        };
        items.extend(notifications(n, &message, &[member]));
    }
    if items.is_empty() {
        return Ok(0);
    }
    Ok(n.store.enqueue_notifications(&items, Utc::now()).await?)
}
