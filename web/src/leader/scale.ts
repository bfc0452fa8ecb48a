// The measures the map can show, where each one's value is in a row of the statistics, and the
// colour scale that turns a value into an area's colour: red → yellow → green from worse to
// better for the measures that have a better side, light to dark blue for the volume of reports
// (more reports are neither good nor bad). Pure functions (scale.test.ts).

import type { Direction, Kind } from './format';
import type { MeasureId } from './state';
import type { TextKey } from './texts';

/** The part of a statistics row (`StatsRow`) the map reads. */
export interface RowLike {
  measures: { on_time_rate?: number | null; lateness_rate?: number | null; overdue: number };
  satisfaction?: { index?: number | null; per_10k?: number | null } | null;
}

export interface MeasureDef {
  id: MeasureId;
  label: TextKey;
  kind: Kind;
  dir: Direction;
  value(row: RowLike): number | null;
  /** A fixed domain, so that colours mean the same in every view; else from the values shown. */
  fixed?: [number, number];
}

export const MEASURE_DEFS: Record<MeasureId, MeasureDef> = {
  on_time_rate: { id: 'on_time_rate', label: 'on_time_rate', kind: 'rate', dir: 'up', value: (r) => r.measures.on_time_rate ?? null, fixed: [0.5, 1] },
  lateness_rate: { id: 'lateness_rate', label: 'lateness_rate', kind: 'rate', dir: 'down', value: (r) => r.measures.lateness_rate ?? null, fixed: [0, 0.5] },
  overdue: { id: 'overdue', label: 'overdue', kind: 'count', dir: 'down', value: (r) => r.measures.overdue },
  per_10k: { id: 'per_10k', label: 'per_10k', kind: 'per10k', dir: 'neutral', value: (r) => r.satisfaction?.per_10k ?? null },
  satisfaction: { id: 'satisfaction', label: 'satisfaction', kind: 'index', dir: 'up', value: (r) => r.satisfaction?.index ?? null, fixed: [40, 100] },
};

/** The colour of an area without a value (no tickets, no residents' figure, outside the scope). */
export const NO_DATA = '#cfd6dd';

/** Worse → better (ColorBrewer RdYlGn), and the volume's light → dark blue. */
export const DIVERGING = ['#d73027', '#fc8d59', '#fee08b', '#91cf60', '#1a9850'] as const;
export const SEQUENTIAL = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;

type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hex = (c: Rgb) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

/** The colour at `t` (0–1) along `stops`, interpolated in RGB. */
export function ramp(stops: readonly string[], t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const [a, b] = [rgb(stops[i]), rgb(stops[i + 1])];
  const f = x - i;
  return hex([0, 1, 2].map((k) => a[k] + (b[k] - a[k]) * f) as Rgb);
}

export interface Scale {
  domain: [number, number];
  /** Colours from the low end of the domain to the high end (for the legend). */
  stops: readonly string[];
  colour(v: number | null | undefined): string;
}

/**
 * The scale of `def` for the values shown: its fixed domain, or 0 to the largest value (at
 * least 1); a value outside the domain takes the colour of the nearer end.
 */
export function colourScale(def: MeasureDef, values: readonly (number | null | undefined)[]): Scale {
  const shown = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const domain: [number, number] = def.fixed ?? [0, Math.max(1, ...shown)];
  const stops = def.dir === 'neutral' ? SEQUENTIAL : def.dir === 'up' ? DIVERGING : [...DIVERGING].reverse();
  return {
    domain,
    stops,
    colour(v) {
      if (v === null || v === undefined || !Number.isFinite(v)) return NO_DATA;
      return ramp(stops, (v - domain[0]) / (domain[1] - domain[0] || 1));
    },
  };
}

/** Dark or light text, whichever reads on `background`. */
export function textOn(background: string): string {
  const [r, g, b] = rgb(background);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#0b1a2a' : '#ffffff';
}
