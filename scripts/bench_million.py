"""Timing for `make bench-million` (scripts/bench-million.sh): the same questions through HTTP
and as SQL on PostGIS and SQLite, and the report.

    bench_million.py http HOST:PORT RUNS       # as the demo operator, one keep-alive connection
    bench_million.py postgis URL RUNS          # psql, \\timing, one connection
    bench_million.py sqlite FILE RUNS          # Python's sqlite3
    bench_million.py report DIR [STORE…]       # the table (both stores unless named)

Each question is run 3 times untimed, then RUNS times; p50 and p90 in milliseconds.
"""

import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

# A 10 km box around the centre of Đà Nẵng, and a point in Hải Châu.
BOX = (108.153, 16.005, 108.247, 16.095)
POINT = (108.2208, 16.0678)
OPEN = "('received','assigned','accepted','in_progress','returned')"
COLS = ("id, code, channel, category, description, lon, lat, address, area, priority, status, unit, "
        "received_at, deadline, resolved_at, closed_at, updated_at, result, rating, duplicate_of, version")

# name → (HTTP path, PostGIS SQL, SQLite SQL). The SQL asks what the HTTP answer holds: the same
# rows (the page of 50, newest first) or the same figures.
QUERIES = {
    "newest 50 in a 10 km box": (
        "/api/v1/tickets?bbox={},{},{},{}&limit=50".format(*BOX),
        f"SELECT {COLS} FROM tickets WHERE geom && ST_MakeEnvelope({BOX[0]}, {BOX[1]}, {BOX[2]}, {BOX[3]}, 4326) "
        "ORDER BY received_at DESC, id DESC LIMIT 50",
        f"SELECT {COLS} FROM tickets WHERE lon BETWEEN {BOX[0]} AND {BOX[2]} AND lat BETWEEN {BOX[1]} AND {BOX[3]} "
        "ORDER BY received_at DESC, id DESC LIMIT 50",
    ),
    "area DN-HC + status received, newest 50": (
        "/api/v1/tickets?area=DN-HC&status=received&limit=50",
        f"SELECT {COLS} FROM tickets WHERE area IN (SELECT code FROM areas WHERE valid_to IS NULL AND "
        "(code = 'DN-HC' OR parent = 'DN-HC')) AND status = 'received' ORDER BY received_at DESC, id DESC LIMIT 50",
        f"SELECT {COLS} FROM tickets WHERE area IN (SELECT code FROM areas WHERE valid_to IS NULL AND "
        "(code = 'DN-HC' OR parent = 'DN-HC')) AND status = 'received' ORDER BY received_at DESC, id DESC LIMIT 50",
    ),
    "overdue, newest 50": (
        "/api/v1/tickets?overdue=true&limit=50",
        f"SELECT {COLS} FROM tickets WHERE status IN {OPEN} AND deadline < now() "
        "ORDER BY received_at DESC, id DESC LIMIT 50",
        f"SELECT {COLS} FROM tickets WHERE status IN {OPEN} AND deadline < :now "
        "ORDER BY received_at DESC, id DESC LIMIT 50",
    ),
    "nearby: open within 500 m, 90 days, nearest 10": (
        "/api/v1/tickets/nearby?lon={}&lat={}&radius=500&days=90&limit=10".format(*POINT),
        # The box first, so that PostGIS uses its GiST index; then the exact distance.
        f"SELECT {COLS} FROM tickets WHERE status IN {OPEN} AND received_at > now() - interval '90 days' AND "
        f"geom && ST_Expand(ST_SetSRID(ST_MakePoint({POINT[0]}, {POINT[1]}), 4326), 0.005) AND "
        f"ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint({POINT[0]}, {POINT[1]}), 4326)::geography, 500) "
        f"ORDER BY geom <-> ST_SetSRID(ST_MakePoint({POINT[0]}, {POINT[1]}), 4326) LIMIT 10",
        # 500 m is about 0.0045° of latitude and 0.0047° of longitude here.
        f"SELECT {COLS} FROM tickets WHERE status IN {OPEN} AND received_at > :since90 AND "
        f"lon BETWEEN {POINT[0] - 0.0047} AND {POINT[0] + 0.0047} AND lat BETWEEN {POINT[1] - 0.0045} AND {POINT[1] + 0.0045} "
        f"ORDER BY (lon - {POINT[0]}) * (lon - {POINT[0]}) + (lat - {POINT[1]}) * (lat - {POINT[1]}) LIMIT 10",
    ),
    "key figures of every area (GET /api/v1/kpis)": (
        "/api/v1/kpis",
        # Per ward and in all: received and resolved today (Vietnam time), open, overdue, the
        # 30-day on-time rate and median handling hours.
        "WITH t AS (SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS d) "
        "SELECT area, count(*) FILTER (WHERE received_at >= t.d), count(*) FILTER (WHERE resolved_at >= t.d), "
        f"count(*) FILTER (WHERE status IN {OPEN}), count(*) FILTER (WHERE status IN {OPEN} AND deadline < now()), "
        "avg((resolved_at <= deadline)::int) FILTER (WHERE resolved_at > now() - interval '30 days'), "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - received_at) / 3600) "
        "FILTER (WHERE resolved_at > now() - interval '30 days') FROM tickets, t GROUP BY ROLLUP (area)",
        # SQLite has no percentile: the median is left out, which only flatters SQLite.
        "SELECT area, sum(received_at >= :today), sum(resolved_at >= :today), "
        f"sum(status IN {OPEN}), sum(status IN {OPEN} AND deadline < :now), "
        "avg(resolved_at <= deadline) FILTER (WHERE resolved_at > :since30) FROM tickets GROUP BY area",
    ),
}


