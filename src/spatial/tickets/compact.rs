//! How the index stores a ticket: [`Compact`], 76 bytes with the codes interned in [`Names`],
//! and [`EntryRef`], the view that gives the values back.

use chrono::{DateTime, Utc};

use super::TicketEntry;
use crate::domain::{AreaCode, CategoryCode, Location, Priority, Status, Ticket, TicketCode, TicketId, UnitCode};
use crate::spatial::interner::{Interner, NO_NUMBER};

/// No value (an absent area, unit or resolution; a code kept whole).
pub(super) const NONE: u32 = NO_NUMBER;
/// No area or unit, as a [`Compact`] keeps it.
const NONE16: u16 = u16::MAX;
/// The status byte of an empty slot.
pub(super) const VACANT: u8 = u8::MAX;
const NO_INSTANT: i64 = i64::MIN;

/// Every code the index's entries refer to.
#[derive(Debug, Default)]
pub(super) struct Names {
    pub(super) categories: Interner<CategoryCode>,
    pub(super) areas: Interner<AreaCode>,
    pub(super) units: Interner<UnitCode>,
    /// Ticket-code prefixes (`DN-2611`), or whole codes that are not `prefix-NNNNNN`.
    pub(super) prefixes: Interner<String>,
}

/// One ticket in the index. Instants are microseconds since the Unix epoch.
///
/// Packed to 4-byte alignment: 76 bytes instead of 80 (a million tickets, 4 MB). Its fields are
/// read by value (a reference to a field of a packed struct is refused by the compiler); x86 and
/// ARM read the 8-byte fields at a 4-byte boundary at full speed.
#[derive(Debug, Clone, Copy)]
#[repr(Rust, packed(4))]
pub(super) struct Compact {
    pub(super) id: TicketId,
    pub(super) lon: f64,
    pub(super) lat: f64,
    pub(super) received: i64,
    pub(super) deadline: i64,
    pub(super) resolved: i64,
    pub(super) version: u32,
    pub(super) code_prefix: u32,
    /// The serial number after the prefix, or [`NONE`] when the prefix is the whole code.
    pub(super) code_serial: u32,
    /// The area's number, or [`NONE16`]; see [`Compact::area`].
    area: u16,
    /// The unit's number, or [`NONE16`]; see [`Compact::unit`].
    unit: u16,
    pub(super) category: u16,
    pub(super) status: u8,
    /// The priority's number in the low 2 bits, the supporters (up to [`MAX_SUPPORTERS`]) in the
    /// high 6: the map only needs to know "a few" from "many", and the entry stays 76 bytes.
    pub(super) priority: u8,
}

/// The most supporters an index entry counts (the ticket itself keeps the exact number).
pub const MAX_SUPPORTERS: u32 = 63;

const PRIORITIES: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

pub(super) fn status_number(s: Status) -> u8 {
    Status::ALL.iter().position(|&x| x == s).expect("every status is in Status::ALL") as u8
}

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn instant(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

/// An area's or unit's number as a [`Compact`] keeps it (a city has far fewer than 65 535 wards
/// or units: Việt Nam has about 10 000 communes).
fn small(n: u32, what: &str) -> u16 {
    u16::try_from(n).ok().filter(|&n| n != NONE16).unwrap_or_else(|| panic!("fewer than 65 535 {what}"))
}

fn wide(n: u16) -> u32 {
    if n == NONE16 { NONE } else { n.into() }
}

/// Splits `DN-2611-000123` into its prefix and serial number, when the code reads back the same
/// from them ([`TicketCode::compose`]: at least six digits, zero-padded to six and no further).
fn split_code(code: &str) -> Option<(&str, u32)> {
    let (prefix, digits) = code.rsplit_once('-')?;
    let padded_as_composed = digits.len() == 6 || (digits.len() > 6 && !digits.starts_with('0'));
    if !padded_as_composed || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok().filter(|&n| n != NONE)?;
    Some((prefix, n))
}

/// What the index keeps of a ticket, borrowed from a [`TicketEntry`] or a stored [`Ticket`]
/// (so a bulk load copies no text it already has).
#[derive(Debug, Clone, Copy)]
pub(super) struct Parts<'a> {
    pub(super) id: TicketId,
    pub(super) code: &'a str,
    pub(super) location: Location,
    pub(super) status: Status,
    pub(super) category: &'a CategoryCode,
    pub(super) area: Option<&'a AreaCode>,
    pub(super) unit: Option<&'a UnitCode>,
    pub(super) priority: Priority,
    pub(super) received_at: DateTime<Utc>,
    pub(super) deadline: DateTime<Utc>,
    pub(super) resolved_at: Option<DateTime<Utc>>,
    pub(super) version: i64,
    pub(super) supporters: u32,
}

