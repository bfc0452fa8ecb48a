//! Roles and the principal a request acts as.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AreaCode, UnitCode, ValidationErrors};

/// What a signed-in user or API key may do. The public (no credentials) has no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and reference data.
    Admin,
    /// Call-centre / IOC operator: takes calls, triages, forwards, closes.
    Operator,
    /// Leader: reads tickets and statistics of their areas.
    Leader,
    /// Agency or station staff: works the tickets of their units.
    Agency,
    /// An Open311 client (API key).
    Open311,
    /// A BI tool (API key): reads the city's statistics and ticket lists, changes nothing and
    /// never sees a reporter's contact.
    Analyst,
    /// Office clerk: checks people in and calls numbers at the counters of their offices.
    Clerk,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Operator, Role::Leader, Role::Agency, Role::Open311, Role::Analyst, Role::Clerk];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Leader => "leader",
            Role::Agency => "agency",
            Role::Open311 => "open311",
            Role::Analyst => "analyst",
            Role::Clerk => "clerk",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            ValidationErrors::single(
                field,
                "role must be one of admin, operator, leader, agency, open311, analyst, clerk",
            )
        })
    }

    /// The call centre (admins and operators) may take every centre action.
    pub fn is_centre(self) -> bool {
        matches!(self, Role::Admin | Role::Operator)
    }
}

/// A user account (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: Uuid,
    /// Login name.
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// For leaders: the areas they may see (with everything below them).
    pub areas: Vec<AreaCode>,
    /// For agency staff: the units whose tickets they work (with their sub-units).
    pub units: Vec<UnitCode>,
    /// For clerks: the offices whose counters they work.
    #[serde(default)]
    pub offices: Vec<String>,
}

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// No credentials.
    Public,
    /// A signed-in user (cookie session or bearer API key bound to a user).
    User(User),
    /// An integration's API key with a role and no user.
    ApiKey { name: String, role: Role },
}

impl Principal {
    pub fn role(&self) -> Option<Role> {
        match self {
            Principal::Public => None,
            Principal::User(u) => Some(u.role),
            Principal::ApiKey { role, .. } => Some(*role),
        }
    }

    /// How the actor is written in events: `user:NAME`, `apikey:NAME` or `public`.
    pub fn actor_name(&self) -> String {
        match self {
            Principal::Public => "public".into(),
            Principal::User(u) => format!("user:{}", u.name),
            Principal::ApiKey { name, .. } => format!("apikey:{name}"),
        }
    }
}
