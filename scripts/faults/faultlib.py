#!/usr/bin/env python3
"""Clients of the fault rehearsals (scripts/faults/*.sh), standard library only.

  load    files reports (POST /api/v1/tickets) at a rate, each with its own Idempotency-Key,
          retrying 503/429 and dropped connections with the same key; one JSON line per attempt
  poll    GETs a URL (e.g. /readyz) every interval; one JSON line per answer
  live    WebSocket clients of /api/v1/live spread over several instances; each records every
          event it receives (seq, kind, ticket id); resumes with `since` after a disconnect
  summary counts a load log: attempts by status, acknowledged tickets, 500s, 503s without
          Retry-After, given-up reports; prints JSON
  acked   prints the acknowledged ticket ids of a load log, one a line
  checklive  checks live logs against the expected seqs: every client saw every event exactly
          once and in seq order
  png     writes a noise PNG (for photo uploads)

Every long-running command stops when its --stop-file exists.
"""

import argparse
import base64
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor


def now():
    return time.time()


class Log:
    """A JSON-lines file written from several threads."""

    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, rec):
        line = json.dumps(rec, ensure_ascii=False)
        with self.lock:
            self.f.write(line + "\n")


def http(method, url, body=None, headers=None, timeout=10.0):
    """(status, headers, body bytes); status 0 with the error text when no answer came."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read(), None
    except urllib.error.HTTPError as e:
        try:
            data = e.read()
        except Exception:  # noqa: BLE001
            data = b""
        return e.code, dict(e.headers), data, None
    except Exception as e:  # noqa: BLE001 — refused, reset, timeout: no answer
        return 0, {}, b"", f"{type(e).__name__}: {e}"


# ---- load ----------------------------------------------------------------------------------------


def cmd_load(a):
    urls = a.urls.split(",")
    log = Log(a.out)
    stop = lambda: a.stop_file and os.path.exists(a.stop_file)  # noqa: E731
    rnd = random.Random(a.tag)
    auth = {"Authorization": f"Bearer {a.key}"} if a.key else {}

    first_stop = []

    def stopped_at(t):
        if not first_stop:
            first_stop.append(t)
        return first_stop[0]

    def one(i):
        key = f"{a.tag}-{i}"
        body = json.dumps(
            {
                "category": a.category,
                "description": f"fault rehearsal {key}",
                # Inside Hải Châu, west of the Hàn river (outside the city is a 422).
                "location": {"lon": round(108.200 + rnd.random() * 0.018, 6), "lat": round(16.045 + rnd.random() * 0.025, 6)},
            }
        ).encode()
        url = urls[i % len(urls)].rstrip("/") + "/api/v1/tickets"
        deadline = now() + a.give_up
        attempt = 0
        while True:
            attempt += 1
            t0 = now()
            status, headers, data, err = http(
                "POST", url, body, {"content-type": "application/json", "idempotency-key": key, **auth}, a.timeout
            )
            rec = {"i": i, "key": key, "attempt": attempt, "t": round(t0, 3), "ms": round((now() - t0) * 1000, 1),
                   "url": url, "status": status}
            ra = {k.lower(): v for k, v in headers.items()}.get("retry-after")
            if ra is not None:
                rec["retry_after"] = ra
            if err:
                rec["err"] = err[:200]
            if status == 201:
                try:
                    j = json.loads(data)
                    rec["id"] = j.get("id") or j.get("ticket", {}).get("id")
                    rec["code"] = j.get("code") or j.get("ticket", {}).get("code")
                except Exception as e:  # noqa: BLE001
                    rec["err"] = f"bad 201 body: {e}"
                log.write(rec)
                return
            if status not in (0, 201):
                try:
                    j = json.loads(data)
                    rec["problem"] = j.get("code")
                    rec["detail"] = (j.get("detail") or "")[:200]
                except Exception:  # noqa: BLE001
                    rec["body"] = data[:200].decode("utf-8", "replace")
            log.write(rec)
            if stop() and a.drain_after_stop >= 0:
                deadline = min(deadline, stopped_at(now()) + a.drain_after_stop)
            if now() > deadline:
                log.write({"i": i, "key": key, "gave_up": True, "t": round(now(), 3)})
                return
            if status in (503, 429):
                try:
                    wait = float(ra) if ra is not None else 1.0
                except ValueError:
                    wait = 1.0
                time.sleep(min(wait, a.max_wait))
            elif status == 0:
                time.sleep(0.3)
            elif status >= 500:
                time.sleep(0.5)
            else:
                # 4xx other than 429: the request itself is wrong; retrying will not help.
                log.write({"i": i, "key": key, "gave_up": True, "t": round(now(), 3)})
                return

    with ThreadPoolExecutor(max_workers=a.threads) as pool:
        futures = []
        start = now()
        i = 0
        while (a.count == 0 or i < a.count) and not stop():
            target = start + i / a.rate
            d = target - now()
            if d > 0:
                time.sleep(d)
            # Keep at most `threads` reports in flight: a stalled server stalls the clients.
            while sum(1 for f in futures if not f.done()) >= a.threads:
                time.sleep(0.01)
            futures.append(pool.submit(one, a.start + i))
            i += 1
        for f in futures:
            f.result()


def read_jsonl(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def cmd_summary(a):
    recs = []
    for p in a.logs:
        recs += read_jsonl(p)
    attempts = [r for r in recs if "status" in r]
    by_status = {}
    for r in attempts:
        by_status[str(r["status"])] = by_status.get(str(r["status"]), 0) + 1
    acked = {}
    for r in attempts:
        if r["status"] == 201 and r.get("id"):
            acked.setdefault(r["key"], set()).add(r["id"])
    reports = {r["key"] for r in recs if "key" in r}
    gave_up = sorted({r["key"] for r in recs if r.get("gave_up")} - set(acked))
    s = {
        "reports": len(reports),
        "attempts": len(attempts),
        "by_status": dict(sorted(by_status.items())),
        "acknowledged": len(acked),
        "acknowledged_ids": len({i for ids in acked.values() for i in ids}),
        "key_with_two_ids": sum(1 for ids in acked.values() if len(ids) > 1),
        "retried_reports": len({r["key"] for r in attempts if r["attempt"] > 1}),
        "status_500": sum(1 for r in attempts if r["status"] >= 500 and r["status"] != 503),
        "status_503": by_status.get("503", 0),
        "status_503_without_retry_after": sum(1 for r in attempts if r["status"] == 503 and "retry_after" not in r),
        "no_answer": by_status.get("0", 0),
        "other_4xx": sum(1 for r in attempts if 400 <= r["status"] < 500 and r["status"] != 429),
        "gave_up": len(gave_up),
        "max_ms": max((r["ms"] for r in attempts), default=0),
    }
    if a.window:
        t0, t1 = (float(x) for x in a.window.split(","))
        inside = [r for r in attempts if t0 <= r["t"] <= t1]
        w = {}
        for r in inside:
            w[str(r["status"])] = w.get(str(r["status"]), 0) + 1
        s["in_window_by_status"] = dict(sorted(w.items()))
    print(json.dumps(s))


def cmd_acked(a):
    seen = set()
    for p in a.logs:
        for r in read_jsonl(p):
            if r.get("status") == 201 and r.get("id") and r["id"] not in seen:
                seen.add(r["id"])
                print(r["id"])


# ---- poll ----------------------------------------------------------------------------------------


def cmd_poll(a):
    log = Log(a.out)
    while not (a.stop_file and os.path.exists(a.stop_file)):
        t0 = now()
        status, _, _, err = http("GET", a.url, headers={"Authorization": f"Bearer {a.key}"} if a.key else {},
                                 timeout=a.timeout)
        rec = {"t": round(t0, 3), "status": status, "ms": round((now() - t0) * 1000, 1)}
        if err:
            rec["err"] = err[:120]
        log.write(rec)
        time.sleep(max(0.0, a.interval - (now() - t0)))


# ---- WebSocket -----------------------------------------------------------------------------------


class WsClosed(Exception):
    pass


class Ws:
    """A minimal RFC 6455 client: text frames, ping/pong, close."""

    def __init__(self, url, headers, timeout=10.0):
        u = urllib.parse.urlsplit(url)
        port = u.port or 80
        self.sock = socket.create_connection((u.hostname, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {u.hostname}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise WsClosed("closed during the handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise WsClosed(f"handshake refused: {status}")
        self.lock = threading.Lock()

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise WsClosed("connection dropped (1006)")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.lock:
            self.sock.sendall(head + mask + masked)

    def send_text(self, text):
        self.send(0x1, text.encode())

    def recv(self):
        """The next text message (str); raises WsClosed with the close code."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self.send(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            if opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise WsClosed(f"close {code} {payload[2:].decode('utf-8', 'replace')}")
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode()

    def close(self):
        try:
            self.send(0x8, struct.pack(">H", 1000))
            self.sock.close()
        except Exception:  # noqa: BLE001
            pass


