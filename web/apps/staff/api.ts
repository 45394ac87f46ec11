/** The staff console's API client and session. */
import { Api, SessionStore } from '../../shared/api.ts';

export const sessions = new SessionStore('antnest.staff.session');
export const api = new Api(sessions);
