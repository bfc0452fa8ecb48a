#!/usr/bin/env python3
"""Asterisk → Switchboard: a small relay from Asterisk's Manager Interface (AMI) to the signed
PBX webhook (`POST /webhooks/pbx`, docs/pbx.md).

It logs in to AMI, reads the call events of the hotline's calls, turns each call into
`ringing`, `answered`, `ended` or `missed` events in Switchboard's generic JSON form, signs
them (`X-Switchboard-Signature: t=…,v1=HMAC-SHA256("t." + body)`) and posts them. Switchboard
records each (call, event) once, so the relay retries freely: on network errors, 429 and 5xx
(honouring Retry-After), never on another 4xx (logged, dropped). Events wait in a bounded
in-memory queue while Switchboard is unreachable; a restart of the relay loses what was queued
(the calls in progress then show no pop; missed calls of that moment are not listed).

Python 3.11 standard library only, so it runs on the PBX box as it is:

    SWITCHBOARD_PBX_SECRET=… SWITCHBOARD_AMI_SECRET=… \\
        python3 asterisk_relay.py --url https://1022.example.vn --ami-user switchboard

Mapping (per call, keyed by Asterisk's Linkedid, the id of the caller's first channel):
- ringing:  DialBegin (its destination's extension) or AgentCalled (a queue member's interface);
- answered: DialEnd with DialStatus ANSWER, or AgentConnect (the extension that picked up);
- ended:    Hangup of the caller's channel after an answer (duration = hang-up − answer), with
            the MixMonitor recording file (VarSet MIXMONITOR_FILENAME) if there is one;
- missed:   Hangup of the caller's channel, or QueueCallerAbandon, of a call never answered.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field

log = logging.getLogger("asterisk-relay")

#: Most events waiting for Switchboard; the oldest are dropped beyond it (and logged).
QUEUE_LIMIT = 10_000
#: Most events per webhook call (the server takes up to 100).
BATCH = 50


def now_iso(t: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(t, dt.timezone.utc) if t is not None else dt.datetime.now(dt.timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def extension_of(channel_or_interface: str) -> str | None:
    """`PJSIP/101-0000002a` or `SIP/101` or `Local/101@agents-0001;1` → `101`."""
    m = re.match(r"^[A-Za-z0-9_]+/([^-@;/]+)", channel_or_interface or "")
    return m.group(1) if m else None


@dataclass
class Call:
    caller: str | None = None
    ringing: bool = False
    answered_at: float | None = None
    extension: str | None = None
    recording: str | None = None
    done: bool = False


@dataclass
class CallTracker:
    """Asterisk's AMI events in, Switchboard's call events out. Pure: the clock is passed in."""

    #: Only calls that entered one of these dialplan contexts (empty: every call).
    contexts: frozenset[str] = frozenset()
    calls: dict[str, Call] = field(default_factory=dict)

    def feed(self, ev: dict[str, str], t: float) -> list[dict]:
        kind = ev.get("Event", "")
        linked = ev.get("Linkedid") or ev.get("Uniqueid")
        if not linked:
            return []
        out: list[dict] = []
        call = self.calls.get(linked)
        if kind == "Newchannel" and ev.get("Uniqueid") == linked:
            if self.contexts and ev.get("Context") not in self.contexts:
                return []
            self.calls[linked] = Call(caller=_number(ev.get("CallerIDNum")))
            return []
        if call is None or call.done:
            return []
        if kind in ("DialBegin", "AgentCalled"):
            ext = extension_of(ev.get("DestChannel") or ev.get("Interface") or "") or ev.get("DestExten")
            if not call.ringing:
                call.ringing = True
                out.append(self._event(linked, "ringing", t, caller=call.caller, extension=ext))
        elif (kind == "DialEnd" and ev.get("DialStatus") == "ANSWER") or kind == "AgentConnect":
            if call.answered_at is None:
                call.answered_at = t
                call.extension = extension_of(ev.get("DestChannel") or ev.get("Interface") or "") or ev.get("DestExten")
                out.append(self._event(linked, "answered", t, caller=call.caller, extension=call.extension))
        elif kind == "VarSet" and ev.get("Variable") == "MIXMONITOR_FILENAME":
            call.recording = ev.get("Value") or call.recording
        elif kind == "QueueCallerAbandon" and call.answered_at is None:
            call.done = True
            out.append(self._event(linked, "missed", t, caller=call.caller))
        elif kind == "Hangup" and ev.get("Uniqueid") == linked:
            call.done = True
            if call.answered_at is not None:
                out.append(self._event(linked, "ended", t, duration_seconds=max(0, round(t - call.answered_at)),
                                       recording_ref=call.recording))
            else:
                out.append(self._event(linked, "missed", t, caller=call.caller))
        if call.done:
            self.calls.pop(linked, None)
        return out

    @staticmethod
    def _event(call_id: str, event: str, t: float, **extra) -> dict:
        e = {"call_id": call_id, "event": event, "at": now_iso(t)}
        e.update({k: v for k, v in extra.items() if v is not None})
        return e


def _number(raw: str | None) -> str | None:
    """A caller id, or None for Asterisk's unknowns (`<unknown>`, empty, `anonymous`)."""
    if not raw or raw.startswith("<") or raw.lower() in ("anonymous", "unknown", "restricted"):
        return None
    return raw


def sign(secret: bytes, body: bytes, t: int) -> str:
    mac = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


