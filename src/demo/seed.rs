//! `switchboard seed --demo`: loads the demo city and generates realistic tickets.
//!
//! Tickets are skewed by district (the dense centre files more), by category (garbage and
//! urban order dominate, as in Đà Nẵng's 1022 statistics), and by hour of day (office hours,
//! noise at night). Each ticket is walked through the real status machine with back-dated
//! events, so the mix of statuses — on time, late, overdue, returned, rejected, duplicate —
//! comes from the same rules the API applies.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use geo::{BoundingRect, Contains, Point};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::DemoCity;
use crate::config::CitySettings;
use crate::domain::status::{self, Transition};
use crate::domain::{
    Action, Actor, Area, AreaCode, Category, Channel, EventKind, Field, HolidayCalendar, Location, NewTicket, Priority,
    Rating, ReporterContact, Ticket, TicketCode, TicketEvent, TicketId, TrackingToken, UnitCode, routing,
};
use crate::store::{Created, NewTicketRecord, Store};

/// What a seed run did.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub areas: usize,
    pub categories: usize,
    pub units: usize,
    pub rules: usize,
    pub tickets: usize,
    pub events: usize,
    pub planning_zones: usize,
    pub procedures: usize,
    pub offices: usize,
    /// Inquiry calls of the demo's hotline desk (with their PBX calls and callbacks).
    pub inquiries: usize,
    pub users: Vec<String>,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "demo city loaded: {} areas, {} categories, {} units, {} routing rules, {} planning zones, {} procedures, {} offices; \
             {} tickets with {} events, {} inquiry calls",
            self.areas,
            self.categories,
            self.units,
            self.rules,
            self.planning_zones,
            self.procedures,
            self.offices,
            self.tickets,
            self.events,
            self.inquiries
        )?;
        if !self.users.is_empty() {
            write!(f, "; demo users: {}", self.users.join(", "))?;
        }
        Ok(())
    }
}

/// Loads the demo into a store that has no areas yet; leaves a populated store alone.
pub async fn ensure_demo(store: &dyn Store, city: &CitySettings, tickets: usize) -> anyhow::Result<()> {
    if !store.areas().await?.is_empty() {
        tracing::info!("the store already has areas: the demo city is not loaded again");
        return Ok(());
    }
    let report = seed(store, city, tickets, 1022).await?;
    tracing::info!(%report, password = %super::users::demo_password(), "demo loaded");
    Ok(())
}

/// Loads the demo city's reference data, demo users and `n` generated tickets.
pub async fn seed(store: &dyn Store, settings: &CitySettings, n: usize, seed: u64) -> anyhow::Result<SeedReport> {
    let city = DemoCity::embedded()?;
    store.upsert_areas(&city.areas).await?;
    store.upsert_categories(&city.categories).await?;
    store.upsert_units(&city.units).await?;
    store.replace_routing_rules(&city.routing).await?;
    let plan = super::planning()?;
    store.replace_planning_layer(&plan.layer, &plan.zones).await?;
    let procedures = super::procedures()?;
    store.import_procedures(&procedures, true, Utc::now()).await?;
    let mut report = SeedReport {
        planning_zones: plan.zones.len(),
        procedures: procedures.len(),
        areas: city.areas.len(),
        categories: city.categories.len(),
        units: city.units.len(),
        rules: city.routing.len(),
        ..SeedReport::default()
    };
    report.offices = super::offices::seed(store).await?;
    report.users = super::users::demo_users(store, &city).await?;
    let calendar = match &settings.holidays_file {
        Some(p) => HolidayCalendar::load(p)?,
        None => HolidayCalendar::vietnam(),
    };
    let mut generator = Generator::new(&city, &calendar, settings, seed);
    for _ in 0..n {
        report.events += generator.ticket(store, Utc::now()).await?;
        report.tickets += 1;
    }
    // A month of the hotline desk beside the tickets (none for a city without demo tickets).
    if n > 0 {
        report.inquiries = super::desk::seed(store, &procedures, (n / 12).clamp(20, 400), seed, Utc::now()).await?;
    }
    Ok(report)
}

