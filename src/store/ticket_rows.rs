//! A ticket as a row of `tickets`: its columns, how a row is read into a [`Ticket`] and how a
//! ticket's fields are bound, shared by the ticket store and the filing of new tickets.

use uuid::Uuid;

use super::StoreError;
use super::StoreResult;
use super::codec::{enum_str, parse_code, parse_enum};
use super::sql::{Bind, Dialect, Get, Query};
use crate::domain::{AreaCode, CategoryCode, Location, Rating, Status, Ticket, TicketCode, TicketId, UnitCode};

/// The columns of `tickets`, in the order every query reads and binds them.
macro_rules! ticket_cols {
    () => {
        "id, code, channel, category, description, lon, lat, address, area, priority, status, unit, \
         received_at, deadline, resolved_at, closed_at, updated_at, result, rating, rating_comment, \
         duplicate_of, version, supporters"
    };
}
pub(super) use ticket_cols;

pub(super) const SELECT_TICKETS: &str = concat!("SELECT ", ticket_cols!(), " FROM tickets");
pub(super) fn ticket_from_row(row: &impl Get) -> StoreResult<Ticket> {
    let id: Uuid = row.col("tickets.id")?;
    let opt_code = |column: &str| row.col::<Option<String>>(column);
    Ok(Ticket {
        id: TicketId(id),
        code: TicketCode(row.col("code")?),
        channel: parse_enum(&row.col::<String>("channel")?, "tickets.channel")?,
        category: parse_code(&row.col::<String>("category")?, "tickets.category", CategoryCode::parse)?,
        description: row.col("description")?,
        location: Location::parse(row.col("lon")?, row.col("lat")?, "tickets.")
            .map_err(|e| StoreError::Corrupt(format!("ticket {id}: {e}")))?,
        address: row.col("address")?,
        area: opt_code("area")?.map(|a| parse_code(&a, "tickets.area", AreaCode::parse)).transpose()?,
        priority: parse_enum(&row.col::<String>("priority")?, "tickets.priority")?,
        status: parse_code(&row.col::<String>("status")?, "tickets.status", Status::parse)?,
        unit: opt_code("unit")?.map(|u| parse_code(&u, "tickets.unit", UnitCode::parse)).transpose()?,
        received_at: row.col("tickets.received_at")?,
        deadline: row.col("tickets.deadline")?,
        resolved_at: row.col("tickets.resolved_at")?,
        closed_at: row.col("tickets.closed_at")?,
        updated_at: row.col("tickets.updated_at")?,
        result: row.col("result")?,
        rating: row
            .col::<Option<i64>>("rating")?
            .map(|r| Rating::parse(r, "tickets.rating").map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()?,
        rating_comment: row.col("rating_comment")?,
        duplicate_of: row.col::<Option<Uuid>>("tickets.duplicate_of")?.map(TicketId),
        version: row.col("version")?,
        supporters: {
            let n: i64 = row.col("supporters")?;
            u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("ticket {id}: supporters {n}")))?
        },
    })
}

/// Binds every ticket column but `id` and `code` (21 values), in [`ticket_cols!`] order.
pub(super) fn bind_ticket_fields<'q, D: Dialect>(q: Query<'q, D>, t: &Ticket) -> Query<'q, D> {
    q.arg(enum_str(&t.channel))
        .arg(t.category.as_str())
        .arg(t.description.as_str())
        .arg(t.location.lon)
        .arg(t.location.lat)
        .arg(t.address.as_deref())
        .arg(t.area.as_ref().map(AreaCode::as_str))
        .arg(enum_str(&t.priority))
        .arg(t.status.as_str())
        .arg(t.unit.as_ref().map(UnitCode::as_str))
        .arg(t.received_at)
        .arg(t.deadline)
        .arg(t.resolved_at)
        .arg(t.closed_at)
        .arg(t.updated_at)
        .arg(t.result.as_deref())
        .arg(t.rating.map(|r| i16::from(r.get())))
        .arg(t.rating_comment.as_deref())
        .arg(t.duplicate_of.map(|d| d.0))
        .arg(t.version)
        .arg(i64::from(t.supporters))
}
