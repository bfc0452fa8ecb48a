#!/usr/bin/env python3
"""Generates the demo planning layer (geodata/danang/planning.geojson): a plausible zonal plan of
central Đà Nẵng (Hải Châu, Thanh Khê, Sơn Trà, Ngũ Hành Sơn) with a few hundred land-use zones.

Python 3 standard library only; deterministic (same input, same bytes). The districts come from
gen_danang.py (same grid, same clean-up), so the plan covers exactly their land.

How it works
------------
1. The four districts' land is cut into fine cells of ``FINE`` (0.0005°, about 55 m), five by
   five per cell of the areas grid.
2. Cells are painted in order, each layer only on cells still free: the Hàn and Cổ Cò rivers
   (water; the bridges cross them as transport), the main roads (transport, named), named places
   (the airport, ports and station; parks, the Marble Mountains; the administrative centre,
   hospitals, universities; markets and malls; defence land on the peninsula), the beaches east
   of the coast road (green), and the Sơn Trà forest (green).
3. What is left is cut into blocks by a ``TILE`` grid (0.005°, about 550 m) within each district;
   each block is one zone. Its land use follows where it is: commercial along the river front and
   between the coast road and Ngô Quyền, mixed use next to main roads, a few schools and clinics
   (public) and pocket parks (green) by a fixed pseudo-random draw, housing elsewhere. Limits
   (height, density, floor-area ratio) depend on the land use and on the distance to the centre.
4. Slivers join the block they touch most; zones touching themselves only at a corner are mended
   (as gen_danang.py does), so every traced ring is simple. Zones are traced along grid lines;
   coordinates are exact decimals, so neighbours share identical borders.

Decision numbers and dates are invented but shaped like real ones (1287/QĐ-UBND): one per
district's zonal plan and one amendment (điều chỉnh cục bộ) for some zones.

Usage: ``python3 geodata/tools/gen_planning.py [--out FILE] [--preview PNG]``
"""

import argparse
import json
import math
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_danang as dn  # noqa: E402

FINE = 5  # grid units (1e-4 degree): 0.0005°
PER = dn.STEP // FINE  # fine cells per areas cell, each way
TILE = 10  # fine cells per block side (0.005°)
DISTRICTS = ["HC", "TK", "ST", "NHS"]
CENTRE = (108.2230, 16.0680)  # Chợ Hàn, the heart of the city
KM_LON, KM_LAT = 111.32 * dn.KM_PER_DEG_LON, 110.57

LAYER = {
    "code": "DN-QHPK-TT",
    "name": "Quy hoạch phân khu khu vực trung tâm thành phố Đà Nẵng",
    "name_en": "Zoning plan of central Da Nang",
    "decision_number": "1287/QĐ-UBND",
    "decision_date": "2023-04-14",
}
DECISIONS = {
    "HC": ("1287/QĐ-UBND", "2023-04-14"),
    "TK": ("2356/QĐ-UBND", "2023-07-21"),
    "ST": ("3148/QĐ-UBND", "2023-09-08"),
    "NHS": ("4012/QĐ-UBND", "2023-11-24"),
}
AMENDMENT = ("1625/QĐ-UBND", "2024-06-18")

USE_SYMBOL = {
    "residential": "ODT",
    "commercial": "TMDV",
    "mixed": "HH",
    "green_space": "CX",
    "public_facility": "CC",
    "transport": "GT",
    "water": "MN",
    "other": "K",
}

# The Hàn river (from gen_danang) and the Cổ Cò river, with half-widths in degrees.
RIVERS = [
    ("Sông Hàn", dn.HAN_RIVER, 0.0012),
    ("Sông Cổ Cò", [(108.2300, 16.0300), (108.2350, 16.0150), (108.2410, 16.0000), (108.2470, 15.9850), (108.2530, 15.9700)], 0.0005),
]

# The coast road of Sơn Trà and Ngũ Hành Sơn: the beaches lie east of it.
COAST_ROAD = [(108.2465, 16.0800), (108.2445, 16.0600), (108.2485, 16.0400), (108.2555, 16.0200), (108.2670, 16.0000), (108.2750, 15.9800), (108.2820, 15.9600)]

