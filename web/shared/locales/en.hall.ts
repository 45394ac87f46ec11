/** English for the hall screens: Chinese source text → English (a missing entry shows the Chinese). */
export const EN_HALL: Record<string, string> = {};
