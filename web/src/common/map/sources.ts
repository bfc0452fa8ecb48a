// The server's vector tile sources as MapLibre sources: nothing comes from a CDN, every page takes
// its tiles from the server it was served by (`origin`, e.g. `location.origin`).

import type { SourceSpecification } from 'maplibre-gl';
import { TILES_PLANNING, TILES_TICKETS, TILE_LAYER_TICKETS } from './ids';

/** A vector source of the server at `origin` (`/tiles/{id}` is its TileJSON). */
export function tileSource(origin: string, id: string): SourceSpecification {
  return { type: 'vector', url: `${origin.replace(/\/$/, '')}/tiles/${id}` };
}

/** The planning zones (/tiles/planning/{z}/{x}/{y}, layer `planning`), whose attributes are those
 * of GET /api/v1/planning/zones. */
export function planningSource(origin: string): SourceSpecification {
  return { type: 'vector', tiles: [`${origin}/tiles/${TILES_PLANNING}/{z}/{x}/{y}`], minzoom: 0, maxzoom: 18 };
}

/** Ticket tiles hold every ticket down to this zoom; MapLibre draws deeper zooms from them. */
export const TICKET_TILES_MAXZOOM = 16;

/**
 * The wall's tickets (/tiles/tickets/{z}/{x}/{y}, same origin and session cookie): grid clusters
 * at low zoom, points with the fields the wall draws by deeper, cut to the viewer's scope by
 * the server. Points carry their ticket id as feature id (`promoteId`), so the live overlay can
 * hide one by feature state without the tiles being laid out again.
 */
export function ticketSource(origin: string): SourceSpecification {
  return {
    type: 'vector',
    tiles: [`${origin.replace(/\/$/, '')}/tiles/${TILES_TICKETS}/{z}/{x}/{y}`],
    minzoom: 0,
    maxzoom: TICKET_TILES_MAXZOOM,
    promoteId: { [TILE_LAYER_TICKETS]: 'id' },
  };
}