/// District weights by English name: the dense centre files most.
const DISTRICT_WEIGHTS: &[(&str, f64)] = &[
    ("Hai Chau", 24.0),
    ("Thanh Khe", 20.0),
    ("Son Tra", 16.0),
    ("Lien Chieu", 13.0),
    ("Cam Le", 11.0),
    ("Ngu Hanh Son", 10.0),
    ("Hoa Vang", 6.0),
];

/// How slow each district's units are, against the city's usual: Cẩm Lệ's are quick, the busy
/// centre's (Hải Châu) a little behind, Sơn Trà's and rural Hòa Vang's slow, so the wall shows
/// green, amber and red districts and every league table has a bottom.
const DISTRICT_SLOWNESS: &[(&str, f64)] = &[
    ("Cam Le", 0.2),
    ("Ngu Hanh Son", 0.5),
    ("Hai Chau", 1.2),
    ("Thanh Khe", 1.0),
    ("Lien Chieu", 1.5),
    ("Son Tra", 5.0),
    ("Hoa Vang", 5.0),
];
/// The usual chance that a unit settles a report after its deadline (city lateness a few
/// per cent, as the mission's cities report).
const LATE: f64 = 0.03;
/// The usual chance that a report stalls at its unit and stays open past its deadline.
const STALLED: f64 = 0.008;
/// Reports of the demo leader's district, of the last four weeks and past their deadline,
/// left stalled at their units whatever the dice say ([`Generator::backlog`]).
const BACKLOG: usize = 4;
/// The ward of the bar street (An Thượng, in Mỹ An): noise at night.
const BAR_WARD: &str = "DN-NHS-MYAN";

fn field_weight(f: Field) -> f64 {
    match f {
        Field::Environment => 30.0,
        Field::UrbanOrder => 18.0,
        Field::Infrastructure => 14.0,
        Field::Noise => 12.0,
        Field::Traffic => 10.0,
        Field::Construction => 7.0,
        Field::Land => 4.0,
        Field::AdministrativeProcedures => 3.0,
        Field::SecurityOrder => 2.0,
        Field::Other => 1.0,
    }
}

/// Relative frequency of calls per local hour: office hours, and noise complaints at night.
const DAY_HOURS: [f64; 24] = [
    0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3.0, 5.0, 6.0, 6.0, 4.0, 2.0, 3.0, 5.0, 5.0, 5.0, 4.0, 3.0, 3.0, 2.5, 2.0, 1.2,
    0.6,
];
const NIGHT_HOURS: [f64; 24] = [
    2.0, 1.0, 0.5, 0.2, 0.1, 0.2, 0.5, 0.8, 1.0, 1.0, 1.0, 1.0, 1.5, 1.0, 0.8, 0.8, 1.0, 1.5, 3.0, 5.0, 7.0, 8.0, 7.0,
    4.0,
];

const CHANNELS: &[(Channel, f64)] = &[
    (Channel::Hotline, 45.0),
    (Channel::Zalo, 15.0),
    (Channel::Web, 12.0),
    (Channel::App, 12.0),
    (Channel::Facebook, 8.0),
    (Channel::Operator, 3.0),
    (Channel::Sms, 3.0),
    (Channel::Email, 2.0),
];

const SURNAMES: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi"];
const GIVEN: &[&str] = &[
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thị Hoa",
    "Văn Hùng",
    "Thanh Lan",
    "Đức Long",
    "Thị Mai",
    "Hữu Phước",
];
const DETAILS: &[&str] = &[
    "Tình trạng kéo dài nhiều ngày, đề nghị cơ quan chức năng kiểm tra xử lý.",
    "Người dân xung quanh rất bức xúc.",
    "Đã phản ánh với tổ dân phố nhưng chưa được giải quyết.",
    "Ảnh hưởng đến sinh hoạt và an toàn của người đi đường.",
    "Đề nghị xử lý sớm trước khi mưa lớn.",
];

