// API types used by the wall. They mirror the schemas of /api/v1/openapi.json (TicketView,
// area feature properties); `npm run gen:types` regenerates api.gen.ts from a running server
// for comparison when the server's schemas change.

export type Status =
  | 'received' | 'assigned' | 'accepted' | 'in_progress' | 'returned'
  | 'resolved' | 'closed' | 'rejected' | 'duplicate';

/** Statuses in which a ticket is still being handled (domain `Status::is_open`). */
export const OPEN_STATUSES: readonly Status[] = ['received', 'assigned', 'accepted', 'in_progress', 'returned'];

export interface AreaStats {
  counts: Partial<Record<Status, number>>;
  total: number;
  open: number;
  overdue: number;
}

export interface AreaProps {
  code: string;
  name: string;
  name_en?: string | null;
  level: 'district' | 'ward' | string;
  parent?: string | null;
  stats: AreaStats;
}

export interface AreaFeature {
  type: 'Feature';
  geometry: GeoJSON.Geometry;
  properties: AreaProps;
}

export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}

export interface Ticket {
  id: string;
  code: string;
  status: Status;
  category: string;
  description?: string;
  location: { lon: number; lat: number };
  address?: string | null;
  area?: string | null;
  area_name?: string | null;
  unit?: string | null;
  priority?: string;
  received_at: string;
  deadline: string;
  resolved_at?: string | null;
  closed_at?: string | null;
  overdue: boolean;
  late?: boolean;
}

export interface TicketPage {
  items: Ticket[];
  next_cursor?: string | null;
}

export interface Category {
  code: string;
  field?: string;
  name_vi: string;
  name_en?: string | null;
}

export interface Categories {
  fields: Category[];
  categories: Category[];
}
