//! The callers' keys: gives the contacts of newly filed tickets the keyed hash of their number
//! ([`crate::domain::desk::caller_key`]), so a caller's earlier tickets pop up with their next
//! call. Filing does not wait for it; a caller's history keys what is left before it reads.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::service::desk::Desk;

/// How often the worker looks for contacts to key.
const TICK: Duration = Duration::from_secs(5);

/// Starts the worker; the task stops when the handle is aborted.
pub fn spawn(desk: &Desk) -> JoinHandle<()> {
    let desk = desk.clone();
    crate::store::priority::spawn_background(async move {
        loop {
            match desk.key_contacts_pass().await {
                // A full batch: more may wait (a store filled before the desk existed).
                Ok(n) if n > 0 => tokio::task::yield_now().await,
                Ok(_) => tokio::time::sleep(TICK).await,
                Err(e) => {
                    tracing::warn!(error = %e, "keying callers' numbers failed; trying again");
                    tokio::time::sleep(TICK).await;
                }
            }
        }
    })
}
