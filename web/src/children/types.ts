import type { ApiAnswer } from '../api/client.ts';

/** The child's file and a panel member's view, as the API answers them (types generated from the OpenAPI document). */
export type ChildFile = ApiAnswer<'/api/v1/children/{id}'>;
export type BestInterests = ChildFile['best_interests'][number];
export type Verification = ChildFile['verifications'][number];
export type PanelData = ApiAnswer<'/api/v1/panels/{id}'>;
export type ChildListItem = ApiAnswer<'/api/v1/children'>['items'][number];