def live_client(n, url, key, stop_file, drain, out, started):
    """One client: connects, subscribes from hello.seq, records events, resumes after drops."""
    ws_url = url.rstrip("/").replace("http://", "ws://") + "/api/v1/live"
    rec = {"client": n, "url": url, "seqs": [], "ids": [], "kinds": {}, "connects": 0, "closes": [], "resyncs": 0,
           "errors": []}
    last = None
    target = None
    stop_seen = None
    ready = False
    while True:
        if stop_seen is None and os.path.exists(stop_file):
            stop_seen = now()
        if stop_seen is not None:
            if target is None:
                try:
                    target = int(open(stop_file).read().strip() or 0)
                except ValueError:
                    target = 0
            if (last or 0) >= target or now() - stop_seen > drain:
                break
        try:
            ws = Ws(ws_url, {"Authorization": f"Bearer {key}"})
        except Exception as e:  # noqa: BLE001
            rec["errors"].append(f"{round(now(), 3)} connect: {e}"[:200])
            time.sleep(0.5)
            continue
        rec["connects"] += 1
        try:
            ws.sock.settimeout(1.0)
            while True:
                try:
                    msg = json.loads(ws.recv())
                except socket.timeout:
                    if stop_seen is None and os.path.exists(stop_file):
                        stop_seen = now()
                        target = int(open(stop_file).read().strip() or 0)
                    if stop_seen is not None and ((last or 0) >= target or now() - stop_seen > drain):
                        break
                    continue
                t = msg.get("type")
                if t == "hello":
                    since = last if last is not None else msg["seq"]
                    ws.send_text(json.dumps({"type": "subscribe", "topics": ["tickets"], "since": since}))
                    if last is None:
                        last = msg["seq"]
                        rec["start_seq"] = last
                elif t in ("subscribed",):
                    pass
                elif t == "resync":
                    rec["resyncs"] += 1
                    rec["errors"].append(f"resync at {msg.get('seq')} (last {last})")
                    last = msg["seq"]
                elif t == "event":
                    rec["seqs"].append(msg["seq"])
                    rec["ids"].append((msg.get("data") or {}).get("id"))
                    rec["kinds"][msg["kind"]] = rec["kinds"].get(msg["kind"], 0) + 1
                    last = msg["seq"]
                elif t == "error":
                    rec["errors"].append(f"error frame {msg}"[:200])
                if not ready:
                    ready = True
                    started.release()
                if stop_seen is not None and (last or 0) >= target:
                    break
        except WsClosed as e:
            rec["closes"].append(f"{round(now(), 3)} {e}"[:120])
            time.sleep(0.3)
            continue
        except Exception as e:  # noqa: BLE001
            rec["closes"].append(f"{round(now(), 3)} {type(e).__name__}: {e}"[:120])
            time.sleep(0.3)
            continue
        finally:
            if stop_seen is not None:
                ws.close()
        break
    if not ready:
        started.release()
    rec["last_seq"] = last
    out.write(rec)


