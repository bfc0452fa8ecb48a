//! Pure domain types and rules. No axum, no sqlx, no tokio: everything here is
//! synchronous, deterministic and testable without I/O.
//!
//! Values are parsed at the edge into these types (`Location::new`, `CategoryCode::parse`, …),
//! so code past the edge never re-checks raw strings.

pub mod area;
pub mod attribute;
pub mod calendar;
pub mod category;
pub(crate) mod code;
pub mod direction;
pub mod error;
pub mod location;
pub mod privacy;
pub mod routing;
pub mod schedule;
pub mod scope;
pub mod sms;
pub mod staff;
pub mod status;
pub mod text;
pub mod ticket;
pub mod unit;
pub mod user;
pub mod w3c;

pub use area::{Area, AreaCode};
pub use attribute::{Answer, Answers, AttributeValue, Datatype, ServiceAttribute, TicketExtras};
pub use calendar::HolidayCalendar;
pub use category::{Category, CategoryCode, Field};
pub use direction::{Direction, DirectionStatus};
pub use error::{FieldError, ValidationErrors};
pub use location::{BBox, Location};
pub use routing::RoutingRule;
pub use schedule::WeeklySchedule;
pub use scope::Scope;
pub use staff::{StaffContact, StaffMember};
pub use status::{Action, ActionKind, Actor, TransitionError};
pub use ticket::{
    Channel, EventKind, NewTicket, Priority, Rating, ReporterContact, Status, Ticket, TicketCode, TicketEvent,
    TicketId, TrackingToken,
};
pub use unit::{Unit, UnitCode};
pub use user::{Principal, Role, User};

pub mod photo;
pub use photo::{PhotoHash, PhotoKind, TicketPhoto};
pub mod medium;
pub use medium::Medium;
pub mod call;
pub use call::CallRecord;
pub mod appointment;
pub mod conversation;
pub mod desk;
pub mod office;
pub mod press;
pub mod procedure;
pub mod support;
pub use office::{Office, OfficeId, OfficeService};
pub use procedure::{Procedure, ProcedureCode, ProcedureLevel, RequiredDocument, SubmissionChannel, SubmissionMethod};
pub mod planning;
pub use planning::{Decision, LandUse, PlanningLayer, PlanningLayerCode, PlanningZone, ZoneCode, ZoneLimits};
pub mod camera;
pub use camera::{Camera, CameraCode, CameraEvent, CameraEventKind, CameraKind, CameraStatus, CameraView};
