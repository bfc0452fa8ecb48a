// The ticket layer's live overlay. The tickets come from the server's ticket tiles (clusters at
// the city's zoom, points deeper); a live change does not reload them: the changed ticket goes
// into a small GeoJSON source drawn above them at the next frame, and its point in the tiles is
// hidden by feature state. The tiles are reloaded on a slow cadence (FOLD_MS in main.ts; an
// unchanged tile is a 304 that MapLibre does not parse again), which folds the overlay back.
// Pure: main.ts hands the output to setData / setFeatureState.

import { ticketFeatures, type MapTicket, type TicketPointProps } from './geojson';

/**
 * Ids changed since the ticket tiles were last loaded. Each carries the number of its latest
 * change, so a reload folds back only what it contains: the overlay keeps drawing those tickets
 * until the reloaded tiles are on screen.
 */
export class LiveOverlay {
  private readonly ids = new Map<string, number>();
  /** Ids added since `takeAdded` last ran (their tile points are still to hide). */
  private added = new Set<string>();
  /** Ids whose tile points `takeAdded` has named to hide (and only those are named to show again). */
  private readonly hidden = new Set<string>();
  private changes = 0;

  /** Notes a changed (or new) ticket. */
  add(id: string): void {
    this.ids.set(id, ++this.changes);
    this.added.add(id);
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The ids added since the last call whose points in the tiles are not hidden yet: to hide. */
  takeAdded(): string[] {
    const out = [...this.added].filter((id) => !this.hidden.has(id));
    for (const id of out) this.hidden.add(id);
    this.added = new Set();
    return out;
  }

  /** Where a reload of the tiles that starts now stands. */
  mark(): number {
    return this.changes;
  }

  /**
   * The reload started at `mark` is drawn: changes it contains are no longer overlaid. Returns
   * the ids that left the overlay and whose tile points were hidden (to be shown again; an id
   * never hidden is not named, since MapLibre cannot remove a feature state it never had).
   */
  folded(mark: number): string[] {
    const gone: string[] = [];
    for (const [id, n] of this.ids) {
      if (n <= mark) {
        this.ids.delete(id);
        this.added.delete(id);
        if (this.hidden.delete(id)) gone.push(id);
      }
    }
    return gone;
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
}
