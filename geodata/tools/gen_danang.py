#!/usr/bin/env python3
"""Generates the demo city's areas (geodata/danang/areas.geojson), units (units.json) and routing
rules (routing.json): a plausible, simplified Đà Nẵng whose city, district and ward boundaries
tile exactly, with a People's Committee for every district and ward.

Python 3 standard library only; deterministic (same input, same bytes).

How it works
------------
1. The land outline (``OUTLINE``, lon/lat, roughly following the coast of the Bay of Đà Nẵng,
   the Sơn Trà peninsula and the beaches down to Quảng Nam) is rasterised into square cells of
   ``STEP`` (0.0025°, about 270 m): a cell is land when its centre is inside the outline.
2. Each land cell gets a district: the first district (in ``DISTRICTS`` order) whose rough
   polygon contains the cell centre; cells in none of them belong to Hòa Vang, the rural rest.
3. Within its district a cell goes to the nearest ward seed (distance in km-ish units divided by
   the ward's weight, so rural communes can be larger).
4. Clean-up until stable: enclosed sea cells become land; stray fragments of a ward or district
   join the neighbour they touch most; "pinches" (two cells of one region touching only at a
   corner) are filled, so every traced ring is simple.
5. Each area (city, district, ward) is the union of its cells, traced along grid lines into
   rings (exterior counter-clockwise, holes clockwise, as RFC 7946 asks) with collinear vertices
   dropped. All coordinates are multiples of ``STEP`` printed as exact decimals, so borders
   shared by two areas are the very same numbers in both.

Units and routing: the city departments in ``DEPARTMENTS`` answer city-wide for the categories
in ``CATEGORY_UNITS``; every district and ward has its People's Committee (UBND), which gets
whatever no department takes in its area; building-order and land cases go to the district;
anything else falls through to the 1022 centre. Category codes are those of categories.json.

Usage: ``python3 geodata/tools/gen_danang.py [--dir DIR] [--preview PNG]``
(``--preview`` also writes a small PNG map of the wards, for eyeballing changes.)
"""

import argparse
import json
import math
import os
import struct
import sys
import zlib

# Grid, in units of 1e-4 degree so that every coordinate is an exact decimal.
UNIT = 10000
STEP = 25  # 0.0025°
LON0, LAT0 = 1078000, 159000  # 107.80°E, 15.90°N (south-west corner of the grid)
NX, NY = 224, 136  # up to 108.36°E, 16.24°N
KM_PER_DEG_LON = 0.961  # cos(16°): a degree of longitude is shorter than one of latitude

# Land outline, clockwise from the Hải Vân cape. Approximate, but the coast is where it is.
OUTLINE = [
    (108.200, 16.205),  # Hải Vân cape, the north-east end of the Hải Vân massif
    (108.170, 16.185),
    (108.145, 16.160),
    (108.135, 16.135),
    (108.128, 16.125),  # Nam Ô
    (108.140, 16.105),  # Kim Liên
    (108.155, 16.088),  # Xuân Thiều
    (108.170, 16.080),
    (108.190, 16.0775),  # Thanh Khê coast (Nguyễn Tất Thành)
    (108.205, 16.079),
    (108.212, 16.083),
    (108.218, 16.089),  # Thuận Phước
    (108.223, 16.095),  # mouth of the Hàn river
    (108.229, 16.096),
    (108.233, 16.105),  # Thọ Quang fishing port
    (108.231, 16.115),
    (108.225, 16.123),  # Tiên Sa port
    (108.230, 16.134),
    (108.245, 16.143),
    (108.265, 16.150),  # Bãi Bắc, north coast of the Sơn Trà peninsula
    (108.295, 16.150),
    (108.320, 16.140),
    (108.333, 16.120),  # Mũi Nghê, the eastern tip
    (108.325, 16.105),
    (108.305, 16.096),
    (108.285, 16.095),  # Bãi Bụt
    (108.270, 16.093),
    (108.258, 16.088),
    (108.250, 16.078),  # Phạm Văn Đồng beach
    (108.2475, 16.060),  # Mỹ Khê
    (108.2515, 16.040),
    (108.259, 16.020),
    (108.271, 16.000),  # Non Nước
    (108.279, 15.980),
    (108.286, 15.962),  # the coast meets Quảng Nam (Điện Bàn)
    (108.255, 15.955),
    (108.225, 15.935),
    (108.190, 15.935),
    (108.150, 15.925),
    (108.110, 15.925),
    (108.070, 15.940),
    (108.030, 15.950),
    (107.990, 15.955),
    (107.950, 15.965),
    (107.900, 15.990),
    (107.870, 16.020),
    (107.845, 16.070),
    (107.855, 16.120),
    (107.890, 16.170),
    (107.930, 16.200),
    (108.000, 16.215),
    (108.070, 16.215),
    (108.130, 16.205),  # Hải Vân pass, the border with Huế
]

