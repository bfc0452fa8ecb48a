// The live feed client (GET /api/v1/live, WebSocket; protocol in docs/live-protocol.md).
//
// - On open it waits for the server's `hello`, then subscribes to its topics with `since` = the
//   last seq it applied: at first the `since` it was given (the seq of the page's REST load), or
//   none (follow from the hello) when it was given none.
// - `kpis` frames (the key figures, newest first, not seq-ordered) go to `onKpis`.
// - Events are delivered in seq order; duplicates (seq ≤ last) are dropped.
// - `resync` (since older than what the server keeps): the page reloads via REST, then the client
//   resubscribes from the server's seq.
// - On close it reconnects with exponential backoff (1 s, 2 s, 4 s … capped at 30 s, with jitter),
//   reset after a hello.
// The socket is injected so tests drive it with a fake. The frames are not in the OpenAPI document
// (a WebSocket), but what they carry is: the key figures and the cameras are the generated types
// of the REST answers.

import type { AreaStats, CameraView, KpiView } from './types';

export interface LiveEvent {
  type: 'event';
  seq: number;
  kind: string;
  /** The ticket's public summary (`ticket.*` events). */
  data: Record<string, unknown>;
  /** The new counters of the areas the event changed. */
  counters?: Record<string, AreaStats>;
}

/** The key figures of the viewer's scope, newest first (`kpis` topic; not seq-ordered). */
export type KpisFrame = { type: 'kpis' } & KpiView;

/** A camera's public state after a change (`cameras` topic; not seq-ordered). */
export interface CameraFrame {
  type: 'camera';
  camera_seq: number;
  kind: 'camera.status' | 'camera.updated' | 'camera.deleted';
  at: string;
  data: CameraView;
}

export type ServerMessage =
  | { type: 'hello'; seq: number; oldest_seq?: number }
  | LiveEvent
  | KpisFrame
  | CameraFrame
  | { type: 'resync'; seq: number };

/** The part of the browser WebSocket the client uses. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface LiveOptions {
  url: string;
  topics: string[];
  bbox?: [number, number, number, number];
  /** The seq the page's state reflects (e.g. `GET /api/v1/map/tickets`'s `seq`). */
  since?: number;
  connect?: (url: string) => SocketLike;
  onEvent: (e: LiveEvent) => void;
  onKpis?: (k: KpisFrame) => void;
  onCamera?: (c: CameraFrame) => void;
  /** Reload state via REST; the client resubscribes when the promise settles. */
  onResync: () => Promise<void>;
  onStatus?: (s: 'connecting' | 'live' | 'offline') => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  random?: () => number;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class LiveClient {
  private socket: SocketLike | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private stopped = false;

  constructor(private readonly o: LiveOptions) {
    this.lastSeq = o.since ?? null;
  }

  /** The seq of the last event applied (or the hello's, when no event came yet). */
  get seq(): number | null {
    return this.lastSeq;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.o.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    s?.close();
  }

  /** The delay before reconnect attempt n (0-based): exponential, capped, with ±20 % jitter. */
  backoff(n: number): number {
    const min = this.o.minDelayMs ?? 1000;
    const max = this.o.maxDelayMs ?? 30000;
    const base = Math.min(max, min * 2 ** n);
    const jitter = 0.8 + 0.4 * (this.o.random ?? Math.random)();
    return Math.round(Math.min(max, base * jitter));
  }

  private open(): void {
    this.o.onStatus?.('connecting');
    const connect = this.o.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let s: SocketLike;
    try {
      s = connect(this.o.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = s;
    s.onmessage = (ev) => this.handle(s, ev.data);
    s.onclose = () => this.closed(s);
    s.onerror = () => s.close();
  }

  private closed(s: SocketLike): void {
    if (this.socket !== s) return;
    this.socket = null;
    this.o.onStatus?.('offline');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoff(this.attempt++);
    this.timer = (this.o.setTimer ?? setTimeout)(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private subscribe(s: SocketLike, since: number | null): void {
    const msg: Record<string, unknown> = { type: 'subscribe', topics: this.o.topics };
    if (this.o.bbox) msg.bbox = this.o.bbox;
    if (since !== null) msg.since = since;
    s.send(JSON.stringify(msg));
  }

  private handle(s: SocketLike, raw: unknown): void {
    if (this.socket !== s || typeof raw !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'hello':
        this.attempt = 0;
        this.o.onStatus?.('live');
        // Catch up from our seq; with none yet (no `since` given), follow from the hello.
        if (this.lastSeq === null) this.lastSeq = msg.seq;
        this.subscribe(s, this.lastSeq);
        break;
      case 'event':
        if (this.lastSeq !== null && msg.seq <= this.lastSeq) return;
        this.lastSeq = msg.seq;
        this.o.onEvent(msg);
        break;
      case 'kpis':
        this.o.onKpis?.(msg);
        break;
      case 'camera':
        this.o.onCamera?.(msg);
        break;
      case 'resync': {
        const seq = msg.seq;
        void this.o
          .onResync()
          .catch(() => undefined)
          .then(() => {
            if (this.socket !== s) return;
            this.lastSeq = seq;
            this.subscribe(s, seq);
          });
        break;
      }
    }
  }
}

/** ws(s)://host/api/v1/live for the page's origin. */
export function liveUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/live`;
}
