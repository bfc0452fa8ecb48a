//! The demo city's hotline desk: a month of calls that were questions (most about the demo
//! catalogue's procedures), the phone system's record of them, some missed calls, and the
//! callbacks they opened — most returned within a few hours, a few still waiting — so that the
//! leaders' desk figures and the console's callback list have something to show. Every caller
//! is invented (numbers in the 0900 000 xxx range).

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::domain::desk::{
    CallEvent, CallEventKind, Callback, CallbackSource, CallbackState, Inquiry, InquiryOutcome, caller_key,
};
use crate::domain::{CallRecord, Procedure};
use crate::store::Store;

const NAMES: &[&str] = &[
    "Nguyễn Thị Hoa",
    "Trần Văn Nam",
    "Lê Thị Thu",
    "Phạm Minh Tuấn",
    "Hoàng Thị Lan",
    "Võ Văn Hùng",
    "Đặng Thị Mai",
    "Bùi Quốc Bảo",
    "Huỳnh Thị Ngọc",
    "Phan Văn Lợi",
    "Ngô Thị Hạnh",
    "Đỗ Thành Trung",
];
const DEPARTMENTS: &[&str] = &[
    "Phòng Tài nguyên và Môi trường quận",
    "Chi nhánh Văn phòng đăng ký đất đai",
    "Phòng Tư pháp quận",
    "Công an phường",
    "Phòng Quản lý đô thị quận",
];
/// Questions that are not about a procedure of the catalogue.
const OTHER_TOPICS: &[&str] = &[
    "Hỏi lịch cắt điện khu vực",
    "Hỏi tiến độ xử lý phản ánh đã gửi",
    "Hỏi giờ làm việc của bộ phận một cửa",
    "Hỏi số điện thoại đường dây nóng của phường",
    "Hỏi cách nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
];

/// Seeds `n` inquiry calls over the 30 days before `now`, with their PBX calls, about one missed
/// call for every ten answered, and the callbacks; answers how many inquiries were written.
pub async fn seed(
    store: &dyn Store,
    procedures: &[Procedure],
    n: usize,
    seed: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let candidate: [u8; 32] = rand::random();
    let key = store.desk_key(&candidate).await?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1022);
    let mut written = 0;
    for i in 0..n {
        let started = working_moment(&mut rng, now);
        let phone = format!("0900{:06}", rng.random_range(0..1_000_000));
        let call_id = format!("demo-{}.{i}", started.timestamp());
        let talk = rng.random_range(60..540);
        let extension = format!("10{}", rng.random_range(1..6));
        let missed = rng.random_bool(0.1);
        let events: Vec<(CallEventKind, DateTime<Utc>)> = if missed {
            vec![(CallEventKind::Ringing, started), (CallEventKind::Missed, started + Duration::seconds(40))]
        } else {
            vec![
                (CallEventKind::Ringing, started),
                (CallEventKind::Answered, started + Duration::seconds(8)),
                (CallEventKind::Ended, started + Duration::seconds(8 + talk)),
            ]
        };
        let k = caller_key(&key, &phone);
        for (kind, at) in events {
            let event = CallEvent {
                call_id: call_id.clone(),
                kind,
                at,
                caller: Some(phone.clone()),
                extension: Some(extension.clone()),
                duration_seconds: (kind == CallEventKind::Ended).then_some(talk as u32),
                recording_ref: (kind == CallEventKind::Ended).then(|| format!("demo/{call_id}.wav")),
            };
            let callback = (kind == CallEventKind::Missed)
                .then(|| callback(&mut rng, CallbackSource::MissedCall, None, Some(&call_id), &phone, None, at, now));
            store.record_call_event(&event, k.as_deref(), None, callback.as_ref().map(|c| &c.0), at).await?;
            if let Some((cb, Some(settled))) = callback {
                settle(store, cb, settled).await?;
            }
        }
        if missed {
            continue;
        }
        let outcome = *[
            (InquiryOutcome::Answered, 62),
            (InquiryOutcome::Transferred, 12),
            (InquiryOutcome::Callback, 10),
            (InquiryOutcome::Appointment, 8),
        ]
        .choose_weighted(&mut rng, |o| o.1)
        .map(|o| &o.0)
        .expect("weights");
        let procedure = rng.random_bool(0.75).then(|| procedures.choose(&mut rng)).flatten();
        let topic = match procedure {
            Some(p) => p.name.chars().take(300).collect(),
            None => (*OTHER_TOPICS.choose(&mut rng).expect("topics")).to_owned(),
        };
        let answer = match procedure {
            Some(p) => {
                format!("Hướng dẫn hồ sơ, thời hạn và nơi nộp theo thủ tục {} ({}).", p.code.as_str(), p.submit_at)
            }
            None => "Đã cung cấp thông tin cho người gọi.".into(),
        };
        let inquiry = Inquiry {
            id: Uuid::now_v7(),
            call: CallRecord {
                started_at: started.with_nanosecond(0).unwrap_or(started),
                duration_seconds: Some(talk as u32),
                recording_ref: Some(format!("demo/{call_id}.wav")),
            },
            call_id: Some(call_id.clone()),
            caller_name: Some((*NAMES.choose(&mut rng).expect("names")).to_owned()),
            caller_phone: Some(phone.clone()),
            topic,
            procedure: procedure.map(|p| p.code.as_str().to_owned()),
            field: procedure.map(|p| p.field.clone()),
            answer,
            outcome,
            transferred_to: (outcome == InquiryOutcome::Transferred)
                .then(|| (*DEPARTMENTS.choose(&mut rng).expect("departments")).to_owned()),
            ticket: None,
            operator: "operator".into(),
            created_at: started + Duration::seconds(8 + talk),
        };
        let callback = (outcome == InquiryOutcome::Callback).then(|| {
            let reason = format!("Gọi lại trả lời: {}", inquiry.topic.chars().take(120).collect::<String>());
            callback(
                &mut rng,
                CallbackSource::Inquiry,
                Some(inquiry.id),
                None,
                &phone,
                Some(reason),
                inquiry.created_at,
                now,
            )
        });
        store.insert_inquiry(&inquiry, k.as_deref(), None, callback.as_ref().map(|c| &c.0)).await?;
        if let Some((cb, Some(settled))) = callback {
            settle(store, cb, settled).await?;
        }
        written += 1;
    }
    Ok(written)
}