# The Hàn river from its mouth upstream to where the Cẩm Lệ and Cổ Cò rivers meet it: the border
# between Hải Châu (west bank) and Sơn Trà / Ngũ Hành Sơn (east bank).
HAN_RIVER = [
    (108.2240, 16.0990),
    (108.2255, 16.0800),
    (108.2270, 16.0700),
    (108.2275, 16.0620),
    (108.2280, 16.0500),
    (108.2290, 16.0400),
    (108.2300, 16.0300),
]

# (code, name, name_en, rough polygon or None for "the rest", wards).
# A ward is (code suffix, name, name_en, seed lon, seed lat, weight).
# Order matters: a cell goes to the first district whose polygon contains it.
DISTRICTS = [
    (
        "HC",
        "Hải Châu",
        "Hai Chau",
        [(108.2090, 16.0950)]
        + HAN_RIVER
        + [
            (108.2250, 16.0230),
            (108.2150, 16.0300),
            (108.2050, 16.0360),
            (108.1950, 16.0380),
            (108.1930, 16.0500),
            (108.2000, 16.0560),
            (108.2080, 16.0600),
            (108.2100, 16.0750),
        ],
        [
            ("THANHBINH", "Thanh Bình", "Thanh Binh", 108.2140, 16.0810, 1.0),
            ("THACHTHANG", "Thạch Thang", "Thach Thang", 108.2175, 16.0755, 1.0),
            ("HAICHAU1", "Hải Châu I", "Hai Chau I", 108.2230, 16.0700, 1.0),
            ("PHUOCNINH", "Phước Ninh", "Phuoc Ninh", 108.2180, 16.0620, 1.0),
            ("BINHHIEN", "Bình Hiên", "Binh Hien", 108.2230, 16.0540, 1.0),
            ("HOATHUANTAY", "Hòa Thuận Tây", "Hoa Thuan Tay", 108.2030, 16.0450, 1.3),
            ("HOACUONGBAC", "Hòa Cường Bắc", "Hoa Cuong Bac", 108.2200, 16.0420, 1.0),
            ("HOACUONGNAM", "Hòa Cường Nam", "Hoa Cuong Nam", 108.2220, 16.0290, 1.0),
        ],
    ),
    (
        "ST",
        "Sơn Trà",
        "Son Tra",
        [HAN_RIVER[0], (108.2000, 16.1400), (108.3600, 16.1700), (108.3600, 16.0500)]
        + list(reversed(HAN_RIVER[1:5])),
        [
            ("THOQUANG", "Thọ Quang", "Tho Quang", 108.2600, 16.1180, 1.6),
            ("MANTHAI", "Mân Thái", "Man Thai", 108.2420, 16.0900, 1.0),
            ("NAIHIENDONG", "Nại Hiên Đông", "Nai Hien Dong", 108.2310, 16.0850, 1.0),
            ("ANHAIBAC", "An Hải Bắc", "An Hai Bac", 108.2320, 16.0710, 1.0),
            ("PHUOCMY", "Phước Mỹ", "Phuoc My", 108.2430, 16.0680, 1.0),
            ("ANHAITAY", "An Hải Tây", "An Hai Tay", 108.2320, 16.0590, 1.0),
            ("ANHAIDONG", "An Hải Đông", "An Hai Dong", 108.2420, 16.0570, 1.0),
        ],
    ),
    (
        "NHS",
        "Ngũ Hành Sơn",
        "Ngu Hanh Son",
        [HAN_RIVER[4], (108.3600, 16.0500), (108.3600, 15.9000), (108.2150, 15.9000)]
        + [(108.2150, 15.9700), (108.2200, 15.9850), (108.2280, 16.0000), (108.2320, 16.0150)]
        + list(reversed(HAN_RIVER[5:])),
        [
            ("MYAN", "Mỹ An", "My An", 108.2430, 16.0450, 1.0),
            ("KHUEMY", "Khuê Mỹ", "Khue My", 108.2480, 16.0280, 1.0),
            ("HOAHAI", "Hòa Hải", "Hoa Hai", 108.2600, 16.0000, 1.0),
            ("HOAQUY", "Hòa Quý", "Hoa Quy", 108.2330, 15.9850, 1.0),
        ],
    ),
    (
        "TK",
        "Thanh Khê",
        "Thanh Khe",
        [
            (108.1720, 16.0950),
            (108.2090, 16.0950),
            (108.2100, 16.0750),
            (108.2080, 16.0600),
            (108.2000, 16.0560),
            (108.1930, 16.0500),
            (108.1800, 16.0500),
            (108.1720, 16.0550),
        ],
        [
            ("THANHKHETAY", "Thanh Khê Tây", "Thanh Khe Tay", 108.1780, 16.0690, 1.0),
            ("THANHKHEDONG", "Thanh Khê Đông", "Thanh Khe Dong", 108.1880, 16.0720, 1.0),
            ("XUANHA", "Xuân Hà", "Xuan Ha", 108.1990, 16.0720, 1.0),
            ("CHINHGIAN", "Chính Gián", "Chinh Gian", 108.2020, 16.0640, 1.0),
            ("ANKHE", "An Khê", "An Khe", 108.1840, 16.0600, 1.0),
            ("HOAKHE", "Hòa Khê", "Hoa Khe", 108.1930, 16.0560, 1.0),
        ],
    ),
    (
        "CL",
        "Cẩm Lệ",
        "Cam Le",
        [
            (108.1930, 16.0500),
            (108.1950, 16.0380),
            (108.2050, 16.0360),
            (108.2150, 16.0300),
            (108.2250, 16.0230),
            (108.2300, 16.0300),
            (108.2320, 16.0150),
            (108.2280, 16.0000),
            (108.2200, 15.9850),
            (108.2000, 15.9850),
            (108.1800, 15.9950),
            (108.1650, 16.0100),
            (108.1600, 16.0350),
            (108.1720, 16.0550),
            (108.1800, 16.0500),
        ],
        [
            ("KHUETRUNG", "Khuê Trung", "Khue Trung", 108.2080, 16.0270, 1.0),
            ("HOATHODONG", "Hòa Thọ Đông", "Hoa Tho Dong", 108.1950, 16.0230, 1.0),
            ("HOATHOTAY", "Hòa Thọ Tây", "Hoa Tho Tay", 108.1780, 16.0160, 1.0),
            ("HOAAN", "Hòa An", "Hoa An", 108.1780, 16.0450, 1.0),
            ("HOAPHAT", "Hòa Phát", "Hoa Phat", 108.1850, 16.0320, 1.0),
            ("HOAXUAN", "Hòa Xuân", "Hoa Xuan", 108.2180, 16.0040, 1.2),
        ],
    ),
    (
        "LC",
        "Liên Chiểu",
        "Lien Chieu",
        [
            (108.1720, 16.0950),
            (108.1720, 16.0550),
            (108.1600, 16.0350),
            (108.1300, 16.0400),
            (108.1000, 16.0650),
            (108.0950, 16.1000),
            (108.1000, 16.1400),
            (108.1100, 16.1800),
            (108.1300, 16.2050),
            (108.1300, 16.2400),
            (108.2400, 16.2400),
            (108.2100, 16.1600),
            (108.1700, 16.1000),
        ],
        [
            ("HOAHIEPBAC", "Hòa Hiệp Bắc", "Hoa Hiep Bac", 108.1250, 16.1550, 1.5),
            ("HOAHIEPNAM", "Hòa Hiệp Nam", "Hoa Hiep Nam", 108.1300, 16.0980, 1.0),
            ("HOAKHANHBAC", "Hòa Khánh Bắc", "Hoa Khanh Bac", 108.1500, 16.0740, 1.0),
            ("HOAKHANHNAM", "Hòa Khánh Nam", "Hoa Khanh Nam", 108.1430, 16.0520, 1.0),
            ("HOAMINH", "Hòa Minh", "Hoa Minh", 108.1650, 16.0620, 0.8),
        ],
    ),
    (
        "HV",
        "Hòa Vang",
        "Hoa Vang",
        None,
        [
            ("HOABAC", "Hòa Bắc", "Hoa Bac", 108.0200, 16.1400, 1.0),
            ("HOALIEN", "Hòa Liên", "Hoa Lien", 108.0800, 16.0900, 0.8),
            ("HOANINH", "Hòa Ninh", "Hoa Ninh", 107.9900, 16.0200, 1.0),
            ("HOASON", "Hòa Sơn", "Hoa Son", 108.1050, 16.0420, 0.6),
            ("HOAPHU", "Hòa Phú", "Hoa Phu", 108.0400, 15.9650, 0.8),
            ("HOANHON", "Hòa Nhơn", "Hoa Nhon", 108.1200, 16.0050, 0.7),
            ("HOAKHUONG", "Hòa Khương", "Hoa Khuong", 108.1000, 15.9450, 0.8),
            ("HOATIEN", "Hòa Tiến", "Hoa Tien", 108.1800, 15.9600, 0.8),
        ],
    ),
]

