// The API calls more than one page makes. Each page's own calls are in its folder's api.ts.

import { get, send } from './http';
import type { AreaCollection, Categories, Ticket, User } from './types';

/** Who is signed in (401 when nobody is). */
export const session = () => get<User>('/api/v1/session');

export const signIn = (name: string, password: string) => send<User>('POST', '/api/v1/session', { name, password });

export const signOut = () => send<null>('DELETE', '/api/v1/session');

export const categories = () => get<Categories>('/api/v1/categories');

export const areas = (level: 'district' | 'ward') => get<AreaCollection>(`/api/v1/areas?level=${level}`);

/** A ticket by id or code, as this viewer may see it. */
export const ticket = (idOrCode: string) => get<Ticket>(`/api/v1/tickets/${encodeURIComponent(idOrCode)}`);
