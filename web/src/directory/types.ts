import type { ApiAnswer } from '../api/client.ts';

export type EntryList = ApiAnswer<'/api/v1/directory/services'>;
export type EntryItem = EntryList['items'][number];
export type Entry = ApiAnswer<'/api/v1/directory/services/{id}'>;
export type Vocabularies = ApiAnswer<'/api/v1/directory/vocabularies'>;
