/** Row types of the needs module, for services that should not import a repository for a type. */
export type { NeedRow, NeedEventRow } from './need.repository.ts';
export type { Channel, NeedStatus, Party } from './need.table.ts';