# (name, points, half-width in degrees). Bridges are roads across the river.
ROADS = [
    ("Đường Bạch Đằng", [(108.2215, 16.0930), (108.2237, 16.0800), (108.2252, 16.0700), (108.2257, 16.0625)], 0.0004),
    ("Đường 2 Tháng 9", [(108.2257, 16.0600), (108.2262, 16.0500), (108.2272, 16.0400), (108.2280, 16.0310)], 0.0004),
    ("Đường Trần Hưng Đạo", [(108.2283, 16.0850), (108.2290, 16.0700), (108.2294, 16.0620), (108.2298, 16.0500), (108.2308, 16.0400)], 0.0004),
    ("Đường Lê Duẩn", [(108.2240, 16.0718), (108.2100, 16.0712)], 0.0004),
    ("Đường Điện Biên Phủ", [(108.2100, 16.0712), (108.1950, 16.0670), (108.1720, 16.0630)], 0.0004),
    ("Đường Hùng Vương", [(108.2240, 16.0678), (108.2110, 16.0680)], 0.0003),
    ("Đường Nguyễn Văn Linh", [(108.2245, 16.0612), (108.2060, 16.0600)], 0.0004),
    ("Đường Duy Tân", [(108.2262, 16.0495), (108.2080, 16.0495)], 0.0003),
    ("Đường Núi Thành", [(108.2200, 16.0590), (108.2195, 16.0300)], 0.0003),
    ("Đường Nguyễn Hữu Thọ", [(108.2115, 16.0570), (108.2125, 16.0250)], 0.0004),
    ("Đường Nguyễn Tri Phương", [(108.2075, 16.0705), (108.2070, 16.0610)], 0.0003),
    ("Đường Ông Ích Khiêm", [(108.2140, 16.0820), (108.2145, 16.0560)], 0.0003),
    ("Đường Nguyễn Tất Thành", [(108.2160, 16.0860), (108.2100, 16.0812), (108.2040, 16.0778), (108.1900, 16.0762), (108.1720, 16.0788)], 0.0004),
    ("Đường Hà Huy Tập", [(108.1850, 16.0760), (108.1830, 16.0560)], 0.0003),
    ("Đường Phạm Văn Đồng", [(108.2285, 16.0715), (108.2465, 16.0712)], 0.0004),
    ("Đường Võ Văn Kiệt", [(108.2290, 16.0612), (108.2450, 16.0600)], 0.0004),
    ("Đường Nguyễn Văn Thoại", [(108.2300, 16.0535), (108.2460, 16.0525)], 0.0003),
    ("Đường Ngô Quyền", [(108.2320, 16.1000), (108.2322, 16.0700), (108.2326, 16.0450)], 0.0004),
    ("Đường Lê Văn Hiến", [(108.2326, 16.0450), (108.2400, 16.0300), (108.2500, 16.0100), (108.2580, 15.9950), (108.2650, 15.9780)], 0.0004),
    ("Đường Võ Nguyên Giáp", COAST_ROAD, 0.0004),
    ("Đường Trần Đại Nghĩa", [(108.2470, 16.0080), (108.2440, 15.9800), (108.2400, 15.9600)], 0.0004),
    ("Đường Mai Đăng Chơn", [(108.2260, 15.9900), (108.2445, 15.9880), (108.2700, 15.9860)], 0.0003),
    ("Đường Hoàng Sa", [(108.2320, 16.1000), (108.2420, 16.1030), (108.2560, 16.1000)], 0.0004),
    ("Cầu Thuận Phước", [(108.2185, 16.0915), (108.2290, 16.0905)], 0.0003),
    ("Cầu sông Hàn", [(108.2230, 16.0718), (108.2295, 16.0716)], 0.0003),
    ("Cầu Rồng", [(108.2245, 16.0612), (108.2300, 16.0612)], 0.0004),
    ("Cầu Trần Thị Lý", [(108.2250, 16.0480), (108.2320, 16.0480)], 0.0003),
    ("Cầu Tiên Sơn", [(108.2260, 16.0360), (108.2330, 16.0360)], 0.0003),
]

