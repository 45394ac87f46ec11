/** English for the ledger screens: Chinese source text → English (a missing entry shows the Chinese). */
export const EN_LEDGER: Record<string, string> = {};
