//! Staff contacts: where a user of the centre, a unit or a leader's office is told about
//! escalations, the daily digest and the Friday report. Work contacts, kept apart from the
//! account; personal data all the same, shown only to the user and to admins.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Field, ValidationErrors};

/// A staff member's contact and subscriptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StaffContact {
    /// A mobile number for SMS, digits only with an optional leading `+` (e.g. `0905123456`).
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Heads the units of their account: told when one of the units' tickets goes overdue.
    pub unit_head: bool,
    /// Gets the Friday report of their areas and fields.
    pub weekly_report: bool,
    /// The fields the report covers (empty: every field).
    pub fields: Vec<Field>,
    /// The SMS without diacritics (for gateways that cannot send Unicode).
    pub unaccented_sms: bool,
}

/// A user's contact, with who they are.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffMember {
    pub user: super::User,
    pub contact: StaffContact,
}

/// Longest email address (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

impl StaffContact {
    /// Checks and normalises what a user or an admin typed: a phone number loses its spaces,
    /// dots and dashes and must have 9 to 12 digits; an email must look like one; blank
    /// values are none. Every fault is named by its field.
    pub fn validated(mut self) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        self.phone = match self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match normalise_phone(p) {
                Some(p) => Some(p),
                None => {
                    errs.push("phone", "a phone number has 9 to 12 digits, optionally after +");
                    None
                }
            },
        };
        self.email = match self.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(e) if is_email(e) => Some(e.to_owned()),
            Some(_) => {
                errs.push("email", "not an email address");
                None
            }
        };
        if self.weekly_report && self.phone.is_none() && self.email.is_none() {
            errs.push("weekly_report", "the weekly report needs a phone number or an email address");
        }
        self.fields.sort();
        self.fields.dedup();
        errs.into_result()?;
        Ok(self)
    }
}

/// `p` without separators, if it is a plausible phone number.
fn normalise_phone(p: &str) -> Option<String> {
    let (plus, rest) = match p.strip_prefix('+') {
        Some(r) => ("+", r),
        None => ("", p),
    };
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    (digits.chars().all(|c| c.is_ascii_digit()) && (9..=12).contains(&digits.len())).then(|| format!("{plus}{digits}"))
}

fn is_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else { return false };
    e.len() <= MAX_EMAIL
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
}

/// A principal's id, for routes about "me".
pub fn user_id(p: &super::Principal) -> Option<Uuid> {
    match p {
        super::Principal::User(u) => Some(u.id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_normalised_and_faults_named() {
        let c = StaffContact {
            phone: Some(" 0905 123.456 ".into()),
            email: Some(" lanh.dao@danang.gov.vn ".into()),
            weekly_report: true,
            fields: vec![Field::Noise, Field::Environment, Field::Noise],
            ..StaffContact::default()
        }
        .validated()
        .unwrap();
        assert_eq!(c.phone.as_deref(), Some("0905123456"));
        assert_eq!(c.email.as_deref(), Some("lanh.dao@danang.gov.vn"));
        assert_eq!(c.fields, vec![Field::Environment, Field::Noise]);
        assert_eq!(
            StaffContact { phone: Some("+84 905 123 456".into()), ..StaffContact::default() }
                .validated()
                .unwrap()
                .phone
                .as_deref(),
            Some("+84905123456")
        );
        let bad = StaffContact { phone: Some("0905-abc".into()), email: Some("a@b".into()), ..StaffContact::default() }
            .validated()
            .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phone", "email"]);
        let nowhere = StaffContact { weekly_report: true, ..StaffContact::default() }.validated().unwrap_err();
        assert_eq!(nowhere.0[0].field, "weekly_report");
        assert!(StaffContact { email: Some("x <a@b.vn>".into()), ..StaffContact::default() }.validated().is_err());
    }
}