impl<'a> From<&'a TicketEntry> for Parts<'a> {
    fn from(e: &'a TicketEntry) -> Self {
        Self {
            id: e.id,
            code: e.code.as_str(),
            location: e.location,
            status: e.status,
            category: &e.category,
            area: e.area.as_ref(),
            unit: e.unit.as_ref(),
            priority: e.priority,
            received_at: e.received_at,
            deadline: e.deadline,
            resolved_at: e.resolved_at,
            version: e.version,
            supporters: e.supporters,
        }
    }
}

impl<'a> From<&'a Ticket> for Parts<'a> {
    fn from(t: &'a Ticket) -> Self {
        Self {
            id: t.id,
            code: t.code.as_str(),
            location: t.location,
            status: t.status,
            category: &t.category,
            area: t.area.as_ref(),
            unit: t.unit.as_ref(),
            priority: t.priority,
            received_at: t.received_at,
            deadline: t.deadline,
            resolved_at: t.resolved_at,
            version: t.version,
            supporters: t.supporters,
        }
    }
}

impl Compact {
    pub(super) fn new(e: Parts<'_>, names: &mut Names) -> Self {
        let (code_prefix, code_serial) = match split_code(e.code) {
            Some((prefix, n)) => (names.prefixes.intern(prefix), n),
            None => (names.prefixes.intern(e.code), NONE),
        };
        let category = names.categories.intern(e.category);
        Self {
            id: e.id,
            lon: e.location.lon,
            lat: e.location.lat,
            received: micros(e.received_at),
            deadline: micros(e.deadline),
            resolved: e.resolved_at.map_or(NO_INSTANT, micros),
            version: u32::try_from(e.version.max(0)).unwrap_or(u32::MAX),
            code_prefix,
            code_serial,
            area: e.area.map_or(NONE16, |a| small(names.areas.intern(a), "areas")),
            unit: e.unit.map_or(NONE16, |u| small(names.units.intern(u), "units")),
            category: u16::try_from(category).expect("fewer than 65 536 categories"),
            status: status_number(e.status),
            priority: PRIORITIES.iter().position(|&p| p == e.priority).expect("every priority is listed") as u8
                | ((e.supporters.min(MAX_SUPPORTERS) as u8) << 2),
        }
    }

    /// The area's number in [`Names::areas`], or [`NONE`].
    pub(super) fn area(&self) -> u32 {
        wide(self.area)
    }

    /// The unit's number in [`Names::units`], or [`NONE`].
    pub(super) fn unit(&self) -> u32 {
        wide(self.unit)
    }

    pub(super) fn vacant(&self) -> bool {
        self.status == VACANT
    }

    pub(super) fn point(&self) -> [f64; 2] {
        [self.lon, self.lat]
    }

    /// The listing order: receipt time, then id.
    pub(super) fn key(&self) -> (i64, TicketId) {
        (self.received, self.id)
    }

    pub(super) fn is_open(&self) -> bool {
        Status::ALL[self.status as usize].is_open()
    }

    pub(super) fn is_overdue(&self, now_us: i64) -> bool {
        self.is_open() && now_us > self.deadline
    }
}

/// A ticket in the index, read through its codes. Cheap to copy; every accessor is O(1).
#[derive(Clone, Copy)]
pub struct EntryRef<'a> {
    pub(super) e: &'a Compact,
    pub(super) names: &'a Names,
}

impl std::fmt::Debug for EntryRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_entry().fmt(f)
    }
}

impl<'a> EntryRef<'a> {
    pub fn id(&self) -> TicketId {
        self.e.id
    }

    /// The public code (`DN-2611-000123`).
    pub fn code(&self) -> TicketCode {
        let prefix = self.names.prefixes.get(self.e.code_prefix);
        match self.e.code_serial {
            NONE => TicketCode(prefix.clone()),
            n => TicketCode::compose(prefix, n.into()),
        }
    }

    /// WGS84, lon/lat degrees.
    pub fn location(&self) -> Location {
        Location { lon: self.e.lon, lat: self.e.lat }
    }

    pub fn status(&self) -> Status {
        Status::ALL[self.e.status as usize]
    }

