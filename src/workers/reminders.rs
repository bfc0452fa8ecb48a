//! Booking reminders: the day before (from 17:00, Vietnam time) and about an hour before, on
//! the booking's channel through the notifier. Each reminder is claimed once in the store, so
//! several instances send it once.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::service::appointments::Appointments;

/// How often the worker looks for reminders due.
const TICK: Duration = Duration::from_secs(30);

/// Starts the worker; the task stops when the handle is aborted.
pub fn spawn(appointments: &Appointments) -> JoinHandle<()> {
    let appointments = appointments.clone();
    crate::store::priority::spawn_background(async move {
        loop {
            if let Err(e) = appointments.send_reminders(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "sending booking reminders failed; trying again");
            }
            tokio::time::sleep(TICK).await;
        }
    })
}
