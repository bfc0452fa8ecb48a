// The ticket layer's live overlay. Re-clustering 100 000 points takes seconds, so a live change
// does not redraw the big clustered source: the changed ticket goes into a small unclustered
// source drawn above it, and the big layer's points of the same ids are hidden by a filter. The
// big source is rebuilt on a slow cadence (FOLD_MS in main.ts), which folds the overlay back.
// Pure: main.ts hands the output to setData / setFilter.

import { ticketFeatures, type MapTicket, type TicketPointProps } from './geojson';

/**
 * Ids changed since the big source was last built. Each carries the number of its latest change,
 * so a rebuild (which takes seconds in MapLibre's worker) folds back only what it contains: the
 * overlay keeps drawing those tickets until the rebuilt source is on screen.
 */
export class LiveOverlay {
  private readonly ids = new Map<string, number>();
  private changes = 0;

  /** Notes a changed (or new) ticket. */
  add(id: string): void {
    this.ids.set(id, ++this.changes);
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Where a rebuild of the big source from everything the page holds now starts. */
  mark(): number {
    return this.changes;
  }

  /** The rebuild started at `mark` is drawn: changes it contains are no longer overlaid. */
  folded(mark: number): void {
    for (const [id, n] of this.ids) if (n <= mark) this.ids.delete(id);
  }

  /** The overlay's points: the changed tickets the page still holds. */
  features(held: ReadonlyMap<string, MapTicket>): GeoJSON.FeatureCollection<GeoJSON.Point, TicketPointProps> {
    const ts: MapTicket[] = [];
    for (const id of this.ids.keys()) {
      const t = held.get(id);
      if (t) ts.push(t);
    }
    return ticketFeatures(ts);
  }

  /**
   * The filter of the big source's point layer: its unclustered points, minus those the overlay
   * draws (their position or colour there is out of date).
   */
  baseFilter(): unknown[] {
    const unclustered = ['!', ['has', 'point_count']];
    if (this.ids.size === 0) return unclustered;
    return ['all', unclustered, ['!', ['in', ['get', 'id'], ['literal', [...this.ids.keys()]]]]];
  }
}
