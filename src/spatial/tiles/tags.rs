//! A layer's key and value tables: each distinct attribute key and value once, features
//! pointing at them by index (the MVT spec's shared tags), numbered in order of first use.
//!
//! geozero's `TagsBuilder` does the same through std `HashMap`s with SipHash; on a small ticket
//! tile (a few dozen points, seven attributes each, every id distinct) that hashing was about a
//! tenth of the tile's encoding. Here the tables are looked up by foldhash (hashbrown's default,
//! not DoS-resistant, which does not matter for values the server encodes itself), and the
//! values are stored once, the index holding their positions.

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use geozero::mvt::TileValue;
use hashbrown::{DefaultHashBuilder, HashTable};

/// The distinct items of one table in order of first use, and their positions by hash.
struct Table<T> {
    items: Vec<T>,
    positions: HashTable<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self { items: Vec::new(), positions: HashTable::new() }
    }
}

impl<T: Hash + Eq> Table<T> {
    /// The position of the item equal to `probe` (of hash `hash`), if there is one.
    fn find<Q>(&self, hash: u64, probe: &Q) -> Option<u32>
    where
        T: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.positions.find(hash, |&at| self.items[at as usize].borrow() == probe).copied()
    }

    /// Adds `item` (of hash `hash`, not in the table yet) and returns its position.
    fn push(&mut self, hasher: &DefaultHashBuilder, hash: u64, item: T) -> u32 {
        let Self { items, positions } = self;
        let at = u32::try_from(items.len()).expect("fewer than 4 billion tags in a layer");
        items.push(item);
        positions.insert_unique(hash, at, |&i| hasher.hash_one(&items[i as usize]));
        at
    }
}

/// The key and value tables of one layer.
#[derive(Default)]
pub struct Tags {
    hasher: DefaultHashBuilder,
    keys: Table<String>,
    values: Table<TileValue>,
}

impl Tags {
    /// The positions of `key` and `value` in the tables (added if new).
    pub fn insert(&mut self, key: &str, value: TileValue) -> (u32, u32) {
        let hash = self.hasher.hash_one(key);
        let k = match self.keys.find(hash, key) {
            Some(k) => k,
            None => self.keys.push(&self.hasher, hash, key.to_owned()),
        };
        let hash = self.hasher.hash_one(&value);
        let v = match self.values.find(hash, &value) {
            Some(v) => v,
            None => self.values.push(&self.hasher, hash, value),
        };
        (k, v)
    }

    /// The keys and the values, in order of first use.
    pub fn into_tables(self) -> (Vec<String>, Vec<TileValue>) {
        (self.keys.items, self.values.items)
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
