//! `switchboard bench booking` against a test server: the tool's own checks hold.

use switchboard::bench::booking::{BookingBench, run};
use switchboard::bench::live::load::Credentials;

use crate::harness::{Backend, PASSWORD};
use crate::on_both_stores;

async fn the_booking_window_tool_fills_the_first_slots_exactly(backend: Backend) {
    let app = super::app(backend).await;
    let cfg = BookingBench {
        url: app.base.clone(),
        office: "DN-HCC".into(),
        service: "dat-dai".into(),
        people: 40,
        tries: 3,
        credentials: Credentials::User { name: "t.operator".into(), password: PASSWORD.into() },
    };
    let r = run(&cfg).await.unwrap();
    // The first open day's slots of three places each; people 0, 10, 20, 30 want the same slot
    // when the day has ten of them. Everyone is booked, nothing overbooked.
    assert!(r.places >= 40, "{r}");
    assert_eq!((r.booked, r.turned_away, r.errors, r.overbooked_slots), (40, 0, 0, 0), "{r}");
    assert!(r.is_clean());
}

on_both_stores!(the_booking_window_tool_fills_the_first_slots_exactly);
