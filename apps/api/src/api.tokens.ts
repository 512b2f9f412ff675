/** Injection token of the API's Redis client (rate limits, Telegram link codes). */
export const API_REDIS = Symbol('API_REDIS');
