//! [`AreaIndex`]: point → administrative area, and the area hierarchy.
//!
//! Each polygon of each area version goes into an R-tree by its bounding box (lon/lat degrees);
//! a point look-up reads the boxes that hold the point and classifies it exactly against those
//! polygons with geo's [`CoordinatePosition`] (robust orientation predicates: a point exactly on
//! an edge is `OnBoundary`, never lost to rounding).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Coord};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::domain::area::Levels;
use crate::domain::{Area, AreaCode, Location};

/// One polygon of one area version: indexes into [`AreaIndex::areas`] and its `MultiPolygon`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Part {
    area: u32,
    polygon: u32,
}

/// Administrative areas (all levels, all boundary versions) for point look-ups and hierarchy.
///
/// **Border rule.** A point belongs to an area if it is inside it or on its boundary. Among the
/// areas in force at the given instant that hold the point, the look-up picks the most specific
/// level (highest [`Levels::rank`]); within that level an area that has the point in its interior
/// wins over one that only has it on its boundary; among the rest the smallest code wins. So a
/// point on the border of wards `DN-HC-02` and `DN-HC-03` (or on a corner shared by four) always
/// goes to `DN-HC-02`, and [`Self::locate_level`] answers with that ward's ancestors, so the
/// district is always the ward's own district. Each polygon of a `MultiPolygon` is tested on its
/// own, so parts that touch at a corner do not cancel each other out (geo's whole-`MultiPolygon`
/// test applies the OGC "mod 2" boundary rule and would call such a corner outside).
///
/// Areas whose level is not one of the configured levels are kept for [`Self::get`] and the
/// hierarchy but are never returned by a point look-up.
#[derive(Debug, Clone)]
pub struct AreaIndex {
    areas: Vec<Area>,
    /// `levels.rank(area.level)` per entry of `areas`.
    ranks: Vec<usize>,
    levels: Levels,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, Part>>,
    /// Indexes into `areas` per code, oldest `valid_from` first.
    versions: HashMap<AreaCode, Vec<usize>>,
    /// Child codes per parent code, over every version.
    children: HashMap<AreaCode, BTreeSet<AreaCode>>,
}