def cmd_live(a):
    urls = a.urls.split(",")
    out = Log(a.out)
    started = threading.Semaphore(0)
    threads = []
    for n in range(a.clients):
        th = threading.Thread(target=live_client, args=(n, urls[n % len(urls)], a.key, a.stop_file, a.drain, out, started),
                              daemon=True)
        th.start()
        threads.append(th)
    for _ in threads:
        started.acquire()
    if a.ready_file:
        open(a.ready_file, "w").write("ready\n")
    for th in threads:
        th.join()


def cmd_checklive(a):
    """Each client must hold exactly the expected seqs (a file of seqs, one a line), in order."""
    expected = [int(x) for x in open(a.expected).read().split()]
    clients = read_jsonl(a.log)
    acked = set(open(a.acked).read().split()) if a.acked else set()
    bad = 0
    per_url = {}
    lines = []
    for c in clients:
        seqs = [s for s in c["seqs"] if s > a.after]
        dup = len(seqs) - len(set(seqs))
        disorder = sum(1 for x, y in zip(seqs, seqs[1:]) if y <= x)
        missing = sorted(set(expected) - set(seqs))
        extra = sorted(set(seqs) - set(expected))
        created = {i for i, k in zip(c["ids"], c["seqs"]) if k > a.after}
        acked_missing = len(acked - created) if acked else 0
        ok = not dup and not disorder and not missing and not extra and not acked_missing
        bad += not ok
        per_url.setdefault(c["url"], 0)
        per_url[c["url"]] += 1
        lines.append(
            f"  client {c['client']:2d} on {c['url']}: {len(seqs)} events, duplicates {dup}, out of order {disorder}, "
            f"missing {len(missing)}{' ' + str(missing[:5]) if missing else ''}, extra {len(extra)}, "
            f"acknowledged tickets unseen {acked_missing}, connects {c['connects']}, resyncs {c['resyncs']}"
            + ("" if ok else "  <-- FAIL")
        )
    print(f"{len(clients)} clients ({', '.join(f'{n} on {u}' for u, n in per_url.items())}), "
          f"{len(expected)} events expected (seq {expected[0] if expected else '-'}..{expected[-1] if expected else '-'})")
    print("\n".join(lines))
    print(json.dumps({"clients": len(clients), "expected": len(expected), "clients_failing": bad}))
    sys.exit(1 if bad else 0)


