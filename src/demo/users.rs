//! The demo city's accounts: one per role, all with the demo password; the leader subscribed to
//! the Friday report and the unit's officer its head (the demo sends nothing unless a gateway or
//! SMTP server is configured).

use chrono::Utc;

use super::DemoCity;
use crate::domain::{Role, StaffContact, User};
use crate::service::auth::hash_password;
use crate::store::{NewUser, Store, StoreError};

/// Password of the demo accounts (override with `SWITCHBOARD_DEMO_PASSWORD`).
pub fn demo_password() -> String {
    std::env::var("SWITCHBOARD_DEMO_PASSWORD").unwrap_or_else(|_| "switchboard-demo".into())
}

/// Creates the demo accounts that do not exist yet; answers those made (`name (role)`).
pub async fn demo_users(store: &dyn Store, city: &DemoCity) -> anyhow::Result<Vec<String>> {
    let district = city.areas.iter().find(|a| a.level == "district").map(|a| a.code.clone());
    let unit = district.as_ref().and_then(|d| city.units.iter().find(|u| u.kind == "agency" && u.areas.contains(d)));
    let mut wanted = vec![
        ("admin", "Quản trị hệ thống", Role::Admin, vec![], vec![]),
        ("operator", "Điện thoại viên 1022", Role::Operator, vec![], vec![]),
    ];
    if let Some(d) = &district {
        wanted.push(("leader", "Lãnh đạo quận", Role::Leader, vec![d.clone()], vec![]));
    }
    if let Some(u) = unit {
        wanted.push(("agency", "Cán bộ xử lý", Role::Agency, vec![], vec![u.code.clone()]));
    }
    // The clerk works the counters of the city's public administration centre (src/demo/offices.rs).
    wanted.push(("clerk", "Cán bộ một cửa", Role::Clerk, vec![], vec![]));
    let password = demo_password();
    let mut made = Vec::new();
    for (name, display, role, areas, units) in wanted {
        let phc = hash_password(&password)?;
        let offices = if role == Role::Clerk { vec![super::offices::CENTRE.to_owned()] } else { vec![] };
        let user = User {
            id: uuid::Uuid::now_v7(),
            name: name.into(),
            display_name: display.into(),
            role,
            areas,
            units,
            offices,
        };
        let id = user.id;
        match store.create_user(NewUser { user, password_hash: phc }).await {
            Ok(()) => {
                made.push(format!("{name} ({})", role.as_str()));
                // The leader gets the Friday report and the unit's officer heads the unit (the
                // demo sends nothing unless a gateway or SMTP server is configured).
                let contact = match role {
                    Role::Leader => Some(StaffContact {
                        email: Some("lanhdao.demo@1022.danang.example".into()),
                        weekly_report: true,
                        ..StaffContact::default()
                    }),
                    Role::Agency => Some(StaffContact {
                        email: Some("donvi.demo@1022.danang.example".into()),
                        unit_head: true,
                        ..StaffContact::default()
                    }),
                    _ => None,
                };
                if let Some(c) = contact {
                    store.set_staff_contact(id, &c, Utc::now()).await?;
                }
            }
            Err(StoreError::AlreadyExists(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(made)
}
