/** The tables of shop mode, as Kysely sees them (see schema.ts for the conventions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by its migration
export interface ShopTables {}
