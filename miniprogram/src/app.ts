/**
 * The resident mini-program. Its state lives in lib/ (one session, one API client); the app
 * object only decides the first page: sign-in when there is no session.
 */
import { sessions } from './lib/index.ts';

App({
  onLaunch() {
    if (!sessions.get()) void wx.reLaunch({ url: '/pages/login/index' });
  },
});
