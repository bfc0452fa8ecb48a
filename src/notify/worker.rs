//! The delivery worker: claims due notifications, delivers them side by side, and records each
//! outcome: sent, due again after a backoff, or given up after the last attempt or a permanent
//! error. A claim reserves a row for `lease`; an instance that dies mid-delivery leaves its
//! rows to be claimed again after it (at-least-once delivery).

use chrono::Utc;
use futures_util::future::join_all;
use tokio::task::JoinHandle;

use super::Notifier;
use super::deliver::{Deliverer, DeliveryError, batch_timeout};
use crate::service::ServiceResult;
use crate::store::DeliveryOutcome;

/// Notifications claimed per round.
const CLAIM: i64 = 16;

pub fn spawn(notifier: &Notifier, deliverer: Deliverer) -> JoinHandle<()> {
    let n = notifier.clone();
    crate::store::priority::spawn_background(async move {
        loop {
            match run_once(&n, &deliverer).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notifier: delivery round failed; retrying"),
            }
            tokio::time::sleep(n.settings.poll).await;
        }
    })
}

/// One round: claim, deliver, record. Returns how many were claimed.
#[tracing::instrument(skip_all)]
pub async fn run_once(notifier: &Notifier, deliverer: &Deliverer) -> ServiceResult<usize> {
    let settings = &notifier.settings;
    let now = Utc::now();
    let lease = chrono::Duration::from_std(settings.lease.max(batch_timeout(settings.timeout)))
        .unwrap_or(chrono::Duration::seconds(120));
    let claimed = notifier.store.claim_notifications(now, now + lease, CLAIM).await?;
    let attempts = claimed.iter().map(|n| async move {
        let result = match super::tracking::with_link(notifier, n).await {
            Ok(sent) => tokio::time::timeout(batch_timeout(settings.timeout), deliverer.deliver(&sent))
                .await
                .unwrap_or_else(|_| Err(DeliveryError::Temporary("timed out".into()))),
            Err(e) => Err(DeliveryError::Temporary(format!("reading the ticket's token: {e}"))),
        };
        (n, result)
    });
    for (n, result) in join_all(attempts).await {
        let outcome = match result {
            Ok(()) => DeliveryOutcome::Sent { at: Utc::now() },
            Err(DeliveryError::Temporary(e)) if (n.attempts as u32) < settings.max_attempts => {
                let wait = settings.backoff_after(n.attempts.max(1) as u32);
                tracing::info!(id = %n.id, attempts = n.attempts, error = %e, "notification not delivered; will retry");
                DeliveryOutcome::Retry {
                    at: Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60)),
                    error: e,
                }
            }
            Err(e) => {
                tracing::warn!(id = %n.id, attempts = n.attempts, error = %e, "notification given up");
                DeliveryOutcome::GiveUp { error: e.to_string() }
            }
        };
        notifier.store.finish_notification(n.id, outcome).await?;
    }
    Ok(claimed.len())
}
