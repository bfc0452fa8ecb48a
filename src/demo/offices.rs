//! The demo city's public offices (`geodata/danang/offices.json`): the city's public
//! administration centre, two districts' one-stop counters, the immigration office and a
//! vaccination point, with their services, hours and booking rules.

use chrono::Utc;

use crate::domain::Office;
use crate::store::Store;

/// The office the demo clerk works at.
pub const CENTRE: &str = "DN-HCC";

const OFFICES_JSON: &str = include_str!("../../geodata/danang/offices.json");

/// The demo offices, validated as an admin's would be.
pub fn offices() -> anyhow::Result<Vec<Office>> {
    let raw: Vec<Office> = serde_json::from_str(OFFICES_JSON)?;
    raw.into_iter()
        .map(|o| {
            let id = o.id.clone();
            o.validate().map_err(|e| anyhow::anyhow!("office {id}: {e}"))
        })
        .collect()
}

/// Stores the demo offices (replacing those of the same ids).
pub async fn seed(store: &dyn Store) -> anyhow::Result<usize> {
    let offices = offices()?;
    for o in &offices {
        store.put_office(o, Utc::now()).await?;
    }
    Ok(offices.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_offices_are_valid_and_serve_procedures_of_the_catalogue() {
        let offices = super::offices().unwrap();
        assert!(offices.iter().any(|o| o.id.as_str() == super::CENTRE));
        let catalogue: Vec<_> = crate::demo::procedures().unwrap().into_iter().map(|p| p.code).collect();
        for o in &offices {
            for s in &o.services {
                for p in &s.procedures {
                    assert!(catalogue.contains(p), "{}/{}: {p:?} is not in the demo catalogue", o.id, s.id);
                }
            }
        }
    }
}
