// Building the GeoJSON the map draws: area features with a flat `health` property, ticket points
// with their status and deadline. Pure functions; the map module only hands their output to setData.

import { DEFAULT_WALL, health } from './health';
import { OPEN_STATUSES } from '../common/status';
import type { AreaCollection, AreaStats, Kpis, Status, WallConfig } from '../common/types';
import { labelPoint } from '../common/map/geometry';

/**
 * A ticket as the wall's map holds it: a row of GET /api/v1/map/tickets, kept up to date by live
 * events. Instants are epoch milliseconds. `code` is known once an event or the REST API named it.
 */
export interface MapTicket {
  id: string;
  status: Status;
  category: string;
  lon: number;
  lat: number;
  area: string | null;
  unit: string | null;
  priority: string;
  received_at: number;
  deadline: number;
  resolved_at: number | null;
  version: number;
  /** Citizens supporting the report ("me too"): its marker grows with them. */
  supporters: number;
  code?: string;
}

export interface AreaPointProps {
  code: string;
  name: string;
  name_en: string;
  parent: string;
  health: string;
  open: number;
  overdue: number;
  total: number;
}

/**
 * Areas with flat properties (MapLibre expressions can't read nested objects reliably), coloured
 * by the wall's rule; `kpis` (per area code) feeds the on-time-rate rule.
 */
export function areaFeatures(
  areas: AreaCollection,
  config: WallConfig = DEFAULT_WALL,
  kpis: Record<string, Pick<Kpis, 'on_time_rate'>> = {},
): GeoJSON.FeatureCollection<GeoJSON.Geometry, AreaPointProps> {
  return {
    type: 'FeatureCollection',
    features: areas.features.map((f) => ({
      type: 'Feature',
      id: undefined,
      geometry: f.geometry,
      properties: {
        code: f.properties.code,
        name: f.properties.name,
        name_en: f.properties.name_en ?? '',
        parent: f.properties.parent ?? '',
        health: health(f.properties.stats, config, kpis[f.properties.code]?.on_time_rate),
        open: f.properties.stats.open,
        overdue: f.properties.stats.overdue,
        total: f.properties.stats.total,
      },
    })),
  };
}

/** Replaces the stats of the areas named in a live event's `counters`; others stay as they are. */
export function applyCounters(areas: AreaCollection, counters: Record<string, AreaStats> | undefined): AreaCollection {
  if (!counters) return areas;
  return {
    ...areas,
    features: areas.features.map((f) =>
      counters[f.properties.code] ? { ...f, properties: { ...f.properties, stats: counters[f.properties.code] } } : f,
    ),
  };
}

export interface TicketPointProps {
  id: string;
  status: string;
  open: boolean;
  /** Unix seconds: the style colours an open ticket past it as overdue (style.ts `ticketColour`). */
  deadline: number;
  /** "Me too" supporters: the style draws the marker larger (style.ts `supportScale`). */
  supporters: number;
}

export function isOpen(t: { status: Status }): boolean {
  return OPEN_STATUSES.includes(t.status);
}

/** Open and past its deadline (the server's rule; re-checked as time passes, without events). */
export function isOverdue(t: Pick<MapTicket, 'status' | 'deadline'>, now: Date): boolean {
  return isOpen(t) && t.deadline < now.getTime();
}

/** The ticket layer's points. Their colour depends on the time, so it is left to the style. */
export function ticketFeatures(tickets: Iterable<MapTicket>): GeoJSON.FeatureCollection<GeoJSON.Point, TicketPointProps> {
  const features: GeoJSON.Feature<GeoJSON.Point, TicketPointProps>[] = [];
  for (const t of tickets) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [t.lon, t.lat] },
      properties: { id: t.id, status: t.status, open: isOpen(t), deadline: Math.floor(t.deadline / 1000), supporters: t.supporters },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The district an area code belongs to: itself for a district, its parent for a ward. */