# (name, land use, (west, south, east, north)).
PLACES = [
    ("Sân bay quốc tế Đà Nẵng", "transport", (108.1930, 16.0400, 108.2055, 16.0605)),
    ("Cảng Tiên Sa", "transport", (108.2200, 16.1150, 108.2330, 16.1280)),
    ("Cảng cá Thọ Quang", "transport", (108.2300, 16.1020, 108.2380, 16.1100)),
    ("Ga Đà Nẵng", "transport", (108.2075, 16.0715, 108.2115, 16.0745)),
    ("Công viên 29/3", "green_space", (108.2010, 16.0630, 108.2075, 16.0690)),
    ("Công viên Châu Á (Asia Park)", "green_space", (108.2225, 16.0370, 108.2268, 16.0425)),
    ("Công viên APEC", "green_space", (108.2225, 16.0545, 108.2252, 16.0580)),
    ("Danh thắng Ngũ Hành Sơn", "green_space", (108.2595, 15.9990, 108.2685, 16.0085)),
    ("Trung tâm Hành chính thành phố", "public_facility", (108.2205, 16.0760, 108.2235, 16.0790)),
    ("Bệnh viện Đà Nẵng", "public_facility", (108.2150, 16.0715, 108.2180, 16.0740)),
    ("Bảo tàng Điêu khắc Chăm", "public_facility", (108.2220, 16.0595, 108.2250, 16.0612)),
    ("Trường Đại học Kinh tế – Đại học Đà Nẵng", "public_facility", (108.2400, 16.0455, 108.2445, 16.0495)),
    ("Cung Thể thao Tiên Sơn", "public_facility", (108.2200, 16.0330, 108.2245, 16.0365)),
    ("Bệnh viện C Đà Nẵng", "public_facility", (108.2095, 16.0740, 108.2125, 16.0765)),
    ("Chợ Hàn", "commercial", (108.2230, 16.0672, 108.2250, 16.0690)),
    ("Chợ Cồn", "commercial", (108.2130, 16.0665, 108.2155, 16.0690)),
    ("Trung tâm thương mại Vincom", "commercial", (108.2300, 16.0705, 108.2318, 16.0730)),
    ("Khu phức hợp ven sông Hàn", "mixed", (108.2305, 16.0625, 108.2330, 16.0690)),
    ("Đất quốc phòng, an ninh", "other", (108.3000, 16.1150, 108.3200, 16.1330)),
]

# Beach names by latitude (north first): the strip east of the coast road.
BEACHES = [
    (16.0700, "Bãi biển Phạm Văn Đồng"),
    (16.0500, "Bãi biển Mỹ Khê"),
    (16.0300, "Bãi biển Bắc Mỹ An"),
    (16.0100, "Bãi biển Sơn Thủy"),
    (-90.0, "Bãi biển Non Nước"),
]
SONTRA_FOREST = "Khu bảo tồn thiên nhiên bán đảo Sơn Trà"


def lon_of(fi):
    return (dn.LON0 + fi * FINE) / dn.UNIT


def lat_of(fj):
    return (dn.LAT0 + fj * FINE) / dn.UNIT


def centre(fi, fj):
    return lon_of(fi + 0.5), lat_of(fj + 0.5)


