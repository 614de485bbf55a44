/** The tables of the lobby display, as Kysely sees them (see schema.ts for the conventions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by its migration
export interface DisplayTables {}
