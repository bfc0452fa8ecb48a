"""Tests of the Asterisk relay: the call tracker on realistic AMI event sequences, and the whole
relay against a fake AMI server and a fake Switchboard that checks every signature and answers
503 once (the relay must retry, and every event arrive once). `python3 -m unittest` in this
directory; `make test` runs them."""

import asyncio
import hashlib
import hmac
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import asterisk_relay as relay

T0 = 1_764_900_000.0  # 2025-12-05T02:00:00Z


def newchannel(uid, number, context="from-hotline"):
    return {"Event": "Newchannel", "Channel": f"PJSIP/trunk-{uid}", "Uniqueid": uid, "Linkedid": uid,
            "CallerIDNum": number, "Context": context, "Exten": "1022"}


def dial_begin(linked, ext, n=1):
    return {"Event": "DialBegin", "Channel": f"PJSIP/trunk-{linked}", "Uniqueid": linked, "Linkedid": linked,
            "DestChannel": f"PJSIP/{ext}-0000000{n}", "DestUniqueid": f"{linked}.{n}", "DialString": ext}


def dial_end(linked, ext, status, n=1):
    return {**dial_begin(linked, ext, n), "Event": "DialEnd", "DialStatus": status}


def hangup(uid, linked=None):
    return {"Event": "Hangup", "Uniqueid": uid, "Linkedid": linked or uid, "Cause": "16", "Cause-txt": "Normal Clearing"}


def run(tracker, timed_events):
    out = []
    for t, ev in timed_events:
        out.extend(tracker.feed(ev, T0 + t))
    return [(e["call_id"], e["event"], e.get("extension"), e.get("caller"), e.get("duration_seconds"), e.get("recording_ref"))
            for e in out]


class TrackerTest(unittest.TestCase):
    def test_a_direct_call_answered_and_hung_up(self):
        got = run(relay.CallTracker(), [
            (0, newchannel("1733.1", "0905111222")),
            (1, dial_begin("1733.1", "101")),
            (6, dial_end("1733.1", "101", "ANSWER")),
            (7, {"Event": "VarSet", "Uniqueid": "1733.1", "Linkedid": "1733.1", "Variable": "MIXMONITOR_FILENAME",
                 "Value": "/var/spool/asterisk/monitor/q-1733.1.wav"}),
            (8, hangup("1733.1.1", "1733.1")),  # the operator's leg first: not the end of the call
            (101, hangup("1733.1")),
        ])
        self.assertEqual(got, [
            ("1733.1", "ringing", "101", "0905111222", None, None),
            ("1733.1", "answered", "101", "0905111222", None, None),
            ("1733.1", "ended", None, None, 95, "/var/spool/asterisk/monitor/q-1733.1.wav"),
        ])

    def test_a_queue_call_answered_by_the_second_agent(self):
        got = run(relay.CallTracker(), [
            (0, newchannel("q.7", "+84236382212")),
            (2, {"Event": "QueueCallerJoin", "Uniqueid": "q.7", "Linkedid": "q.7", "Queue": "hotline", "Position": "1"}),
            (3, {"Event": "AgentCalled", "Uniqueid": "q.7", "Linkedid": "q.7", "Interface": "PJSIP/101", "Queue": "hotline"}),
            (18, {"Event": "AgentRingNoAnswer", "Uniqueid": "q.7", "Linkedid": "q.7", "Interface": "PJSIP/101"}),
            (19, {"Event": "AgentCalled", "Uniqueid": "q.7", "Linkedid": "q.7", "Interface": "PJSIP/102", "Queue": "hotline"}),
            (25, {"Event": "AgentConnect", "Uniqueid": "q.7", "Linkedid": "q.7", "Interface": "PJSIP/102", "HoldTime": "22"}),
            (85, hangup("q.7")),
        ])
        self.assertEqual([g[:3] for g in got], [("q.7", "ringing", "101"), ("q.7", "answered", "102"), ("q.7", "ended", None)])
        self.assertEqual(got[2][4], 60)

    def test_a_caller_who_gives_up_in_the_queue_is_a_missed_call(self):
        got = run(relay.CallTracker(), [
            (0, newchannel("a.1", "0935444555")),
            (3, {"Event": "AgentCalled", "Uniqueid": "a.1", "Linkedid": "a.1", "Interface": "PJSIP/101"}),
            (40, {"Event": "QueueCallerAbandon", "Uniqueid": "a.1", "Linkedid": "a.1", "Queue": "hotline", "HoldTime": "40"}),
            (41, hangup("a.1")),
        ])
        self.assertEqual(got, [("a.1", "ringing", "101", "0935444555", None, None), ("a.1", "missed", None, "0935444555", None, None)])

    def test_a_busy_extension_and_a_hang_up_is_missed_and_a_withheld_number_has_none(self):
        got = run(relay.CallTracker(), [
            (0, newchannel("b.1", "<unknown>")),
            (1, dial_begin("b.1", "103")),
            (2, dial_end("b.1", "103", "BUSY")),
            (3, hangup("b.1")),
        ])
        self.assertEqual(got, [("b.1", "ringing", "103", None, None, None), ("b.1", "missed", None, None, None, None)])

    def test_two_calls_at_once_stay_apart_and_other_contexts_are_ignored(self):
        tracker = relay.CallTracker(contexts=frozenset({"from-hotline"}))
        got = run(tracker, [
            (0, newchannel("x.1", "0905000001")),
            (0, newchannel("y.1", "0905000002")),
            (0, newchannel("z.1", "101", context="from-internal")),  # an operator calling out
            (1, dial_begin("y.1", "102")),
            (1, dial_begin("x.1", "101")),
            (1, dial_begin("z.1", "0905000003")),
            (4, dial_end("x.1", "101", "ANSWER")),
            (5, hangup("y.1")),
            (30, hangup("x.1")),
        ])
        self.assertEqual([g[:2] for g in got], [("y.1", "ringing"), ("x.1", "ringing"), ("x.1", "answered"), ("y.1", "missed"), ("x.1", "ended")])
        self.assertEqual(got[4][4], 26)
        self.assertEqual(tracker.calls, {}, "finished calls are forgotten")