def cell_at(lon, lat):
    return int((lon * dn.UNIT - dn.LON0) // FINE), int((lat * dn.UNIT - dn.LAT0) // FINE)


def km(a, b):
    return math.hypot((a[0] - b[0]) * KM_LON, (a[1] - b[1]) * KM_LAT)


def seg_dist(p, a, b):
    """Distance in degrees (lon scaled like lat) from p to segment ab."""
    sx = dn.KM_PER_DEG_LON
    px, py, ax, ay, bx, by = p[0] * sx, p[1], a[0] * sx, a[1], b[0] * sx, b[1]
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def interp_lon(line, lat):
    """The lon of a north-south polyline at `lat` (clamped to its ends)."""
    pts = sorted(line, key=lambda p: p[1])
    if lat <= pts[0][1]:
        return pts[0][0]
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        if y1 <= lat <= y2:
            return x1 + (x2 - x1) * (lat - y1) / (y2 - y1)
    return pts[-1][0]


def rng(*key):
    """A fixed pseudo-random number in [0, 1) for `key`."""
    h = zlib.crc32(repr(key).encode())
    return (h * 2654435761 % 2**32) / 2**32


class Plan:
    def __init__(self, city):
        self.city = city
        self.district = {}  # fine cell → district code (land of the four districts only)
        for i in range(dn.NX):
            for j in range(dn.NY):
                d = city.district(i, j)
                if d == dn.SEA or dn.DISTRICTS[d][0] not in DISTRICTS:
                    continue
                for a in range(PER):
                    for b in range(PER):
                        self.district[(i * PER + a, j * PER + b)] = dn.DISTRICTS[d][0]
        self.use = {}  # fine cell → (land use, name or None, group key)

    def paint(self, cell, use, name, group):
        if cell in self.district and cell not in self.use:
            self.use[cell] = (use, name, group)

    def stamp_line(self, points, half_width, use, name, group):
        r = int(half_width * dn.UNIT / FINE) + 2
        for a, b in zip(points, points[1:]):
            steps = max(1, int(max(abs(b[0] - a[0]), abs(b[1] - a[1])) * dn.UNIT / FINE * 3))
            for k in range(steps + 1):
                x, y = a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps
                ci, cj = cell_at(x, y)
                for fi in range(ci - r, ci + r + 1):
                    for fj in range(cj - r, cj + r + 1):
                        if seg_dist(centre(fi, fj), a, b) <= half_width:
                            self.paint((fi, fj), use, name, group)

    def paint_box(self, box, use, name):
        w, s, e, n = box
        i0, j0 = cell_at(w, s)
        i1, j1 = cell_at(e, n)
        for fi in range(i0, i1 + 1):
            for fj in range(j0, j1 + 1):
                x, y = centre(fi, fj)
                if w <= x <= e and s <= y <= n:
                    self.paint((fi, fj), use, name, ("place", name))

    def paint_all(self):
        for name, line, hw in RIVERS:
            self.stamp_line(line, hw, "water", name, ("river", name))
        # Bridges first on the river: they cut it, as they do on the plan.
        for name, line, hw in ROADS:
            if name.startswith("Cầu"):
                for cell in self.cells_near(line, hw):
                    if self.use.get(cell, ("",))[0] == "water":
                        del self.use[cell]
                self.stamp_line(line, hw, "transport", name, ("road", name))
        for name, line, hw in ROADS:
            if not name.startswith("Cầu"):
                self.stamp_line(line, hw, "transport", name, ("road", name))
        for name, use, box in PLACES:
            self.paint_box(box, use, name)
        for cell, d in sorted(self.district.items()):
            if cell in self.use or d not in ("ST", "NHS"):
                continue
            x, y = centre(*cell)
            if y < 16.0850 and x > interp_lon(COAST_ROAD, y):
                name = next(n for lat, n in BEACHES if y >= lat)
                self.use[cell] = ("green_space", name, ("beach", name))
            elif d == "ST" and ((y > 16.1080 and x > 108.2520) or y > 16.1250):
                self.use[cell] = ("green_space", SONTRA_FOREST, ("forest", int((x - 108.20) / 0.025)))

    def cells_near(self, line, hw):
        out = set()
        for a, b in zip(line, line[1:]):
            i0, j0 = cell_at(min(a[0], b[0]) - hw, min(a[1], b[1]) - hw)
            i1, j1 = cell_at(max(a[0], b[0]) + hw, max(a[1], b[1]) + hw)
            for fi in range(i0 - 1, i1 + 2):
                for fj in range(j0 - 1, j1 + 2):
                    if seg_dist(centre(fi, fj), a, b) <= hw:
                        out.add((fi, fj))
        return out

    # --- zones --------------------------------------------------------------------------------

    def label(self):
        """Zone label per cell, `(group, district, anchor)`: painted cells by their group, free
        cells by block; then each connected piece is its own zone (its smallest cell the anchor)."""
        self.zone = {}
        for cell, d in self.district.items():
            group = self.use[cell][2] if cell in self.use else ("block", cell[0] // TILE, cell[1] // TILE)
            self.zone[cell] = (group, d, None)
        self.split_components()
        self.join_slivers()
        for _ in range(50):
            if not self.fix_pinches():
                break
        else:
            sys.exit("pinch mending did not converge")
        self.split_components()

    @staticmethod
    def n4(c):
        i, j = c
        return ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1))

    def components(self):
        """The 4-connected pieces of every label, in a fixed order."""
        by_label = {}
        for cell, z in self.zone.items():
            by_label.setdefault(z, []).append(cell)
        comps = []
        for z in sorted(by_label, key=repr):
            left = set(by_label[z])
            while left:
                start = min(left)
                left.discard(start)
                comp, stack = [start], [start]
                while stack:
                    for n in self.n4(stack.pop()):
                        if n in left:
                            left.discard(n)
                            comp.append(n)
                            stack.append(n)
                comps.append((z, comp))
        return comps

    def split_components(self):
        for z, comp in self.components():
            label = (z[0], z[1], min(comp))
            for c in comp:
                self.zone[c] = label

    @staticmethod
    def is_block(z):
        return z[0][0] == "block"

    def join_slivers(self, smallest=6):
        """Free blocks under `smallest` cells join the free block of their district they touch most."""
        for _ in range(5):
            changed = False
            for z, comp in self.components():
                if len(comp) >= smallest or not self.is_block(z):
                    continue
                cells = set(comp)
                counts = {}
                for c in comp:
                    for n in self.n4(c):
                        w = self.zone.get(n)
                        if n not in cells and w is not None and w != z and self.is_block(w) and w[1] == z[1]:
                            counts[w] = counts.get(w, 0) + 1
                if counts:
                    target = max(sorted(counts, key=repr), key=lambda w: counts[w])
                    for c in comp:
                        self.zone[c] = target
                    changed = True
            if not changed:
                return

    def fix_pinches(self):
        """Where a zone touches itself only at a corner, one of the other two cells joins it."""
        changed = False
        for i, j in sorted(self.zone):
            a, b, c, d = (self.zone.get(x) for x in ((i, j), (i + 1, j), (i, j + 1), (i + 1, j + 1)))
            if a is not None and a == d and b != a and c != a:
                self.take((i + 1, j) if b is not None else (i, j + 1), a)
                changed = True
            elif b is not None and b == c and a != b and d != b:
                self.take((i, j) if a is not None else (i + 1, j + 1), b)
                changed = True
        return changed

    def take(self, cell, z):
        self.district.setdefault(cell, z[1])
        self.zone[cell] = z
        if cell in self.use and not self.is_block(z):
            self.use[cell] = self.use[self.anchor_use(z)]
        elif self.is_block(z):
            self.use.pop(cell, None)

    def anchor_use(self, z):
        return z[2] if z[2] in self.use else next(c for c, w in self.zone.items() if w == z and c in self.use)


