/** English for the needs screens: Chinese source text → English (a missing entry shows the Chinese). */
export const EN_NEEDS: Record<string, string> = {};