    pub fn category(&self) -> &'a CategoryCode {
        self.names.categories.get(self.e.category.into())
    }

    /// The ticket's most specific area, if it fell in one.
    pub fn area(&self) -> Option<&'a AreaCode> {
        (self.e.area() != NONE).then(|| self.names.areas.get(self.e.area()))
    }

    pub fn unit(&self) -> Option<&'a UnitCode> {
        (self.e.unit() != NONE).then(|| self.names.units.get(self.e.unit()))
    }

    pub fn priority(&self) -> Priority {
        PRIORITIES[(self.e.priority & 0b11) as usize]
    }

    /// The supporters, up to [`MAX_SUPPORTERS`].
    pub fn supporters(&self) -> u32 {
        u32::from(self.e.priority >> 2)
    }

    /// Receipt time, to the microsecond.
    pub fn received_at(&self) -> DateTime<Utc> {
        instant(self.e.received)
    }

    pub fn deadline(&self) -> DateTime<Utc> {
        instant(self.e.deadline)
    }

    pub fn resolved_at(&self) -> Option<DateTime<Utc>> {
        (self.e.resolved != NO_INSTANT).then(|| instant(self.e.resolved))
    }

    /// The ticket's version (a change carrying an older one is ignored).
    pub fn version(&self) -> i64 {
        self.e.version.into()
    }

    /// Open, or received or resolved at `since` or later: what the map wall shows (the JSON
    /// layer and the ticket tiles).
    pub fn open_or_since(&self, since: DateTime<Utc>) -> bool {
        self.status().is_open() || self.received_at() >= since || self.resolved_at().is_some_and(|r| r >= since)
    }

    /// Open and past its deadline at `now` (same rule as [`crate::domain::Ticket::is_overdue`]).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.e.is_overdue(micros(now))
    }

    /// The entry as an owned value (instants to the microsecond).
    pub fn to_entry(&self) -> TicketEntry {
        TicketEntry {
            id: self.id(),
            code: self.code(),
            location: self.location(),
            status: self.status(),
            category: self.category().clone(),
            area: self.area().cloned(),
            unit: self.unit().cloned(),
            priority: self.priority(),
            received_at: self.received_at(),
            deadline: self.deadline(),
            resolved_at: self.resolved_at(),
            version: self.version(),
            supporters: self.supporters(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_split_only_when_they_read_back_the_same() {
        assert_eq!(split_code("DN-2611-000123"), Some(("DN-2611", 123)));
        assert_eq!(split_code("DN-2611-1234567"), Some(("DN-2611", 1_234_567)));
        assert_eq!(split_code("DN-2611-123"), None, "fewer than six digits");
        assert_eq!(split_code("DN-2611-0001234"), None, "a zero more than compose writes");
        assert_eq!(split_code("DN-2611-+12345"), None);
        assert_eq!(split_code("IMPORT42"), None);
        assert_eq!(split_code("X-4294967295"), None, "the serial that means none");
        assert_eq!(split_code("X-4294967296"), None, "past u32");
        assert_eq!(split_code("X-000000"), Some(("X", 0)));
        for n in [0u32, 7, 123_456, 999_999, 1_000_000, 4_294_967_294] {
            let code = TicketCode::compose("DN-2611", n.into());
            assert_eq!(split_code(code.as_str()), Some(("DN-2611", n)), "{code:?}");
        }
    }

    #[test]
    fn an_entry_reads_back_as_it_was_given() {
        let mut names = Names::default();
        let at = DateTime::from_timestamp_micros(1_790_000_000_123_456).unwrap();
        let mut e = TicketEntry {
            id: TicketId(uuid::Uuid::from_u128(7)),
            code: TicketCode("DN-2611-000042".into()),
            location: Location { lon: 108.220_123_456_7, lat: 16.054_321 },
            status: Status::InProgress,
            category: CategoryCode::parse("waste", "c").unwrap(),
            area: Some(AreaCode::parse("DN-HC-TB", "a").unwrap()),
            unit: None,
            priority: Priority::Urgent,
            received_at: at,
            deadline: at + chrono::Duration::days(7),
            resolved_at: None,
            version: 3,
            supporters: 12,
        };
        for code in ["DN-2611-000042", "odd code", "A-B-0000001"] {
            e.code = TicketCode(code.into());
            e.resolved_at = e.resolved_at.map_or(Some(at), |_| None);
            let c = Compact::new((&e).into(), &mut names);
            assert_eq!(EntryRef { e: &c, names: &names }.to_entry(), e);
        }
        assert_eq!(std::mem::size_of::<Compact>(), 76);
        // Supporters share the priority's byte: counted up to 63, the priority intact.
        e.supporters = 1_000;
        let c = Compact::new((&e).into(), &mut names);
        let back = EntryRef { e: &c, names: &names };
        assert_eq!((back.supporters(), back.priority()), (MAX_SUPPORTERS, Priority::Urgent));
    }
}