impl AreaIndex {
    /// Indexes `areas` (any order, several versions per code allowed). O(p log p) for p polygons.
    pub fn new(areas: &[Area], levels: &Levels) -> Self {
        let areas = areas.to_vec();
        let ranks = areas.iter().map(|a| levels.rank(&a.level)).collect();
        let mut parts = Vec::new();
        let mut versions: HashMap<AreaCode, Vec<usize>> = HashMap::new();
        let mut children: HashMap<AreaCode, BTreeSet<AreaCode>> = HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            for (j, poly) in a.geometry.0.iter().enumerate() {
                if let Some(r) = poly.bounding_rect() {
                    let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    parts.push(GeomWithData::new(rect, Part { area: i as u32, polygon: j as u32 }));
                }
            }
            versions.entry(a.code.clone()).or_default().push(i);
            if let Some(p) = &a.parent {
                children.entry(p.clone()).or_default().insert(a.code.clone());
            }
        }
        for v in versions.values_mut() {
            v.sort_by_key(|&i| areas[i].valid_from);
        }
        Self { areas, ranks, levels: levels.clone(), tree: RTree::bulk_load(parts), versions, children }
    }

    /// Every area version indexed, in the order given (all levels, in force or not).
    pub fn versions(&self) -> &[Area] {
        &self.areas
    }

    /// The configured levels, top first.
    pub fn levels(&self) -> &Levels {
        &self.levels
    }

    /// The most specific area in force at `at` that holds `p` (lon/lat degrees), by the border
    /// rule above; `None` outside every area. Cost: O(log n) to find the candidate boxes, then
    /// O(v) per candidate polygon of v vertices.
    pub fn locate(&self, p: Location, at: DateTime<Utc>) -> Option<&AreaCode> {
        self.classify(p, at, None).map(|i| &self.areas[i].code)
    }

    /// The area of `level` that holds `p` at `at`: the ancestor at that level of
    /// [`Self::locate`]'s answer (so levels always agree on border points), or, if that chain
    /// has no area of this level, the best area of this level by the same border rule.
    pub fn locate_level(&self, p: Location, at: DateTime<Utc>, level: &str) -> Option<&AreaCode> {
        let want = self.levels.rank(level);
        if want >= self.levels.0.len() {
            return None;
        }
        if let Some(mut i) = self.classify(p, at, None) {
            for _ in 0..=self.areas.len() {
                match self.ranks[i].cmp(&want) {
                    std::cmp::Ordering::Equal => return Some(&self.areas[i].code),
                    std::cmp::Ordering::Less => break,
                    std::cmp::Ordering::Greater => {}
                }
                let Some(next) = self.areas[i].parent.as_ref().and_then(|c| self.version_at_or_latest(c, at)) else {
                    break;
                };
                i = next;
            }
        }
        self.classify(p, at, Some(want)).map(|i| &self.areas[i].code)
    }

    /// The index of the winning area version, optionally only among areas of rank `only_rank`.
    fn classify(&self, p: Location, at: DateTime<Utc>, only_rank: Option<usize>) -> Option<usize> {
        let c = Coord { x: p.lon, y: p.lat };
        let known = self.levels.0.len();
        // (rank, inside, index): higher rank, then inside, then smaller code wins.
        let mut best: Option<(usize, bool, usize)> = None;
        for part in self.tree.locate_all_at_point(&[p.lon, p.lat]) {
            let i = part.data.area as usize;
            let (a, rank) = (&self.areas[i], self.ranks[i]);
            if rank >= known || only_rank.is_some_and(|r| r != rank) || !a.valid_at(at) {
                continue;
            }
            let inside = match a.geometry.0[part.data.polygon as usize].coordinate_position(&c) {
                CoordPos::Inside => true,
                CoordPos::OnBoundary => false,
                CoordPos::Outside => continue,
            };
            let better = match best {
                None => true,
                Some((br, bin, bi)) => {
                    (rank, inside) > (br, bin) || ((rank, inside) == (br, bin) && a.code < self.areas[bi].code)
                }
            };
            if better {
                best = Some((rank, inside, i));
            }
        }
        best.map(|(_, _, i)| i)
    }

    /// The version of `code` in force at `at`.
    pub fn get(&self, code: &AreaCode, at: DateTime<Utc>) -> Option<&Area> {
        self.versions.get(code)?.iter().map(|&i| &self.areas[i]).find(|a| a.valid_at(at))
    }

    fn version_at_or_latest(&self, code: &AreaCode, at: DateTime<Utc>) -> Option<usize> {
        let v = self.versions.get(code)?;
        v.iter().copied().find(|&i| self.areas[i].valid_at(at)).or(v.last().copied())
    }

    /// `code` itself, then its parent, grandparent, … up to the root (the chain routing rules
    /// walk). Parents are read from each code's latest version; a parent code that is not
    /// indexed ends the chain (it is still listed). Cycles in bad data are cut.
    pub fn ancestors(&self, code: &AreaCode) -> Vec<AreaCode> {
        let mut out = vec![code.clone()];
        let mut cur = code;
        while let Some(&i) = self.versions.get(cur).and_then(|v| v.last()) {
            match &self.areas[i].parent {
                Some(p) if !out.contains(p) => {
                    out.push(p.clone());
                    cur = p;
                }
                _ => break,
            }
        }
        out
    }

    /// `code` and every code below it, over all boundary versions (old tickets keep codes that
    /// have since been split or merged). Used to widen a leader's scope to the codes tickets
    /// carry. O(size of the subtree).
    pub fn descendants(&self, code: &AreaCode) -> HashSet<AreaCode> {
        let mut out = HashSet::from([code.clone()]);
        let mut stack = vec![code];
        while let Some(c) = stack.pop() {
            for child in self.children.get(c).into_iter().flatten() {
                if out.insert(child.clone()) {
                    stack.push(child);
                }
            }
        }
        out
    }

    /// The direct children of `code` (any version), sorted by code.
    pub fn children(&self, code: &AreaCode) -> Vec<AreaCode> {
        self.children.get(code).map(|c| c.iter().cloned().collect()).unwrap_or_default()
    }

    /// Every area version in force at `at`, top level first, then by code.
    pub fn all(&self, at: DateTime<Utc>) -> Vec<&Area> {
        let mut out: Vec<(usize, &Area)> =
            self.areas.iter().zip(&self.ranks).filter(|(a, _)| a.valid_at(at)).map(|(a, &r)| (r, a)).collect();
        out.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.code.cmp(&y.1.code)));
        out.into_iter().map(|(_, a)| a).collect()
    }
}

#[cfg(test)]
mod tests;