class Sender:
    """Posts queued events to Switchboard in batches, retrying what may succeed later."""

    def __init__(self, url: str, secret: bytes, timeout: float = 10.0, max_backoff: float = 60.0):
        self.url = url.rstrip("/") + "/webhooks/pbx"
        self.secret = secret
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.queue: deque[dict] = deque()
        self.wake = asyncio.Event()

    def put(self, events: list[dict]) -> None:
        for e in events:
            if len(self.queue) >= QUEUE_LIMIT:
                dropped = self.queue.popleft()
                log.error("queue full: dropped %s of call %s", dropped["event"], dropped["call_id"])
            self.queue.append(e)
        if events:
            self.wake.set()

    def _post(self, events: list[dict]) -> tuple[int, float | None, str]:
        body = json.dumps({"events": events}, ensure_ascii=False).encode()
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "content-type": "application/json",
            "x-switchboard-signature": sign(self.secret, body, int(dt.datetime.now().timestamp())),
        })
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.status, None, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            retry = e.headers.get("retry-after")
            return e.code, float(retry) if retry and retry.isdigit() else None, e.read().decode(errors="replace")

    async def run(self) -> None:
        backoff = 1.0
        while True:
            if not self.queue:
                self.wake.clear()
                await self.wake.wait()
            batch = [self.queue[i] for i in range(min(BATCH, len(self.queue)))]
            try:
                status, retry_after, text = await asyncio.to_thread(self._post, batch)
            except (OSError, urllib.error.URLError) as e:
                status, retry_after, text = 0, None, str(e)
            if 200 <= status < 300:
                for _ in batch:
                    self.queue.popleft()
                backoff = 1.0
                log.info("sent %d event(s): %s", len(batch), text[:200])
            elif status == 429 or status >= 500 or status == 0:
                wait = retry_after if retry_after is not None else backoff
                log.warning("Switchboard answered %s (%s); retrying in %.0f s", status or "nothing", text[:200], wait)
                await asyncio.sleep(wait)
                backoff = min(backoff * 2, self.max_backoff)
            else:
                for _ in batch:
                    self.queue.popleft()
                log.error("Switchboard refused %d event(s) with %s: %s", len(batch), status, text[:500])


async def read_message(reader: asyncio.StreamReader) -> dict[str, str] | None:
    """One AMI message (key: value lines up to a blank line); None at the end of the stream."""
    msg: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if not line:
            return None
        text = line.decode(errors="replace").rstrip("\r\n")
        if not text:
            if msg:
                return msg
            continue
        key, _, value = text.partition(":")
        msg[key.strip()] = value.strip()


async def ami_session(host: str, port: int, user: str, secret: str, tracker: CallTracker, sender: Sender) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        banner = await reader.readline()
        log.info("connected: %s", banner.decode(errors="replace").strip())
        writer.write(f"Action: Login\r\nUsername: {user}\r\nSecret: {secret}\r\nEvents: call,agent,dialplan\r\n\r\n".encode())
        await writer.drain()
        while True:
            msg = await read_message(reader)
            if msg is None:
                raise ConnectionError("AMI closed the connection")
            if msg.get("Response") == "Error":
                raise PermissionError(f"AMI login refused: {msg.get('Message')}")
            if "Event" in msg:
                sender.put(tracker.feed(msg, dt.datetime.now().timestamp()))
    finally:
        writer.close()


async def main_async(args: argparse.Namespace) -> None:
    secret = os.environ.get("SWITCHBOARD_PBX_SECRET", "")
    ami_secret = os.environ.get("SWITCHBOARD_AMI_SECRET", "")
    if len(secret) < 16:
        raise SystemExit("SWITCHBOARD_PBX_SECRET must be set (the server's --pbx-secret, at least 16 characters)")
    tracker = CallTracker(contexts=frozenset(c for c in args.context if c))
    sender = Sender(args.url, secret.encode())
    asyncio.create_task(sender.run())
    backoff = 1.0
    while True:
        try:
            await ami_session(args.ami_host, args.ami_port, args.ami_user, ami_secret, tracker, sender)
        except PermissionError as e:
            raise SystemExit(str(e)) from e
        except (OSError, ConnectionError) as e:
            log.warning("AMI: %s; reconnecting in %.0f s", e, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 60.0)
        else:
            backoff = 1.0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", "http://127.0.0.1:8080"),
                   help="Switchboard's base URL (env SWITCHBOARD_URL)")
    p.add_argument("--ami-host", default=os.environ.get("SWITCHBOARD_AMI_HOST", "127.0.0.1"), help="env SWITCHBOARD_AMI_HOST")
    p.add_argument("--ami-port", type=int, default=int(os.environ.get("SWITCHBOARD_AMI_PORT", "5038")), help="env SWITCHBOARD_AMI_PORT")
    p.add_argument("--ami-user", default=os.environ.get("SWITCHBOARD_AMI_USER", "switchboard"),
                   help="the manager.conf user (env SWITCHBOARD_AMI_USER); its secret: env SWITCHBOARD_AMI_SECRET")
    p.add_argument("--context", action="append", default=os.environ.get("SWITCHBOARD_AMI_CONTEXTS", "").split(","),
                   help="a dialplan context whose calls are the hotline's (repeatable; env SWITCHBOARD_AMI_CONTEXTS, comma-separated; default: every call)")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