def pct(xs):
    xs = sorted(xs)
    return {"p50_ms": round(statistics.median(xs), 2), "p90_ms": round(xs[int(0.9 * (len(xs) - 1))], 2)}


def run_http(host, runs):
    conn = http.client.HTTPConnection(host, timeout=120)
    body = json.dumps({"name": "operator", "password": "switchboard-demo"})
    conn.request("POST", "/api/v1/session", body, {"content-type": "application/json"})
    r = conn.getresponse()
    r.read()
    cookie = "; ".join(c.split(";")[0] for c in r.headers.get_all("set-cookie") or [])
    if r.status >= 300 or not cookie:
        sys.exit(f"sign-in failed: {r.status}")
    out = {}
    for name, (path, _, _) in QUERIES.items():
        times, size = [], 0
        for i in range(3 + runs):
            t = time.perf_counter()
            conn.request("GET", path, headers={"cookie": cookie})
            r = conn.getresponse()
            data = r.read()
            ms = (time.perf_counter() - t) * 1000
            if r.status != 200:
                sys.exit(f"{path}: HTTP {r.status} {data[:300]!r}")
            if i >= 3:
                times.append(ms)
            size = len(data)
        out[name] = {**pct(times), "bytes": size}
    json.dump(out, sys.stdout, indent=2)


def run_postgis(url, runs):
    out = {}
    for name, (_, sql, _) in QUERIES.items():
        script = "\\timing on\n" + "".join(f"{sql};\n" for _ in range(3 + runs))
        res = subprocess.run(["psql", url, "-q", "-o", os.devnull, "-v", "ON_ERROR_STOP=1"], input=script,
                             capture_output=True, text=True, check=True)
        times = [float(m) for m in re.findall(r"^Time: ([0-9.]+) ms", res.stdout, re.M)][3:]
        if len(times) != runs:
            sys.exit(f"{name}: psql printed {len(times)} timings\n{res.stdout[-500:]}{res.stderr[-500:]}")
        out[name] = pct(times)
    json.dump(out, sys.stdout, indent=2)


def run_sqlite(path, runs):
    con = sqlite3.connect(path)
    now = datetime.now(timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
    vn = timezone(timedelta(hours=7))
    today = datetime.now(vn).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
    args = {"now": now.strftime(fmt), "today": today.strftime(fmt),
            "since30": (now - timedelta(days=30)).strftime(fmt), "since90": (now - timedelta(days=90)).strftime(fmt)}
    out = {}
    for name, (_, _, sql) in QUERIES.items():
        times = []
        for i in range(3 + runs):
            t = time.perf_counter()
            con.execute(sql, args).fetchall()
            if i >= 3:
                times.append((time.perf_counter() - t) * 1000)
        out[name] = pct(times)
    json.dump(out, sys.stdout, indent=2)


def report(d, stores):
    print(f"{'store':8} {'question':48} {'HTTP p50/p90 ms':>18} {'SQL p50/p90 ms':>18} {'SQL ÷ HTTP':>10}")
    for store in stores or ("postgis", "sqlite"):
        h = json.load(open(os.path.join(d, f"http-{store}.json")))
        s = json.load(open(os.path.join(d, f"sql-{store}.json")))
        for name in QUERIES:
            a, b = h[name], s[name]
            print(f"{store:8} {name:48} {a['p50_ms']:>8} / {a['p90_ms']:<8} {b['p50_ms']:>8} / {b['p90_ms']:<8} "
                  f"{b['p50_ms'] / max(a['p50_ms'], 0.001):>9.1f}×")
        startup = open(os.path.join(d, f"startup-{store}")).read().strip()
        rss = int(open(os.path.join(d, f"rss-{store}")).read().strip())
        print(f"{store:8} start-up {startup} s, resident {rss / 2**20:.0f} MiB after start")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "report":
        report(sys.argv[2], sys.argv[3:])
    else:
        {"http": run_http, "postgis": run_postgis, "sqlite": run_sqlite}[mode](sys.argv[2], int(sys.argv[3]))
