import { describe, expect, it, vi } from 'vitest';
import { LiveClient, liveUrl, type LiveEvent, type LiveOptions, type SocketLike } from './live';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: Record<string, unknown>[] = [];
  closed = false;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({});
  }
  server(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function setup(extra: Partial<LiveOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const events: LiveEvent[] = [];
  const statuses: string[] = [];
  const client = new LiveClient({
    url: 'ws://x/api/v1/live',
    topics: ['tickets', 'areas'],
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onEvent: (e) => events.push(e),
    onResync: async () => undefined,
    onStatus: (s) => statuses.push(s),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    random: () => 0.5,
    ...extra,
  });
  return { client, sockets, timers, events, statuses };
}

const ev = (seq: number): LiveEvent => ({ type: 'event', seq, kind: 'ticket.created', data: { id: `t${seq}` } });

describe('live client', () => {
  it('subscribes after hello, without since on the first connection', () => {
    const { client, sockets, statuses } = setup({ bbox: [108, 15, 109, 17] });
    client.start();
    sockets[0].server({ type: 'hello', seq: 40, oldest_seq: 1 });
    expect(sockets[0].sent).toEqual([{ type: 'subscribe', topics: ['tickets', 'areas'], bbox: [108, 15, 109, 17], since: 40 }]);
    expect(statuses).toEqual(['connecting', 'live']);
  });

  it('delivers events in order and drops duplicates', () => {
    const { client, sockets, events } = setup();
    client.start();
    sockets[0].server({ type: 'hello', seq: 10 });
    sockets[0].server(ev(11));
    sockets[0].server(ev(11));
    sockets[0].server(ev(9));
    sockets[0].server(ev(12));
    expect(events.map((e) => e.seq)).toEqual([11, 12]);
    expect(client.seq).toBe(12);
  });

  it('reconnects with growing backoff and resumes from the last seq', () => {
    const { client, sockets, timers, events } = setup();
    client.start();
    sockets[0].server({ type: 'hello', seq: 10 });
    sockets[0].server(ev(11));
    sockets[0].close();
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0].fn();
    sockets[1].close(); // fails again before hello
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
    timers[1].fn();
    sockets[2].server({ type: 'hello', seq: 15, oldest_seq: 2 });
    expect(sockets[2].sent).toEqual([{ type: 'subscribe', topics: ['tickets', 'areas'], since: 11 }]);
    sockets[2].server(ev(12));
    expect(events.map((e) => e.seq)).toEqual([11, 12]);
    // A hello resets the backoff.
    sockets[2].close();
    expect(timers[2].ms).toBe(1000);
  });

  it('follows from the given since (the REST load), not from the hello', () => {
    const { client, sockets, events } = setup({ since: 7 });
    client.start();
    sockets[0].server({ type: 'hello', seq: 9, oldest_seq: 1 });
    expect(sockets[0].sent).toEqual([{ type: 'subscribe', topics: ['tickets', 'areas'], since: 7 }]);
    sockets[0].server(ev(8));
    sockets[0].server(ev(9));
    expect(events.map((e) => e.seq)).toEqual([8, 9]);
  });

  it('hands kpis frames to onKpis without touching the event seq', () => {
    const kpis: unknown[] = [];
    const { client, sockets } = setup({ onKpis: (k) => kpis.push(k) });
    client.start();
    sockets[0].server({ type: 'hello', seq: 3 });
    sockets[0].server({ type: 'kpis', seq: 2, at: '2026-11-22T03:00:00Z', total: { open: 5 }, areas: {} });
    expect(kpis).toHaveLength(1);
    expect(client.seq).toBe(3);
  });

  it('caps the backoff', () => {
    const { client } = setup();
    expect(client.backoff(0)).toBe(1000);
    expect(client.backoff(3)).toBe(8000);
    expect(client.backoff(20)).toBe(30000);
  });

  it('on resync reloads via REST, then resubscribes from the server seq', async () => {
    let release!: () => void;
    const onResync = vi.fn(() => new Promise<void>((r) => (release = r)));
    const { client, sockets } = setup({ onResync });
    client.start();
    sockets[0].server({ type: 'hello', seq: 10 });
    sockets[0].server({ type: 'resync', seq: 500 });
    expect(onResync).toHaveBeenCalledOnce();
    expect(sockets[0].sent).toHaveLength(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(sockets[0].sent[1]).toEqual({ type: 'subscribe', topics: ['tickets', 'areas'], since: 500 });
    expect(client.seq).toBe(500);
  });

  it('stops for good when stopped', () => {
    const { client, sockets, timers } = setup();
    client.start();
    client.stop();
    expect(sockets[0].closed).toBe(true);
    expect(timers).toHaveLength(0);
  });

  it('ignores frames that are not JSON', () => {
    const { client, sockets, events } = setup();
    client.start();
    sockets[0].onmessage?.({ data: 'not json' });
    expect(events).toHaveLength(0);
  });

  it('builds the URL from the page origin', () => {
    expect(liveUrl({ protocol: 'https:', host: 'ioc.example' })).toBe('wss://ioc.example/api/v1/live');
    expect(liveUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/live');
  });
});
