//! Reference data held in memory: categories, units, routing rules and areas.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use crate::domain::area::Levels;
use crate::domain::routing;
use crate::domain::{AreaCode, Category, CategoryCode, RoutingRule, Unit, UnitCode};
use crate::spatial::AreaIndex;
use crate::store::Store;

/// The reference data of one instance: the current snapshot, replaced whole on reload, shared
/// by every handle that reads it. Cheap to clone.
#[derive(Clone)]
pub struct ReferenceData {
    /// A std lock, held only to clone or replace the `Arc`.
    current: Arc<RwLock<Arc<Reference>>>,
    store: Arc<dyn Store>,
    levels: Levels,
}

impl ReferenceData {
    /// Loads the snapshot from the store.
    pub async fn load(store: Arc<dyn Store>, levels: Levels) -> anyhow::Result<Self> {
        let first = Arc::new(Reference::load(store.as_ref(), &levels).await?);
        Ok(Self { current: Arc::new(RwLock::new(first)), store, levels })
    }

    /// The current snapshot.
    pub fn current(&self) -> Arc<Reference> {
        self.current.read().expect("reference lock").clone()
    }

    /// Reads the store again and replaces the snapshot; returns the old and the new one.
    pub async fn reload(&self) -> anyhow::Result<(Arc<Reference>, Arc<Reference>)> {
        let fresh = Arc::new(Reference::load(self.store.as_ref(), &self.levels).await?);
        let old = std::mem::replace(&mut *self.current.write().expect("reference lock"), fresh.clone());
        Ok((old, fresh))
    }
}

/// One consistent snapshot of the reference data.
pub struct Reference {
    pub categories: Vec<Category>,
    pub units: Vec<Unit>,
    pub rules: Vec<RoutingRule>,
    pub areas: AreaIndex,
    category_pos: HashMap<CategoryCode, usize>,
}

impl Reference {
    pub async fn load(store: &dyn Store, levels: &Levels) -> anyhow::Result<Self> {
        let categories = store.categories().await?;
        let units = store.units().await?;
        let rules = store.routing_rules().await?;
        let areas = AreaIndex::new(&store.areas().await?, levels);
        Ok(Self::new(categories, units, rules, areas))
    }

    pub fn new(categories: Vec<Category>, units: Vec<Unit>, rules: Vec<RoutingRule>, areas: AreaIndex) -> Self {
        let category_pos = categories.iter().enumerate().map(|(i, c)| (c.code.clone(), i)).collect();
        Self { categories, units, rules, areas, category_pos }
    }

    pub fn category(&self, code: &CategoryCode) -> Option<&Category> {
        self.category_pos.get(code).map(|&i| &self.categories[i])
    }

    pub fn unit(&self, code: &UnitCode) -> Option<&Unit> {
        self.units.iter().find(|u| &u.code == code)
    }

    /// `roots` and every unit below them.
    pub fn unit_descendants(&self, roots: &[UnitCode]) -> HashSet<UnitCode> {
        roots.iter().flat_map(|r| crate::domain::unit::descendants(&self.units, r)).cloned().collect()
    }

    /// `roots` and every area below them.
    pub fn area_descendants(&self, roots: &[AreaCode]) -> HashSet<AreaCode> {
        roots.iter().flat_map(|r| self.areas.descendants(r)).collect()
    }

    /// The unit the routing rules suggest for a ticket of `category` in `area`.
    pub fn suggest_unit(&self, category: &CategoryCode, area: Option<&AreaCode>) -> Option<UnitCode> {
        let chain = area.map(|a| self.areas.ancestors(a)).unwrap_or_default();
        routing::suggest(&self.rules, category, &chain).cloned()
    }

    /// Working days allowed for a category (its override, or the city default).
    pub fn deadline_days(&self, category: &CategoryCode, default: u32) -> u32 {
        self.category(category).and_then(|c| c.deadline_days).unwrap_or(default)
    }
}