def limits(use, dist_km, r):
    """(max height m, building density %, floor-area ratio) for a zone."""
    near = max(0.0, 1.0 - dist_km / 6.0)  # 1 at Chợ Hàn, 0 from 6 km out
    step = lambda x, s: round(round(x / s) * s, 2)  # noqa: E731
    if use == "residential":
        floors = 4 + round(3 * near + 2 * r)
        return float(round(floors * 3.6)), step(60 + 20 * r, 5), step(floors * 0.6, 0.1)
    if use == "commercial":
        floors = 12 + round(28 * near + 8 * r)
        return float(round(floors * 3.8)), step(40 + 20 * r, 5), step(5 + 7 * near + 2 * r, 0.5)
    if use == "mixed":
        floors = 9 + round(12 * near + 5 * r)
        return float(round(floors * 3.8)), step(50 + 20 * r, 5), step(3.5 + 4 * near + r, 0.5)
    if use == "public_facility":
        floors = 3 + round(4 * r)
        return float(floors * 4), step(30 + 10 * r, 5), step(0.8 + 1.2 * r, 0.1)
    if use == "green_space":
        return 6.0, 5.0, 0.05
    return None, None, None


def block_use(d, lon, lat, cells, plan):
    """The land use of a free block from where it is."""
    r = rng(d, round(lon, 4), round(lat, 4))
    river = interp_lon(dn.HAN_RIVER, lat)
    if d == "HC" and 16.0560 <= lat <= 16.0880 and river - 0.0060 <= lon < river:
        return "commercial"
    if d in ("ST", "NHS") and lat < 16.0800 and lon > interp_lon(COAST_ROAD, lat) - 0.0045:
        return "commercial"
    near_road = any(
        plan.use.get(n, ("",))[0] == "transport" and plan.use[n][1] and plan.use[n][1].startswith("Đường")
        for c in cells
        for n in Plan.n4(c)
    )
    if r < 0.09:
        return "public_facility"
    if r < 0.15:
        return "green_space"
    if near_road and r < 0.55:
        return "mixed"
    return "residential"


