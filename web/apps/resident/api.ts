/** The resident app's API client and session (kept apart from the other apps' sessions). */
import { Api, SessionStore } from '../../shared/api.ts';

export const sessions = new SessionStore('antnest.resident.session');
export const api = new Api(sessions);