# ---- PNG -----------------------------------------------------------------------------------------


def cmd_png(a):
    rnd = random.Random(a.seed)
    side = a.side
    raw = b"".join(b"\x00" + bytes(rnd.getrandbits(8) for _ in range(side * 3)) for _ in range(side))

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    open(a.out, "wb").write(png)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    l = sub.add_parser("load")
    l.add_argument("--urls", required=True, help="base URLs, comma-separated (reports go round-robin)")
    l.add_argument("--key", help="API key (Bearer); none: the public")
    l.add_argument("--count", type=int, default=0, help="reports to file (0: until --stop-file)")
    l.add_argument("--start", type=int, default=0, help="number of the first report")
    l.add_argument("--rate", type=float, default=10.0, help="reports started per second")
    l.add_argument("--threads", type=int, default=4, help="reports in flight at most")
    l.add_argument("--tag", required=True, help="Idempotency-Key prefix and description marker")
    l.add_argument("--category", default="pothole")
    l.add_argument("--give-up", type=float, default=120.0, help="seconds after which a report is abandoned")
    l.add_argument("--max-wait", type=float, default=1.0, help="longest wait honoured from Retry-After")
    l.add_argument("--timeout", type=float, default=15.0, help="seconds before a request counts as unanswered")
    l.add_argument("--stop-file")
    l.add_argument("--drain-after-stop", type=float, default=20.0,
                   help="once --stop-file exists, seconds a report still being retried may go on")
    l.add_argument("--out", required=True)
    l.set_defaults(f=cmd_load)

    s = sub.add_parser("summary")
    s.add_argument("logs", nargs="+")
    s.add_argument("--window", help="T0,T1: also count the attempts started between these times")
    s.set_defaults(f=cmd_summary)

    k = sub.add_parser("acked")
    k.add_argument("logs", nargs="+")
    k.set_defaults(f=cmd_acked)

    q = sub.add_parser("poll")
    q.add_argument("--url", required=True)
    q.add_argument("--key", help="API key (Bearer)")
    q.add_argument("--interval", type=float, default=0.25)
    q.add_argument("--timeout", type=float, default=3.0)
    q.add_argument("--stop-file", required=True)
    q.add_argument("--out", required=True)
    q.set_defaults(f=cmd_poll)

    v = sub.add_parser("live")
    v.add_argument("--urls", required=True)
    v.add_argument("--key", required=True)
    v.add_argument("--clients", type=int, default=3)
    v.add_argument("--stop-file", required=True, help="holds the last seq to wait for once it exists")
    v.add_argument("--ready-file", help="written once every client has subscribed")
    v.add_argument("--drain", type=float, default=30.0)
    v.add_argument("--out", required=True)
    v.set_defaults(f=cmd_live)

    c = sub.add_parser("checklive")
    c.add_argument("--log", required=True)
    c.add_argument("--expected", required=True, help="file of the seqs every client must see")
    c.add_argument("--after", type=int, default=0, help="ignore events at or before this seq")
    c.add_argument("--acked", help="file of acknowledged ticket ids each client must have seen")
    c.set_defaults(f=cmd_checklive)

    g = sub.add_parser("png")
    g.add_argument("--side", type=int, default=256)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    g.set_defaults(f=cmd_png)

    a = p.parse_args()
    a.f(a)


if __name__ == "__main__":
    main()
