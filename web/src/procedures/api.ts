// The public procedures API (no session).

import { get } from '../common/http';
import type { SchemaOr } from '../common/types';

export type Level = 'province' | 'district' | 'commune';
export type Channel = 'direct' | 'online' | 'postal';

export interface Method { channel: Channel; time_limit: string; time_limit_days?: number | null; fee: string; note?: string | null }
export interface Doc { name: string; copies?: string | null; note?: string | null }
export interface Summary {
  code: string; name: string; name_en?: string | null; field: string; field_en?: string | null; level: Level;
  online: boolean; time_limit: string; fee: string; demo: boolean;
}
export interface Detail {
  code: string; name: string; name_en?: string | null; field: string; field_en?: string | null; level: Level;
  steps: string[]; methods: Method[]; documents: Doc[]; applicants: string; agency: string; submit_at: string;
  result: string; legal_basis: string[]; conditions?: string | null; related?: string[]; online_url?: string | null;
  keywords?: string[]; demo: boolean; related_procedures: Summary[];
}
export type Page = SchemaOr<'ProcedurePage', { total: number; items: Summary[]; revision: number }>;
export type Field = SchemaOr<'ProcedureField', { field: string; field_en?: string | null; count: number }>;

export interface Query { q?: string; field?: string; level?: string; offset?: number }

/** The query string of a list request (only the parts set). */
export function listQuery(query: Query, limit = 20): string {
  const p = new URLSearchParams();
  if (query.q?.trim()) p.set('q', query.q.trim());
  if (query.field) p.set('field', query.field);
  if (query.level) p.set('level', query.level);
  p.set('limit', String(limit));
  if (query.offset) p.set('offset', String(query.offset));
  return p.toString();
}

export const list = (query: Query) => get<Page>(`/api/v1/procedures?${listQuery(query)}`);
export const fields = () => get<Field[]>('/api/v1/procedures/fields');
export const one = (code: string) => get<Detail>(`/api/v1/procedures/${encodeURIComponent(code)}`);