class FakeSwitchboard(ThreadingHTTPServer):
    def __init__(self, secret):
        super().__init__(("127.0.0.1", 0), Handler)
        self.secret = secret
        self.events = []
        self.calls = 0
        self.bad_signatures = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 (http.server's name)
        srv = self.server
        body = self.rfile.read(int(self.headers["content-length"]))
        parts = dict(p.split("=", 1) for p in self.headers["x-switchboard-signature"].split(","))
        want = hmac.new(srv.secret, f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
        srv.calls += 1
        if not hmac.compare_digest(want, parts["v1"]):
            srv.bad_signatures += 1
            self.send_response(401)
            self.end_headers()
            return
        if srv.calls == 1:
            self.send_response(503)
            self.send_header("retry-after", "0")
            self.end_headers()
            return
        events = json.loads(body)["events"]
        srv.events.extend(events)
        out = json.dumps({"results": [{"call_id": e["call_id"], "event": e["event"], "outcome": "recorded"} for e in events]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


class RelayEndToEndTest(unittest.IsolatedAsyncioTestCase):
    async def test_events_from_ami_reach_switchboard_signed_once_each_after_a_retry(self):
        secret = b"relay-test-secret-0123456789"
        switchboard = FakeSwitchboard(secret)
        threading.Thread(target=switchboard.serve_forever, daemon=True).start()
        logins = []

        async def ami(reader, writer):
            writer.write(b"Asterisk Call Manager/9.0.0\r\n")
            login = await relay.read_message(reader)
            logins.append(login)
            writer.write(b"Response: Success\r\nMessage: Authentication accepted\r\n\r\n")
            for ev in [newchannel("e.1", "0905111222"), dial_begin("e.1", "101"), dial_end("e.1", "101", "ANSWER"), hangup("e.1"),
                       newchannel("e.2", "0236382212"), hangup("e.2")]:
                writer.write("".join(f"{k}: {v}\r\n" for k, v in ev.items()).encode() + b"\r\n")
            await writer.drain()
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                writer.close()

        server = await asyncio.start_server(ami, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        sender = relay.Sender(f"http://127.0.0.1:{switchboard.server_address[1]}", secret, max_backoff=0.1)
        tasks = [asyncio.create_task(sender.run()),
                 asyncio.create_task(relay.ami_session("127.0.0.1", port, "switchboard", "ami-secret", relay.CallTracker(), sender))]
        try:
            for _ in range(200):
                if len(switchboard.events) >= 4:
                    break
                await asyncio.sleep(0.05)
        finally:
            for t in tasks:
                t.cancel()
            server.close()
            switchboard.shutdown()
        self.assertEqual(logins[0]["Action"], "Login")
        self.assertEqual((logins[0]["Username"], logins[0]["Secret"]), ("switchboard", "ami-secret"))
        self.assertEqual(switchboard.bad_signatures, 0)
        self.assertGreaterEqual(switchboard.calls, 2, "the 503 was retried")
        self.assertEqual([(e["call_id"], e["event"]) for e in switchboard.events],
                         [("e.1", "ringing"), ("e.1", "answered"), ("e.1", "ended"), ("e.2", "missed")])


if __name__ == "__main__":
    unittest.main()