export function districtOf(areaCode: string | null | undefined, wardParent: ReadonlyMap<string, string>): string | null {
  if (!areaCode) return null;
  return wardParent.get(areaCode) ?? areaCode;
}

const seconds = (x: unknown) => (typeof x === 'number' ? x * 1000 : null);
const text = (x: unknown) => (typeof x === 'string' ? x : null);

/** A row of GET /api/v1/map/tickets (its `columns` name the fields; instants in seconds). */
export function fromRow(columns: readonly string[], row: readonly unknown[]): MapTicket {
  const r: Record<string, unknown> = {};
  columns.forEach((c, i) => (r[c] = row[i]));
  return {
    id: String(r.id),
    status: r.status as Status,
    category: String(r.category),
    lon: Number(r.lon),
    lat: Number(r.lat),
    area: text(r.area),
    unit: text(r.unit),
    priority: String(r.priority),
    received_at: seconds(r.received_at) ?? 0,
    deadline: seconds(r.deadline) ?? 0,
    resolved_at: seconds(r.resolved_at),
    version: Number(r.version),
    supporters: Number(r.supporters ?? 0),
  };
}

const instant = (x: unknown) => (typeof x === 'string' ? Date.parse(x) : null);

/**
 * The ticket of a live event (or a REST TicketView), completed from what the page held: events
 * carry the public summary, not `resolved_at`. Null when the data names no ticket.
 */
export function fromEvent(data: Record<string, unknown>, held?: MapTicket): MapTicket | null {
  const loc = data.location as { lon?: number; lat?: number } | undefined;
  if (typeof data.id !== 'string' || typeof loc?.lon !== 'number' || typeof loc?.lat !== 'number') return null;
  const status = data.status as Status;
  return {
    id: data.id,
    status,
    category: text(data.category) ?? held?.category ?? '',
    lon: loc.lon,
    lat: loc.lat,
    area: data.area === undefined ? (held?.area ?? null) : text(data.area),
    unit: data.unit === undefined ? (held?.unit ?? null) : text(data.unit),
    priority: text(data.priority) ?? held?.priority ?? 'normal',
    received_at: instant(data.received_at) ?? held?.received_at ?? 0,
    deadline: instant(data.deadline) ?? held?.deadline ?? 0,
    resolved_at: instant(data.resolved_at) ?? (isOpen({ status }) ? null : (held?.resolved_at ?? Date.now())),
    version: typeof data.version === 'number' ? data.version : (held?.version ?? 0),
    supporters: typeof data.supporters === 'number' ? data.supporters : (held?.supporters ?? 0),
    code: text(data.code) ?? held?.code,
  };
}

/**
 * One label point per area, for the map's symbol layers: the area's flat properties at its
 * `labelPoint`, so an area of several polygons is labelled once, not once per part. Names are
 * NFC-normalised: MapLibre places each code point as its own glyph, so a decomposed "ờ" would
 * draw its marks beside the letter instead of on it.
 */
export function labelFeatures(areas: AreaCollection): GeoJSON.FeatureCollection<GeoJSON.Point, AreaPointProps> {
  return {
    type: 'FeatureCollection',
    features: areaFeatures(areas).features.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: labelPoint(f.geometry) },
      properties: { ...f.properties, name: f.properties.name.normalize('NFC') },
    })),
  };
}

/**
 * Puts a ticket into what the page holds unless the page already has a newer version of it
 * (events replayed after a REST load are older than what the load showed). Returns whether the
 * ticket is new, changed, or stale (ignored).
 */
export function upsertTicket(held: Map<string, MapTicket>, t: MapTicket): 'new' | 'changed' | 'stale' {
  const before = held.get(t.id);
  if (before && before.version > t.version) return 'stale';
  held.set(t.id, before?.code && !t.code ? { ...t, code: before.code } : t);
  return before ? 'changed' : 'new';
}
