/** What ingest says about one device message (shared by the ingest files and the runtime). */
export type IngestResult = { applied: true; what: string } | { applied: false; reason: string };
