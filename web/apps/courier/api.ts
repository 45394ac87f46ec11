/** The courier app's API client and session. */
import { Api, SessionStore } from '../../shared/api.ts';

export const sessions = new SessionStore('antnest.courier.session');
export const api = new Api(sessions);
