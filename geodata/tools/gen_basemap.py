#!/usr/bin/env python3
"""Generates the demo city's basemap: water (geodata/danang/water.geojson: the sea and the
rivers) and main roads (geodata/danang/roads.geojson), for the `basemap` vector-tile source.

Python 3 standard library only; deterministic (same input, same bytes). It builds on
gen_danang.py (same directory): the same land raster, so the sea meets the city's areas along
the very same grid lines.

How it works
------------
1. The land raster of gen_danang.py is built again. A cell that is not land and whose centre
   lies in ``SEA_SIDE`` is sea (the rest of the non-land cells are Quảng Nam and Huế, which are
   land outside the city). The sea cells are traced into rings exactly like the areas; beyond
   the raster's box, ``OUTER_SEA`` polygons continue the sea so it does not stop at the grid.
2. Rivers (``RIVERS``) are centre lines widened into polygons of a given width in metres.
3. Roads (``ROADS``) are centre lines with Vietnamese and English names, a kind (``primary``,
   ``secondary``, ``bridge``) and the zoom from which they are drawn. Every vertex of a road that
   is not a bridge must be on the city's land: the generator refuses to write one at sea.

Properties: water ``kind`` (``sea``/``river``), ``name``, ``name_en``; roads ``kind``, ``name``,
``name_en``, ``min_zoom``. Coordinates are WGS84 lon/lat, rounded to 1e-5 degree (about a metre).

Usage: ``python3 geodata/tools/gen_basemap.py [--dir DIR]``
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_danang as city_gen  # noqa: E402  (the sibling generator)

# Where non-land cells of the raster are sea rather than neighbouring land (lon, lat).
SEA_SIDE = [
    (108.130, 16.240),
    (108.360, 16.240),
    (108.360, 15.900),
    (108.315, 15.900),
    (108.286, 15.962),  # where the coast leaves the city, into Quảng Nam
    (108.200, 16.050),  # inland: city cells are land whatever this polygon says
    (108.130, 16.205),  # the Hải Vân pass, the border with Huế
]

# The sea beyond the raster's box (east of 108.36°E, north of 16.24°N, the Quảng Nam coast).
OUTER_SEA = [
    [(108.360, 16.240), (108.360, 16.600), (108.130, 16.600), (108.130, 16.240)],
    [(108.360, 15.900), (108.360, 16.600), (109.200, 16.600), (109.200, 15.500), (108.550, 15.500), (108.400, 15.800), (108.360, 15.860)],
    [(108.315, 15.900), (108.360, 15.860), (108.360, 15.900)],
]

# (name, name_en, width in metres, centre line from the mouth upstream).
RIVERS = [
    (
        "Sông Hàn",
        "Han River",
        260,
        [(108.2235, 16.1010)] + city_gen.HAN_RIVER,
    ),
    (
        "Sông Cẩm Lệ",
        "Cam Le River",
        180,
        [(108.2300, 16.0300), (108.2240, 16.0200), (108.2150, 16.0150), (108.1950, 16.0080), (108.1700, 16.0010), (108.1400, 15.9960)],
    ),
    (
        "Sông Cu Đê",
        "Cu De River",
        120,
        [(108.1265, 16.1255), (108.1150, 16.1250), (108.0900, 16.1200), (108.0600, 16.1100), (108.0300, 16.1150)],
    ),
]

# (name, name_en, kind, min_zoom, centre line).
ROADS = [
    ("Đường Nguyễn Tất Thành", "Nguyen Tat Thanh Street", "primary", 0,
     [(108.2150, 16.0835), (108.2050, 16.0775), (108.1900, 16.0755), (108.1700, 16.0780), (108.1560, 16.0855), (108.1420, 16.1010), (108.1300, 16.1180)]),
    ("Đường Lê Duẩn", "Le Duan Street", "primary", 0, [(108.2240, 16.0715), (108.2150, 16.0702), (108.2100, 16.0693)]),
    ("Đường Điện Biên Phủ", "Dien Bien Phu Street", "primary", 0, [(108.2100, 16.0693), (108.1950, 16.0665), (108.1790, 16.0637), (108.1735, 16.0628)]),
    ("Đường Tôn Đức Thắng", "Ton Duc Thang Street", "primary", 0,
     [(108.1735, 16.0628), (108.1600, 16.0680), (108.1500, 16.0760), (108.1420, 16.0860), (108.1350, 16.0990), (108.1280, 16.1100)]),
    ("Quốc lộ 1A (đèo Hải Vân)", "National Route 1A (Hai Van Pass)", "primary", 0,
     [(108.1280, 16.1100), (108.1220, 16.1300), (108.1180, 16.1550), (108.1230, 16.1800), (108.1262, 16.1963)]),
    ("Đường Nguyễn Văn Linh", "Nguyen Van Linh Street", "primary", 0, [(108.2255, 16.0611), (108.2120, 16.0605), (108.2000, 16.0590)]),
    ("Cầu Rồng", "Dragon Bridge", "bridge", 0, [(108.2255, 16.0611), (108.2290, 16.0613)]),
    ("Đường Võ Văn Kiệt", "Vo Van Kiet Street", "primary", 0, [(108.2290, 16.0613), (108.2380, 16.0612), (108.2455, 16.0610)]),
    ("Cầu sông Hàn", "Han River Bridge", "bridge", 0, [(108.2240, 16.0715), (108.2290, 16.0722)]),
    ("Đường Phạm Văn Đồng", "Pham Van Dong Street", "primary", 0, [(108.2290, 16.0722), (108.2380, 16.0718), (108.2470, 16.0715)]),
    ("Cầu Thuận Phước", "Thuan Phuoc Bridge", "bridge", 0, [(108.2150, 16.0835), (108.2195, 16.0890), (108.2300, 16.0935)]),
    ("Cầu Trần Thị Lý", "Tran Thi Ly Bridge", "bridge", 0, [(108.2262, 16.0480), (108.2320, 16.0482)]),
    ("Đường Võ Nguyên Giáp", "Vo Nguyen Giap Street", "primary", 0,
     [(108.2480, 16.0780), (108.2455, 16.0600), (108.2490, 16.0400)]),
    ("Đường Trường Sa", "Truong Sa Street", "primary", 0, [(108.2490, 16.0400), (108.2560, 16.0200), (108.2680, 16.0000), (108.2760, 15.9800)]),
    ("Đường Trường Chinh", "Truong Chinh Street", "primary", 0, [(108.1735, 16.0628), (108.1780, 16.0450), (108.1850, 16.0250)]),
    ("Quốc lộ 1A", "National Route 1A", "primary", 0, [(108.1850, 16.0250), (108.1900, 16.0000), (108.1950, 15.9600)]),
    ("Quốc lộ 14B", "National Route 14B", "primary", 0, [(108.1850, 16.0250), (108.1500, 16.0150), (108.1200, 16.0050), (108.0700, 15.9950)]),
    ("Đường Bạch Đằng", "Bach Dang Street", "secondary", 12,
     [(108.2230, 16.0850), (108.2238, 16.0760), (108.2250, 16.0680), (108.2258, 16.0600), (108.2262, 16.0520)]),
    ("Đường 2 Tháng 9", "2 September Street", "secondary", 12, [(108.2262, 16.0520), (108.2265, 16.0400), (108.2272, 16.0320)]),
    ("Đường Trần Phú", "Tran Phu Street", "secondary", 12, [(108.2215, 16.0800), (108.2225, 16.0680), (108.2235, 16.0580)]),
    ("Đường Hùng Vương", "Hung Vuong Street", "secondary", 12, [(108.2245, 16.0677), (108.2160, 16.0675), (108.2100, 16.0670)]),
    ("Đường Ngô Quyền", "Ngo Quyen Street", "secondary", 12,
     [(108.2330, 16.0950), (108.2320, 16.0800), (108.2320, 16.0650), (108.2340, 16.0500), (108.2370, 16.0400)]),
    ("Đường Hoàng Sa", "Hoang Sa Street", "secondary", 12, [(108.2480, 16.0780), (108.2560, 16.0870), (108.2690, 16.0950), (108.2780, 16.0975)]),
    ("Đường Lê Văn Hiến", "Le Van Hien Street", "secondary", 12, [(108.2370, 16.0400), (108.2450, 16.0200), (108.2560, 16.0050), (108.2650, 15.9850)]),
]


def rounded(pts):
    return [[round(x, 5), round(y, 5)] for x, y in pts]


def ring_ccw(pts):
    """Closed and counter-clockwise (RFC 7946 exteriors)."""
    area = sum(pts[k - 1][0] * pts[k][1] - pts[k][0] * pts[k - 1][1] for k in range(len(pts)))
    pts = pts if area > 0 else list(reversed(pts))
    return pts + [pts[0]]


def widen(line, width_m):
    """A polygon of `width_m` around a centre line: each vertex moved half the width both ways
    along the mean normal of its segments (lon scaled by cos(latitude))."""
    half_lat = width_m / 2 / 111_320
    left, right = [], []
    for k, (x, y) in enumerate(line):
        kx = math.cos(math.radians(y))
        a = line[max(k - 1, 0)]
        b = line[min(k + 1, len(line) - 1)]
        dx, dy = (b[0] - a[0]) * kx, b[1] - a[1]
        n = math.hypot(dx, dy)
        nx, ny = -dy / n, dx / n
        left.append((x + nx * half_lat / kx, y + ny * half_lat))
        right.append((x - nx * half_lat / kx, y - ny * half_lat))
    return left + list(reversed(right))


def sea_polygons(city):
    sea = set()
    for i in range(city_gen.NX):
        for j in range(city_gen.NY):
            if city.ward[i][j] == city_gen.SEA and city_gen.point_in_polygon(*city_gen.cell_center(i, j), SEA_SIDE):
                sea.add((i, j))
    polys = city_gen.geojson_rings(city_gen.polygons(sea))
    polys += [[rounded(ring_ccw(list(p)))] for p in OUTER_SEA]
    return polys


def check_roads(city):
    wrong = []
    for name, _, kind, _, line in ROADS:
        if kind == "bridge":
            continue
        for lon, lat in line:
            i, j = city_gen.cell_of(lon, lat)
            inside_grid = 0 <= i < city_gen.NX and 0 <= j < city_gen.NY
            if inside_grid and city.ward[i][j] == city_gen.SEA:
                wrong.append(f"{name}: ({lon}, {lat}) is at sea")
    if wrong:
        sys.exit("\n".join(wrong))


def build_water(city):
    features = [{
        "type": "Feature",
        "properties": {"kind": "sea", "name": "Biển Đông", "name_en": "East Sea"},
        "geometry": {"type": "MultiPolygon", "coordinates": sea_polygons(city)},
    }]
    for name, name_en, width, line in RIVERS:
        features.append({
            "type": "Feature",
            "properties": {"kind": "river", "name": name, "name_en": name_en},
            "geometry": {"type": "Polygon", "coordinates": [rounded(ring_ccw(widen(line, width)))]},
        })
    return {"type": "FeatureCollection", "features": features}


def build_roads():
    features = []
    for name, name_en, kind, min_zoom, line in ROADS:
        features.append({
            "type": "Feature",
            "properties": {"kind": kind, "name": name, "name_en": name_en, "min_zoom": min_zoom},
            "geometry": {"type": "LineString", "coordinates": rounded(line)},
        })
    return {"type": "FeatureCollection", "features": features}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=os.path.normpath(os.path.join(here, "..", "danang")))
    args = parser.parse_args()
    city = city_gen.City()
    city.rasterise()
    city.clean()
    check_roads(city)
    water = build_water(city)
    roads = build_roads()
    city_gen.write_geojson(water, os.path.join(args.dir, "water.geojson"))
    city_gen.write_geojson(roads, os.path.join(args.dir, "roads.geojson"))
    print(f"wrote {args.dir}: water {len(water['features'])}, roads {len(roads['features'])}", file=sys.stderr)


if __name__ == "__main__":
    main()