CITY = ("DN", "Đà Nẵng", "Da Nang")

# Well-known places and the district they must land in: the generator refuses to write a city
# that gets them wrong (tests/demo_city.rs checks the same against the written file).
LANDMARKS = [
    ("Nhà thờ Chính tòa Đà Nẵng", 108.2232, 16.0668, "HC"),
    ("Chợ Cồn", 108.2143, 16.0677, "HC"),
    ("Công viên 29/3", 108.2040, 16.0660, "TK"),
    ("Chùa Linh Ứng Bãi Bụt", 108.2775, 16.1003, "ST"),
    ("Vincom Plaza Ngô Quyền", 108.2306, 16.0718, "ST"),
    ("Ngũ Hành Sơn", 108.2636, 16.0034, "NHS"),
    ("Khu đô thị Hòa Xuân", 108.2200, 16.0040, "CL"),
    ("Đại học Bách khoa Đà Nẵng", 108.1498, 16.0738, "LC"),
    ("Bà Nà Hills", 107.9900, 15.9900, "HV"),
    ("Làng Túy Loan", 108.1250, 16.0010, "HV"),
]

SEA = -1


def point_in_polygon(x, y, poly):
    """Even-odd rule; `poly` is a list of (x, y), implicitly closed."""
    inside = False
    n = len(poly)
    for k in range(n):
        x1, y1 = poly[k]
        x2, y2 = poly[(k + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def cell_center(i, j):
    return ((LON0 + (i + 0.5) * STEP) / UNIT, (LAT0 + (j + 0.5) * STEP) / UNIT)


def cell_of(lon, lat):
    return (int((lon * UNIT - LON0) // STEP), int((lat * UNIT - LAT0) // STEP))


def neighbours4(i, j):
    for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        a, b = i + di, j + dj
        if 0 <= a < NX and 0 <= b < NY:
            yield a, b


class City:
    def __init__(self):
        self.wards = []  # (district index, code suffix, name, name_en, lon, lat, weight)
        for d, (_, _, _, _, wards) in enumerate(DISTRICTS):
            for w in wards:
                self.wards.append((d,) + w)
        self.ward = [[SEA] * NY for _ in range(NX)]  # ward index per cell, or SEA

    def district(self, i, j):
        w = self.ward[i][j]
        return SEA if w == SEA else self.wards[w][0]

    def rasterise(self):
        for i in range(NX):
            for j in range(NY):
                x, y = cell_center(i, j)
                if not point_in_polygon(x, y, OUTLINE):
                    continue
                d = next(
                    (k for k, dd in enumerate(DISTRICTS) if dd[3] is not None and point_in_polygon(x, y, dd[3])),
                    len(DISTRICTS) - 1,
                )
                self.ward[i][j] = self.nearest_ward(d, x, y)

    def nearest_ward(self, d, x, y):
        best, best_dist = None, math.inf
        for k, (wd, _, _, _, sx, sy, weight) in enumerate(self.wards):
            if wd != d:
                continue
            dist = math.hypot((x - sx) * KM_PER_DEG_LON, y - sy) / weight
            if dist < best_dist:
                best, best_dist = k, dist
        return best

    # --- clean-up -------------------------------------------------------------------------

    def components(self, label_of, label):
        """4-connected components of the cells whose label is `label`, largest first."""
        seen, comps = set(), []
        for i in range(NX):
            for j in range(NY):
                if (i, j) in seen or label_of(i, j) != label:
                    continue
                comp, stack = [], [(i, j)]
                seen.add((i, j))
                while stack:
                    c = stack.pop()
                    comp.append(c)
                    for n in neighbours4(*c):
                        if n not in seen and label_of(*n) == label:
                            seen.add(n)
                            stack.append(n)
                comps.append(comp)
        comps.sort(key=lambda c: (-len(c), min(c)))
        return comps

    def fill_lakes(self):
        """Sea cells not connected to the edge of the grid become land, from the shore inwards."""
        changed = False
        for comp in self.components(lambda i, j: self.ward[i][j] == SEA, True):
            if any(i in (0, NX - 1) or j in (0, NY - 1) for i, j in comp):
                continue
            left = sorted(comp)
            while left:
                wet = []
                for i, j in left:
                    w = self.most_common_neighbour(i, j, lambda w: w != SEA)
                    if w is None:
                        wet.append((i, j))
                    else:
                        self.ward[i][j] = w
                left = wet
            changed = True
        return changed

    def most_common_neighbour(self, i, j, accept):
        counts = {}
        for a, b in neighbours4(i, j):
            w = self.ward[a][b]
            if accept(w):
                counts[w] = counts.get(w, 0) + 1
        if not counts:
            return None
        return max(sorted(counts), key=lambda w: counts[w])

    def join_fragments(self, label_of, labels, same_parent):
        """Every fragment but the largest of each label joins the neighbouring ward it touches most."""
        changed = False
        for label in labels:
            for comp in self.components(label_of, label)[1:]:
                cells = set(comp)
                counts = {}
                for i, j in comp:
                    for a, b in neighbours4(i, j):
                        w = self.ward[a][b]
                        if (a, b) not in cells and w != SEA and same_parent(w, label):
                            counts[w] = counts.get(w, 0) + 1
                if not counts:  # an island: drop it
                    target = SEA
                else:
                    target = max(sorted(counts), key=lambda w: counts[w])
                for i, j in comp:
                    self.ward[i][j] = target
                changed = True
        return changed

    def fix_pinches(self):
        """Fills one corner of every 2×2 block where a region touches itself only diagonally."""
        changed = False
        levels = [
            lambda w: None if w == SEA else w,
            lambda w: None if w == SEA else self.wards[w][0],
            lambda w: None if w == SEA else "land",
        ]
        for i in range(NX - 1):
            for j in range(NY - 1):
                for lab in levels:
                    a, b = self.ward[i][j], self.ward[i + 1][j]
                    c, d = self.ward[i][j + 1], self.ward[i + 1][j + 1]
                    la, lb, lc, ld = lab(a), lab(b), lab(c), lab(d)
                    if la is not None and la == ld and lb != la and lc != la:
                        self.ward[i + 1][j] = a
                        changed = True
                    elif lb is not None and lb == lc and la != lb and ld != lb:
                        self.ward[i][j] = b
                        changed = True
        return changed

    def clean(self):
        all_wards = range(len(self.wards))
        for _ in range(50):
            changed = self.fill_lakes()
            changed |= self.join_fragments(lambda i, j: self.ward[i][j] != SEA, [True], lambda w, _: True)
            changed |= self.join_fragments(
                self.district, range(len(DISTRICTS)), lambda w, d: self.wards[w][0] != d
            )
            changed |= self.join_fragments(
                lambda i, j: self.ward[i][j], all_wards, lambda w, k: w != k and self.wards[w][0] == self.wards[k][0]
            )
            changed |= self.fix_pinches()
            if not changed:
                return
        sys.exit("clean-up did not converge")

    # --- checks ---------------------------------------------------------------------------

    def check(self):
        for k, (d, suffix, _, _, lon, lat, _) in enumerate(self.wards):
            i, j = cell_of(lon, lat)
            if self.ward[i][j] != k:
                sys.exit(f"ward {DISTRICTS[d][0]}-{suffix}: its seed {lon},{lat} lies outside it")
        for name, lon, lat, code in LANDMARKS:
            i, j = cell_of(lon, lat)
            d = self.district(i, j)
            got = "sea" if d == SEA else DISTRICTS[d][0]
            if got != code:
                sys.exit(f"{name} ({lon},{lat}) falls in {got}, expected {code}")
        for k in range(len(self.wards)):
            if len(self.components(lambda i, j: self.ward[i][j], k)) != 1:
                sys.exit(f"ward {k} is not in one piece")

    # --- tracing --------------------------------------------------------------------------

    def cells(self, member):
        return {(i, j) for i in range(NX) for j in range(NY) if self.ward[i][j] != SEA and member(self.ward[i][j])}


def trace(cells):
    """Rings of the union of `cells`, grid-vertex coordinates, interior on the left of each edge."""
    nxt = {}

    def edge(a, b):
        if a in nxt:
            sys.exit(f"pinch at grid vertex {a}")
        nxt[a] = b

    for i, j in sorted(cells):
        if (i, j - 1) not in cells:
            edge((i, j), (i + 1, j))
        if (i + 1, j) not in cells:
            edge((i + 1, j), (i + 1, j + 1))
        if (i, j + 1) not in cells:
            edge((i + 1, j + 1), (i, j + 1))
        if (i - 1, j) not in cells:
            edge((i, j + 1), (i, j))
    rings = []
    while nxt:
        start = min(nxt)
        ring = [start]
        cur = nxt.pop(start)
        while cur != start:
            ring.append(cur)
            cur = nxt.pop(cur)
        rings.append(simplify(ring))
    return rings


def simplify(ring):
    """Drops vertices where the ring goes straight on (all edges are axis-parallel)."""
    out = []
    n = len(ring)
    for k in range(n):
        p, q, r = ring[k - 1], ring[k], ring[(k + 1) % n]
        if (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0]) != 0:
            out.append(q)
    return out


def signed_area(ring):
    return sum(ring[k - 1][0] * ring[k][1] - ring[k][0] * ring[k - 1][1] for k in range(len(ring))) / 2


def polygons(cells):
    """MultiPolygon rings: [[exterior, hole, …], …] in grid-vertex coordinates."""
    rings = trace(cells)
    shells = [r for r in rings if signed_area(r) > 0]
    holes = [r for r in rings if signed_area(r) < 0]
    polys = [[s] for s in sorted(shells)]
    for h in holes:
        x, y = h[0]
        # A hole's vertex is never on a shell (no pinches), so the smallest enclosing shell owns it.
        owners = [p for p in polys if point_in_polygon(x, y, p[0])]
        if not owners:
            sys.exit("a hole without a shell")
        min(owners, key=lambda p: signed_area(p[0])).append(h)
    return polys


def coord(v, origin):
    u = origin + v * STEP
    return float(f"{u // UNIT}.{u % UNIT:04d}")


def geojson_rings(polys):
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            pts = [[coord(x, LON0), coord(y, LAT0)] for x, y in ring]
            rings.append(pts + [pts[0]])
        out.append(rings)
    return out


def feature(code, name, name_en, level, parent, cells):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "name_en": name_en, "level": level, "parent": parent},
        "geometry": {"type": "MultiPolygon", "coordinates": geojson_rings(polygons(cells))},
    }


def build(city):
    feats = [feature(CITY[0], CITY[1], CITY[2], "city", None, city.cells(lambda w: True))]
    for d, (code, name, name_en, _, _) in enumerate(DISTRICTS):
        cells = city.cells(lambda w: city.wards[w][0] == d)
        feats.append(feature(f"{CITY[0]}-{code}", name, name_en, "district", CITY[0], cells))
    for k, (d, suffix, name, name_en, _, _, _) in enumerate(city.wards):
        dcode = f"{CITY[0]}-{DISTRICTS[d][0]}"
        feats.append(feature(f"{dcode}-{suffix}", name, name_en, "ward", dcode, city.cells(lambda w: w == k)))
    return {"type": "FeatureCollection", "features": feats}


# (code, name_vi, name_en, parent). City-wide units: `areas` stays empty.
DEPARTMENTS = [
    ("DN-UBND", "Ủy ban nhân dân thành phố Đà Nẵng", "Da Nang City People's Committee", None),
    ("DN-1022", "Trung tâm Thông tin dịch vụ công (Tổng đài 1022)", "Public Service Information Centre (1022 hotline)", "DN-UBND"),
    ("DN-SXD", "Sở Xây dựng", "Department of Construction", "DN-UBND"),
    ("DN-STNMT", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment", "DN-UBND"),
    ("DN-SGTVT", "Sở Giao thông vận tải", "Department of Transport", "DN-UBND"),
    ("DN-SNV", "Sở Nội vụ", "Department of Home Affairs", "DN-UBND"),
    ("DN-SYT", "Sở Y tế", "Department of Health", "DN-UBND"),
    ("DN-SDL", "Sở Du lịch", "Department of Tourism", "DN-UBND"),
    ("DN-CA", "Công an thành phố Đà Nẵng", "Da Nang City Police", "DN-UBND"),
    ("DN-CA-CSGT", "Phòng Cảnh sát giao thông", "Traffic Police Division", "DN-CA"),
    ("DN-URENCO", "Công ty Môi trường đô thị Đà Nẵng (URENCO)", "Da Nang Urban Environment Company (URENCO)", "DN-UBND"),
    ("DN-CVCX", "Công ty Công viên cây xanh Đà Nẵng", "Da Nang Parks and Trees Company", "DN-SXD"),
    ("DN-DAWACO", "Công ty Cấp nước Đà Nẵng (DAWACO)", "Da Nang Water Supply Company (DAWACO)", "DN-UBND"),
]

# Categories a city department settles wherever they happen.
CATEGORY_UNITS = [
    ("garbage-uncollected", "DN-URENCO"),
    ("beach-litter", "DN-URENCO"),
    ("construction-waste", "DN-URENCO"),
    ("air-pollution", "DN-STNMT"),
    ("water-pollution", "DN-STNMT"),
    ("land-certificate-delay", "DN-STNMT"),
    ("street-light-broken", "DN-SXD"),
    ("pothole", "DN-SXD"),
    ("drain-clogged", "DN-SXD"),
    ("manhole-cover", "DN-SXD"),
    ("construction-site-unsafe", "DN-SXD"),
    ("fallen-tree", "DN-CVCX"),
    ("tree-dangerous", "DN-CVCX"),
    ("water-outage", "DN-DAWACO"),
    ("traffic-sign-damaged", "DN-SGTVT"),
    ("traffic-light-out", "DN-SGTVT"),
    ("illegal-parking", "DN-CA-CSGT"),
    ("traffic-congestion", "DN-CA-CSGT"),
    ("public-disorder", "DN-CA"),
    ("social-evils", "DN-CA"),
    ("admin-procedure-delay", "DN-SNV"),
    ("official-conduct", "DN-SNV"),
    ("food-safety", "DN-SYT"),
    ("tourist-overcharging", "DN-SDL"),
]

# Categories each district's committee settles itself (building order, land).
DISTRICT_CATEGORIES = ["illegal-construction", "land-dispute", "public-land-encroachment"]


def is_rural(district_code):
    return district_code == "HV"


def build_units():
    units = [
        {"code": c, "name_vi": vi, "name_en": en, "parent": parent, "kind": "agency", "areas": []}
        for c, vi, en, parent in DEPARTMENTS
    ]
    for dcode, name, name_en, _, wards in DISTRICTS:
        area = f"{CITY[0]}-{dcode}"
        kind_vi, kind_en = ("huyện", "District") if is_rural(dcode) else ("quận", "District")
        units.append(
            {
                "code": f"{area}-UBND",
                "name_vi": f"UBND {kind_vi} {name}",
                "name_en": f"{name_en} {kind_en} People's Committee",
                "parent": "DN-UBND",
                "kind": "agency",
                "areas": [area],
            }
        )
        for suffix, wname, wname_en, *_ in wards:
            ward_vi, ward_en = ("xã", "Commune") if is_rural(dcode) else ("phường", "Ward")
            units.append(
                {
                    "code": f"{area}-{suffix}-UBND",
                    "name_vi": f"UBND {ward_vi} {wname}",
                    "name_en": f"{wname_en} {ward_en} People's Committee",
                    "parent": f"{area}-UBND",
                    "kind": "station",
                    "areas": [f"{area}-{suffix}"],
                }
            )
    return units


def build_routing():
    rules = [{"category": c, "area": None, "unit": u} for c, u in CATEGORY_UNITS]
    for dcode, _, _, _, wards in DISTRICTS:
        area = f"{CITY[0]}-{dcode}"
        rules.append({"category": None, "area": area, "unit": f"{area}-UBND"})
        rules += [{"category": c, "area": area, "unit": f"{area}-UBND"} for c in DISTRICT_CATEGORIES]
        rules += [{"category": None, "area": f"{area}-{w[0]}", "unit": f"{area}-{w[0]}-UBND"} for w in wards]
    # Rural communes have no URENCO round: the district collects, the city takes over in town.
    rules.append({"category": "garbage-uncollected", "area": "DN-HV", "unit": "DN-HV-UBND"})
    rules.append({"category": None, "area": None, "unit": "DN-1022"})
    return rules


def write_json_lines(items, path):
    """A JSON array, one item per line."""
    lines = [json.dumps(x, ensure_ascii=False, separators=(", ", ": ")) for x in items]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[\n  " + ",\n  ".join(lines) + "\n]\n")


def write_geojson(fc, path):
    """One feature per line: small, yet diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","features":[\n')
        fh.write(",\n".join(lines))
        fh.write("\n]}\n")


def write_preview(city, path, scale=4):
    """A PNG of the wards (sea in blue, district borders dark) for eyeballing."""
    palette = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (204, 121, 167), (213, 94, 0), (120, 120, 220), (170, 200, 120)]
    w, h = NX * scale, NY * scale
    rows = []
    for y in range(h):
        j = NY - 1 - y // scale
        row = bytearray([0])
        for x in range(w):
            i = x // scale
            k = city.ward[i][j]
            if k == SEA:
                px = (40, 70, 140)
            else:
                d = city.wards[k][0]
                base = palette[d % len(palette)]
                shade = 0.75 + 0.25 * ((k * 7) % 5) / 4
                px = tuple(int(c * shade) for c in base)
                edge_x = x % scale == 0 and i > 0 and city.district(i - 1, j) != d
                edge_y = y % scale == 0 and j < NY - 1 and city.district(i, j + 1) != d
                if edge_x or edge_y:
                    px = (30, 30, 30)
            row += bytes(px)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as fh:
        fh.write(png)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.normpath(os.path.join(here, "..", "danang")))
    parser.add_argument("--preview", help="also write a PNG map of the wards here")
    args = parser.parse_args()
    city = City()
    city.rasterise()
    city.clean()
    city.check()
    fc = build(city)
    write_geojson(fc, os.path.join(args.dir, "areas.geojson"))
    write_json_lines(build_units(), os.path.join(args.dir, "units.json"))
    write_json_lines(build_routing(), os.path.join(args.dir, "routing.json"))
    if args.preview:
        write_preview(city, args.preview)
    counts = {}
    for f in fc["features"]:
        counts[f["properties"]["level"]] = counts.get(f["properties"]["level"], 0) + 1
    print(f"wrote {args.dir}: areas {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