/// Closes a demo callback as the operator did at `at`.
async fn settle(store: &dyn Store, cb: Callback, (state, at): (CallbackState, DateTime<Utc>)) -> anyhow::Result<()> {
    let version = cb.version + 1;
    let closed =
        Callback { state, closed_at: Some(at), closed_by: Some("operator".into()), updated_at: at, version, ..cb };
    store.update_callback(&closed).await?;
    Ok(())
}

/// A callback opened at `at`, due two hours on, and how it was settled if it was: most within
/// a few hours (some after their due time), a few cancelled; most of the last three days' wait.
#[allow(clippy::too_many_arguments)]
fn callback(
    rng: &mut StdRng,
    source: CallbackSource,
    inquiry: Option<Uuid>,
    call_id: Option<&str>,
    phone: &str,
    reason: Option<String>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (Callback, Option<(CallbackState, DateTime<Utc>)>) {
    let cb = Callback {
        id: Uuid::now_v7(),
        source,
        inquiry,
        call_id: call_id.map(str::to_owned),
        caller_name: None,
        caller_phone: phone.to_owned(),
        reason: reason.unwrap_or_else(|| "Cuộc gọi nhỡ / Missed call".into()),
        due_at: at + Duration::hours(2),
        owner: Some("operator".into()),
        state: CallbackState::Open,
        attempts: 0,
        missed_calls: 0,
        note: None,
        created_at: at,
        updated_at: at,
        closed_at: None,
        closed_by: None,
        version: 1,
    };
    let settled = at + Duration::minutes(rng.random_range(10..300));
    let settle = (settled < now - Duration::days(3) || (settled < now && rng.random_bool(0.4))).then(|| {
        let state = if rng.random_bool(0.06) { CallbackState::Cancelled } else { CallbackState::Done };
        (state, settled)
    });
    (cb, settle)
}

/// A moment of a working day (Monday to Saturday morning) in the 30 days before `now`, in
/// office hours, busiest in the morning.
fn working_moment(rng: &mut StdRng, now: DateTime<Utc>) -> DateTime<Utc> {
    let hours: [(u32, u32); 9] = [(7, 8), (8, 14), (9, 16), (10, 14), (11, 8), (13, 7), (14, 10), (15, 9), (16, 6)];
    loop {
        let day = (now - Duration::days(rng.random_range(0..30))).with_timezone(&Ho_Chi_Minh).date_naive();
        if day.weekday() == Weekday::Sun {
            continue;
        }
        let hour = hours.choose_weighted(rng, |h| h.1).expect("weights").0;
        if day.weekday() == Weekday::Sat && hour >= 11 {
            continue;
        }
        let local = day.and_hms_opt(hour, rng.random_range(0..60), rng.random_range(0..60)).expect("a time");
        let t = Ho_Chi_Minh.from_local_datetime(&local).single().expect("no DST in Vietnam").to_utc();
        if t < now {
            return t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_calls_come_in_office_hours_on_working_days_of_the_last_month() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let t = working_moment(&mut rng, now);
            let local = t.with_timezone(&Ho_Chi_Minh);
            assert!(t < now && t > now - Duration::days(31), "{t}");
            assert_ne!(local.weekday(), Weekday::Sun, "{local}");
            assert!((7..17).contains(&local.hour()) && local.hour() != 12, "{local}");
        }
    }

    #[test]
    fn old_callbacks_are_settled_and_recent_ones_may_wait() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        let mut rng = StdRng::seed_from_u64(3);
        let (cb, settle) = callback(
            &mut rng,
            CallbackSource::MissedCall,
            None,
            Some("c"),
            "0900000001",
            None,
            now - Duration::days(10),
            now,
        );
        assert_eq!(cb.due_at, now - Duration::days(10) + Duration::hours(2));
        let (state, at) = settle.expect("a callback of ten days ago was settled");
        assert!(matches!(state, CallbackState::Done | CallbackState::Cancelled) && at > cb.created_at);
        let waiting = (0..50)
            .filter(|_| {
                callback(
                    &mut rng,
                    CallbackSource::MissedCall,
                    None,
                    None,
                    "0900000002",
                    None,
                    now - Duration::minutes(5),
                    now,
                )
                .1
                .is_none()
            })
            .count();
        assert!(waiting > 25, "most callbacks of five minutes ago still wait ({waiting} of 50)");
    }
}
