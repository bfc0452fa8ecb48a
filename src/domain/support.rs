//! "Me too" (tôi cũng gặp): a citizen who finds an open public report of the same problem adds
//! their support instead of filing a duplicate. The ticket counts its supporters, and the count
//! feeds its priority ([`priority_with`]); each supporter's contact is personal data, kept apart.

use super::{Priority, Status, Ticket};

/// Supporters from which a ticket is at least [`Priority::High`].
pub const HIGH_AT: u32 = 3;
/// Supporters from which a ticket is [`Priority::Urgent`].
pub const URGENT_AT: u32 = 10;

/// The priority a ticket with `supporters` supporters has at least: `High` from [`HIGH_AT`],
/// `Urgent` from [`URGENT_AT`]. Support only raises a priority, never lowers one staff set.
pub fn priority_with(current: Priority, supporters: u32) -> Priority {
    let floor = if supporters >= URGENT_AT {
        Priority::Urgent
    } else if supporters >= HIGH_AT {
        Priority::High
    } else {
        Priority::Low
    };
    current.max(floor)
}

/// Why a ticket takes no support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupportRefused {
    #[error(
        "the report is {0}: only a report still being handled takes support; file a new one if the problem is back"
    )]
    NotOpen(&'static str),
    #[error("this report is a duplicate; support the report it duplicates instead")]
    Duplicate,
}

/// The ticket once one more citizen supports it (not yet versioned: the store bumps the
/// version with the event), or why it takes no support.
pub fn supported(t: &Ticket) -> Result<Ticket, SupportRefused> {
    match t.status {
        Status::Duplicate => return Err(SupportRefused::Duplicate),
        s if !s.is_open() => return Err(SupportRefused::NotOpen(s.as_str())),
        _ => {}
    }
    let mut next = t.clone();
    next.supporters = t.supporters.saturating_add(1);
    next.priority = priority_with(t.priority, next.supporters);
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_raises_the_priority_at_three_and_ten_and_never_lowers_it() {
        assert_eq!(priority_with(Priority::Normal, 2), Priority::Normal);
        assert_eq!(priority_with(Priority::Low, 3), Priority::High);
        assert_eq!(priority_with(Priority::Normal, 9), Priority::High);
        assert_eq!(priority_with(Priority::High, 10), Priority::Urgent);
        assert_eq!(priority_with(Priority::Urgent, 0), Priority::Urgent, "staff's urgent stays");
        assert_eq!(priority_with(Priority::Low, 1), Priority::Low, "a low priority stays low below three");
    }
}