fn weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, f64)]) -> &'a T {
    &items.choose_weighted(rng, |i| i.1).expect("non-empty weights").0
}

struct Generator<'a> {
    rng: StdRng,
    city: &'a DemoCity,
    calendar: &'a HolidayCalendar,
    settings: &'a CitySettings,
    districts: Vec<(Vec<&'a Area>, f64)>,
    categories: Vec<(&'a Category, f64)>,
    parents: HashMap<&'a AreaCode, &'a AreaCode>,
    /// Tickets filed so far (id, category, ward, receipt), candidates for duplicates.
    recent: Vec<(TicketId, &'a Category, &'a AreaCode, DateTime<Utc>)>,
    /// The demo leader's district, and how many of its reports of the last four weeks are
    /// still to be left stalled, so that whatever the day, its leader finds an overdue backlog
    /// to direct in the last 30 days' league table (chance alone leaves it empty some days).
    backlog: (Option<&'a AreaCode>, usize),
}

impl<'a> Generator<'a> {
    fn new(city: &'a DemoCity, calendar: &'a HolidayCalendar, settings: &'a CitySettings, seed: u64) -> Self {
        let leaf_level = city.levels.0.last().cloned().unwrap_or_default();
        let districts = city
            .areas
            .iter()
            .filter(|a| a.level == "district")
            .map(|d| {
                let wards: Vec<&Area> =
                    city.areas.iter().filter(|w| w.level == leaf_level && w.parent.as_ref() == Some(&d.code)).collect();
                let w = DISTRICT_WEIGHTS.iter().find(|(n, _)| *n == d.name_en).map_or(5.0, |x| x.1);
                (if wards.is_empty() { vec![d] } else { wards }, w)
            })
            .collect();
        let per_field = |f: Field| city.categories.iter().filter(|c| c.field == f).count().max(1) as f64;
        let categories = city.categories.iter().map(|c| (c, field_weight(c.field) / per_field(c.field))).collect();
        let parents = city.areas.iter().filter_map(|a| a.parent.as_ref().map(|p| (&a.code, p))).collect();
        Self {
            rng: StdRng::seed_from_u64(seed),
            city,
            calendar,
            settings,
            districts,
            categories,
            parents,
            recent: Vec::new(),
            backlog: (city.areas.iter().find(|a| a.level == "district").map(|a| &a.code), BACKLOG),
        }
    }

    fn chain(&self, area: &AreaCode) -> Vec<AreaCode> {
        let mut out = vec![area.clone()];
        while let Some(p) = self.parents.get(out.last().expect("non-empty")) {
            out.push((*p).clone());
        }
        out
    }

    fn point_in(&mut self, area: &Area) -> Location {
        let rect = area.geometry.bounding_rect().expect("area has a boundary");
        for _ in 0..1000 {
            let p = Point::new(
                self.rng.random_range(rect.min().x..=rect.max().x),
                self.rng.random_range(rect.min().y..=rect.max().y),
            );
            if area.geometry.contains(&p) {
                return Location { lon: p.x(), lat: p.y() };
            }
        }
        let c = rect.center();
        Location { lon: c.x, lat: c.y }
    }

    /// When a report came in: most in the last 60 days (the service grew), the rest over the
    /// year before; fewer at weekends and hardly any during Tết, when offices and most callers
    /// are off; office-hour peaks, and noise at night (`night`), the bar district's above all
    /// on Friday and Saturday nights (`bar`).
    fn received_at(&mut self, now: DateTime<Utc>, night: bool, bar: bool) -> DateTime<Utc> {
        use chrono::Datelike;
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let hours: Vec<(u32, f64)> =
            (0..24).map(|h| (h as u32, if night { NIGHT_HOURS[h] } else { DAY_HOURS[h] })).collect();
        loop {
            let days_ago = if self.rng.random_bool(0.7) {
                (self.rng.random::<f64>().powf(1.6) * 60.0) as i64
            } else {
                self.rng.random_range(60..365)
            };
            let day = (now - Duration::days(days_ago)).with_timezone(&tz).date_naive();
            let weekday = day.weekday();
            let weekend = matches!(weekday, chrono::Weekday::Sat | chrono::Weekday::Sun);
            let tet = self.calendar.holiday(day).is_some_and(|h| h.name_vi.contains("Tết"));
            if (tet && self.rng.random_bool(0.95)) || (weekend && !night && self.rng.random_bool(0.4)) {
                continue;
            }
            // The bar street is loud every night, and twice as loud at the weekend.
            let party = matches!(weekday, chrono::Weekday::Fri | chrono::Weekday::Sat);
            if bar && !party && self.rng.random_bool(0.5) {
                continue;
            }
            let hour = *weighted(&mut self.rng, &hours);
            let local =
                day.and_hms_opt(hour, self.rng.random_range(0..60), self.rng.random_range(0..60)).expect("valid");
            let t = tz.from_local_datetime(&local).single().expect("no DST").with_timezone(&Utc);
            // An hour still to come today is taken from the day before, so the hour-of-day mix
            // holds whatever time it is now (clamping to "just now" piled such tickets into the
            // night when the demo was seeded at 2 a.m.).
            return if t > now { t - Duration::days(1) } else { t };
        }
    }

    /// Files one ticket and walks it through its life up to `now`; returns the events written.
    async fn ticket(&mut self, store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let category = *weighted(&mut self.rng, &self.categories);
        let noise = category.field == Field::Noise;
        // A third of the noise comes from the bar street of Mỹ An (An Thượng).
        let bar = noise.then(|| self.city.area(BAR_WARD)).flatten().filter(|_| self.rng.random_bool(0.35));
        let ward = match bar {
            Some(w) => w,
            None => {
                let wards = weighted(&mut self.rng, &self.districts).clone();
                *wards.choose(&mut self.rng).expect("a district has areas")
            }
        };
        let location = self.point_in(ward);
        let received_at = self.received_at(now, noise, bar.is_some());
        let slowness = self.slowness(&ward.code);
        let days = category.deadline_days.unwrap_or(self.settings.default_deadline_days);
        let place = self.city.places.choose(&mut self.rng).map(|p| p.name.clone());
        let description = format!(
            "{} tại {}. {}",
            category.name_vi,
            place.as_deref().unwrap_or(&ward.name),
            DETAILS.choose(&mut self.rng).expect("non-empty")
        );
        let channel = *weighted(&mut self.rng, CHANNELS);
        let contact = if self.rng.random_bool(0.8) {
            ReporterContact {
                name: Some(format!(
                    "{} {}",
                    SURNAMES.choose(&mut self.rng).unwrap(),
                    GIVEN.choose(&mut self.rng).unwrap()
                )),
                phone: Some(format!("09{:08}", self.rng.random_range(0..100_000_000u32))),
                email: None,
            }
        } else {
            ReporterContact::default()
        };
        let id = TicketId(uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            received_at.timestamp() as u64,
            received_at.timestamp_subsec_nanos(),
        )));
        let new = NewTicket {
            channel,
            category: category.code.clone(),
            description,
            location,
            address: place,
            area: Some(ward.code.clone()),
            priority: if self.rng.random_bool(0.07) { Priority::High } else { Priority::Normal },
        };
        let ticket = Ticket::received(id, new, received_at, self.calendar.deadline(received_at, days));
        let event = TicketEvent {
            seq: 0,
            ticket_id: ticket.id,
            kind: EventKind::Created,
            actor: "user:operator".into(),
            at: received_at,
            note: None,
            data: serde_json::Value::Null,
        };
        let record = NewTicketRecord {
            code_prefix: TicketCode::prefix(&self.settings.city_code, received_at),
            ticket,
            contact,
            token_hash: TrackingToken::generate().hash(),
            event,
            extras: Default::default(),
        };
        let Created::New { mut ticket, .. } = store.create_ticket(record, None).await? else {
            anyhow::bail!("a seed ticket was replayed")
        };
        let mut events = 1;
        let unit = routing::suggest(&self.city.routing, &ticket.category, &self.chain(&ward.code)).cloned();
        // About one report in twenty-five repeats an earlier one of the same kind in the same ward.
        let original = self
            .recent
            .iter()
            .rev()
            .take(200)
            .find(|(_, c, w, at)| c.code == category.code && *w == &ward.code && *at < received_at)
            .map(|(id, ..)| *id)
            .filter(|_| self.rng.random_bool(0.3));
        self.recent.push((ticket.id, category, &ward.code, received_at));
        let (plan, on_time) = match original {
            Some(of) => (
                vec![(
                    Action::MarkDuplicate {
                        of, note: Some("Trùng nội dung với phản ánh đã tiếp nhận".into())
                    },
                    Actor::Centre,
                    Duration::minutes(self.rng.random_range(10..240)),
                )],
                false,
            ),
            None => {
                // Received in the last four weeks and past its deadline a day ago already.
                let backlog = unit.is_some()
                    && self.backlog.1 > 0
                    && received_at > now - Duration::days(28)
                    && ticket.deadline + Duration::days(1) < now
                    && self.backlog.0.is_some_and(|d| self.chain(&ward.code).contains(d));
                if backlog {
                    self.backlog.1 -= 1;
                }
                self.plan(unit, &ticket, days, slowness, backlog)
            }
        };
        let mut t = received_at;
        for (action, actor, delay) in plan {
            let mut at = self.on_duty(t + delay, actor);
            if on_time && at > ticket.deadline && matches!(action, Action::Progress { .. } | Action::Resolve { .. }) {
                // A unit that means to be on time is, even when nights and weekends ate its
                // allowance: it settles the report on its last day.
                at = (ticket.deadline - Duration::minutes(self.rng.random_range(5..120))).max(t);
            }
            t = at;
            if t > now {
                break;
            }
            let Transition { ticket: next, kind, note } =
                status::apply(&ticket, &action, actor, t, self.calendar, days)?;
            let actor_name = if actor == Actor::Unit { "user:agency" } else { "user:operator" };
            let ev = TicketEvent {
                seq: 0,
                ticket_id: ticket.id,
                kind,
                actor: actor_name.into(),
                at: t,
                note,
                data: serde_json::Value::Null,
            };
            store.update_ticket(&next, ticket.version, ev).await?;
            ticket = next;
            events += 1;
        }
        Ok(events)
    }

    /// `t`, or when the actor is next on duty if it falls outside their hours (Vietnam time): the
    /// centre forwards from 07:00 to 22:00 (calls are taken round the clock), units work 07:00 to
    /// 17:00. So reports of the night wait for the morning, as they do in a real centre, and a
    /// demo started at any hour has reports waiting at the centre.
    fn on_duty(&mut self, t: DateTime<Utc>, actor: Actor) -> DateTime<Utc> {
        use chrono::Timelike;
        let (open, close) = if actor == Actor::Unit { (7, 17) } else { (7, 22) };
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let local = t.with_timezone(&tz);
        if (open..close).contains(&local.hour()) {
            return t;
        }
        let day = if local.hour() >= close { local.date_naive() + Duration::days(1) } else { local.date_naive() };
        let start = day.and_hms_opt(open, 0, 0).expect("valid");
        let start = tz.from_local_datetime(&start).single().expect("no DST").with_timezone(&Utc);
        start + Duration::minutes(self.rng.random_range(0..90))
    }

    /// How slow the units of `ward`'s district are: a factor on the chance of a late
    /// resolution and of a report left stalled ([`DISTRICT_SLOWNESS`]).
    fn slowness(&self, ward: &AreaCode) -> f64 {
        let district =
            self.chain(ward).into_iter().find_map(|a| self.city.area(a.as_str()).filter(|a| a.level == "district"));
        district.and_then(|d| DISTRICT_SLOWNESS.iter().find(|(n, _)| *n == d.name_en)).map_or(1.0, |x| x.1)
    }

    /// The life of a ticket: the actions, who takes them and how long after the previous one,
    /// and whether its unit means to settle it on time. `slowness` scales the chances that its
    /// unit lets it stall or settles it late; a `backlog` ticket stalls for sure.
    fn plan(
        &mut self,
        unit: Option<UnitCode>,
        ticket: &Ticket,
        days: u32,
        slowness: f64,
        backlog: bool,
    ) -> (Vec<(Action, Actor, Duration)>, bool) {
        let r = &mut self.rng;
        let hours = |r: &mut StdRng, lo: i64, hi: i64| Duration::minutes(r.random_range(lo * 60..=hi * 60));
        let roll: f64 = r.random();
        if roll < 0.03 && !backlog {
            let reject = Action::Reject { reason: "Nội dung không thuộc phạm vi tiếp nhận".into() };
            return (vec![(reject, Actor::Centre, hours(r, 1, 6))], false);
        }
        let Some(unit) = unit else { return (Vec::new(), false) };
        let mut plan = vec![(Action::Assign { unit: unit.clone(), note: None }, Actor::Centre, hours(r, 0, 4))];
        if roll < 0.08 {
            plan.push((
                Action::Return {
                    reason: "Không thuộc thẩm quyền, đề nghị chuyển đơn vị khác".into()
                },
                Actor::Unit,
                hours(r, 1, (days as i64 * 24 * 7 / 5 / 10).clamp(2, 30)),
            ));
            plan.push((
                Action::Assign { unit, note: Some("Chuyển lại sau khi xác minh địa bàn".into()) },
                Actor::Centre,
                hours(r, 1, 4),
            ));
        }
        // Quick categories (two or three working days) are taken up quickly too.
        let allowance_h = days as i64 * 24 * 7 / 5;
        plan.push((Action::Accept { note: None }, Actor::Unit, hours(r, 1, (allowance_h / 8).clamp(2, 20))));
        plan.push((Action::Start { note: None }, Actor::Unit, hours(r, 1, (allowance_h / 6).clamp(3, 30))));
        if backlog || r.random_bool((STALLED * slowness).min(1.0)) {
            // Stalled at the unit: it will run past its deadline (overdue on the wall).
            return (plan, false);
        }
        // Handling time: most well within the allowance; the rest late, some very late.
        let on_time = !r.random_bool((LATE * slowness).min(1.0));
        let handling =
            if on_time { hours(r, 2, (allowance_h / 3).max(4)) } else { hours(r, allowance_h, allowance_h * 3) };
        plan.push((Action::Progress { note: "Đã cử cán bộ kiểm tra hiện trường".into() }, Actor::Unit, handling / 2));
        plan.push((
            Action::Resolve {
                result: format!("Đã xử lý xong: {}", ticket.description.split('.').next().unwrap_or("")),
            },
            Actor::Unit,
            handling / 2,
        ));
        if r.random_bool(0.75) {
            plan.push((Action::Close { note: None }, Actor::Centre, hours(r, 4, 60)));
            let stars = *[5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 2, 1].choose(r).expect("non-empty");
            plan.push((
                Action::Rate { rating: Rating::parse(stars, "rating").expect("1-5"), comment: None },
                Actor::Centre,
                hours(r, 1, 48),
            ));
        }
        (plan, on_time)
    }
}
