import type { ApiAnswer } from '../api/client.ts';

export type EventList = ApiAnswer<'/api/v1/outreach/events'>;
export type EventItem = EventList['items'][number];
export type EventView = ApiAnswer<'/api/v1/outreach/events/{id}'>;
export type UnitDashboard = ApiAnswer<'/api/v1/outreach/dashboard'>;
