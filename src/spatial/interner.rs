//! [`Interner`]: values met many times, each stored once and referred to by number, numbered in
//! order of first use. The ticket index keeps its codes this way (`tickets/compact.rs`), and a
//! vector-tile layer its key and value tables (`tiles/tags.rs`, the MVT spec's shared tags).
//!
//! Each value is stored once, in a `Vec`; the lookup table holds only its number and finds it
//! by foldhash (hashbrown's default: fast, not DoS-resistant, which does not matter for values
//! the server keeps itself).

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use hashbrown::{DefaultHashBuilder, HashTable};

/// The number no value gets (callers use it for "none").
pub const NO_NUMBER: u32 = u32::MAX;

#[derive(Debug)]
pub struct Interner<T> {
    values: Vec<T>,
    numbers: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Self { values: Vec::new(), numbers: HashTable::new(), hasher: DefaultHashBuilder::default() }
    }
}

impl<T: Eq + Hash> Interner<T> {
    /// The number of `v`, given it now if it has none (a copy of `v` is made only then).
    pub fn intern<Q>(&mut self, v: &Q) -> u32
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = T> + ?Sized,
    {
        let hash = self.hasher.hash_one(v);
        match self.find(hash, v) {
            Some(n) => n,
            None => self.push(hash, v.to_owned()),
        }
    }

    /// The number of `v`, which is kept if it has none.
    pub fn intern_owned(&mut self, v: T) -> u32 {
        let hash = self.hasher.hash_one(&v);
        match self.find(hash, &v) {
            Some(n) => n,
            None => self.push(hash, v),
        }
    }

    /// The number of a value met before, if it was.
    pub fn number<Q>(&self, v: &Q) -> Option<u32>
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.find(self.hasher.hash_one(v), v)
    }

    pub fn get(&self, n: u32) -> &T {
        &self.values[n as usize]
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// The values, in order of their numbers.
    pub fn into_values(self) -> Vec<T> {
        self.values
    }

    fn find<Q>(&self, hash: u64, v: &Q) -> Option<u32>
    where
        T: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.numbers.find(hash, |&n| self.values[n as usize].borrow() == v).copied()
    }

    fn push(&mut self, hash: u64, v: T) -> u32 {
        let Self { values, numbers, hasher } = self;
        let n =
            u32::try_from(values.len()).ok().filter(|&n| n < NO_NUMBER).expect("fewer than 2^32 - 1 distinct values");
        values.push(v);
        numbers.insert_unique(hash, n, |&i| hasher.hash_one(&values[i as usize]));
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_in_order_of_first_use_and_kept_once() {
        let mut names = Interner::<String>::default();
        assert_eq!(names.intern("Hải Châu"), 0);
        assert_eq!(names.intern("Sơn Trà"), 1);
        assert_eq!(names.intern("Hải Châu"), 0);
        assert_eq!(names.intern_owned("Sơn Trà".to_owned()), 1);
        assert_eq!(names.intern_owned("Liên Chiểu".to_owned()), 2);
        assert_eq!(names.number("Sơn Trà"), Some(1));
        assert_eq!(names.number("Thanh Khê"), None);
        assert_eq!((names.len(), names.get(2).as_str()), (3, "Liên Chiểu"));
        assert_eq!(names.into_values(), ["Hải Châu", "Sơn Trà", "Liên Chiểu"]);
    }
}
