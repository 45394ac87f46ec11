/** English for the notices screens: Chinese source text → English (a missing entry shows the Chinese). */
export const EN_NOTICES: Record<string, string> = {};