def build(plan):
    plan.zone_use = {}
    zones = {}
    for cell, z in plan.zone.items():
        zones.setdefault(z, []).append(cell)
    # Name and number the zones: by district and symbol, north to south, west to east.
    entries = []
    for z, cells in zones.items():
        d = z[1]
        painted = None if Plan.is_block(z) else plan.use.get(min(cells))
        x = sum(centre(*c)[0] for c in cells) / len(cells)
        y = sum(centre(*c)[1] for c in cells) / len(cells)
        if painted is None:
            use, name = block_use(d, x, y, cells, plan), None
        else:
            use, name = painted[0], painted[1]
        plan.zone_use[z] = use
        entries.append((d, use, name, x, y, cells))
    entries.sort(key=lambda e: (DISTRICTS.index(e[0]), USE_SYMBOL[e[1]], -round(e[4], 4), round(e[3], 4)))
    counters, feats = {}, []
    for d, use, name, x, y, cells in entries:
        sym = USE_SYMBOL[use]
        counters[(d, sym)] = counters.get((d, sym), 0) + 1
        code = f"{d}-{sym}-{counters[(d, sym)]:03d}"
        r = rng(code)
        height, density, far = limits(use, km((x, y), CENTRE), r)
        number, date = AMENDMENT if rng("amend", code) < 0.06 else DECISIONS[d]
        props = {"code": code, "name": name, "land_use": use, "max_height_m": height,
                 "building_density_pct": density, "far": far, "decision_number": number, "decision_date": date}
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "MultiPolygon", "coordinates": rings(cells)}})
    return {"type": "FeatureCollection", "layer": LAYER, "features": feats}


def rings(cells):
    polys = dn.polygons(set(cells))
    out = []
    for poly in polys:
        rs = []
        for ring in poly:
            pts = [[coord(x, dn.LON0), coord(y, dn.LAT0)] for x, y in ring]
            rs.append(pts + [pts[0]])
        out.append(rs)
    return out


def coord(v, origin):
    u = origin + v * FINE
    return float(f"{u // dn.UNIT}.{u % dn.UNIT:04d}")


def write(fc, path):
    """One feature per line, the layer first."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection",\n"layer":' + json.dumps(fc["layer"], ensure_ascii=False) + ',\n"features":[\n')
        fh.write(",\n".join(lines))
        fh.write("\n]}\n")


COLOURS = {"residential": (246, 212, 92), "commercial": (232, 105, 138), "mixed": (227, 155, 79),
           "green_space": (108, 191, 91), "public_facility": (200, 66, 59), "transport": (184, 184, 184),
           "water": (111, 183, 224), "other": (180, 154, 214)}


def preview(plan, path, scale=2):
    """A PNG of the zones in their legend colours, borders darker, sea blue."""
    xs = [c[0] for c in plan.zone]
    ys = [c[1] for c in plan.zone]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = (x1 - x0 + 1) * scale, (y1 - y0 + 1) * scale
    rows = []
    for yy in range(h):
        j = y1 - yy // scale
        row = bytearray([0])
        for xx in range(w):
            i = x0 + xx // scale
            z = plan.zone.get((i, j))
            if z is None:
                px = (40, 70, 140)
            else:
                px = COLOURS[plan.zone_use[z]]
                edge = (xx % scale == 0 and plan.zone.get((i - 1, j)) != z) or (
                    yy % scale == 0 and plan.zone.get((i, j + 1)) != z
                )
                if edge:
                    px = tuple(int(v * 0.6) for v in px)
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
    parser.add_argument("--out", default=os.path.normpath(os.path.join(here, "..", "danang", "planning.geojson")))
    parser.add_argument("--preview", help="also write a PNG map of the zones here")
    args = parser.parse_args()
    city = dn.City()
    city.rasterise()
    city.clean()
    plan = Plan(city)
    plan.paint_all()
    plan.label()
    fc = build(plan)
    write(fc, args.out)
    counts = {}
    for f in fc["features"]:
        counts[f["properties"]["land_use"]] = counts.get(f["properties"]["land_use"], 0) + 1
    print(f"wrote {args.out}: {len(fc['features'])} zones {counts}", file=sys.stderr)
    if args.preview:
        preview(plan, args.preview)


if __name__ == "__main__":
    main()
