//! A layer's key and value tables: each distinct attribute key and value once, features
//! pointing at them by index (the MVT spec's shared tags), numbered in order of first use.
//!
//! geozero's `TagsBuilder` does the same through std `HashMap`s with SipHash; on a small ticket
//! tile (a few dozen points, seven attributes each, every id distinct) that hashing was about a
//! tenth of the tile's encoding. Here each table is an [`Interner`] (foldhash, each value stored
//! once).

use geozero::mvt::TileValue;

use crate::spatial::interner::Interner;

/// The key and value tables of one layer.
#[derive(Default)]
pub struct Tags {
    keys: Interner<String>,
    values: Interner<TileValue>,
}

impl Tags {
    /// The positions of `key` and `value` in the tables (added if new).
    pub fn insert(&mut self, key: &str, value: TileValue) -> (u32, u32) {
        (self.keys.intern(key), self.values.intern_owned(value))
    }

    /// The keys and the values, in order of first use.
    pub fn into_tables(self) -> (Vec<String>, Vec<TileValue>) {
        (self.keys.into_values(), self.values.into_values())
    }
}

#[cfg(test)]
mod tests {
    use geozero::mvt::TagsBuilder;

    use super::*;

    #[test]
    fn the_tables_match_geozeros_tags_builder() {
        // Keys and values repeated, values of every kind, the same number as an int and a uint.
        let attributes: Vec<(&str, TileValue)> = (0..200u32)
            .flat_map(|i| {
                [
                    ("id", TileValue::Str(format!("t{}", i % 50))),
                    ("status", TileValue::Str(["received", "closed"][(i % 2) as usize].to_owned())),
                    ("open", TileValue::Bool(i % 3 == 0)),
                    ("deadline", TileValue::Int(i64::from(i % 7))),
                    ("count", TileValue::Uint(u64::from(i % 7))),
                    ("share", TileValue::Double(f64::from(i % 4) / 4.0)),
                    ("weight", TileValue::Float(0.5)),
                ]
            })
            .collect();
        let (mut ours, mut theirs) = (Tags::default(), TagsBuilder::new());
        for (k, v) in &attributes {
            assert_eq!(ours.insert(k, v.clone()), theirs.insert_ref(k, v.clone()), "{k} = {v:?}");
        }
        let (keys, values) = ours.into_tables();
        assert_eq!((keys.clone(), values.clone()), theirs.into_tags());
        assert_eq!(keys.len(), 7);
        assert_eq!(values.len(), 50 + 2 + 2 + 7 + 7 + 4 + 1);
    }
}
