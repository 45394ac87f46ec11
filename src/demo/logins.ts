/** The demo's sign-ins (staff usernames and resident phones), as data and as text for the terminal. */
import * as J from './jinquan.ts';
import type { Role } from '../platform/auth/roles.ts';

/** A demo staff account (password sign-in). */
export interface StaffLogin {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  where: string;
}

/** A demo resident (SMS sign-in with this phone). */
export interface ResidentLogin {
  phone: string;
  displayName: string;
  unit: string;
}

/** The demo logins: staff and residents. */
export interface DemoLogins {
  staff: StaffLogin[];
  residents: ResidentLogin[];
}

/** The demo logins, from the data alone (they are the same on every seeded database). */
export function demoLogins(): DemoLogins {
  return {
    staff: J.demoStaff().map((s) => ({
      username: s.username,
      password: J.DEMO_PASSWORD,
      displayName: s.displayName,
      role: s.role,
      where: J.describeScope(s.scope),
    })),
    residents: J.RESIDENTS.map((r) => ({
      phone: r.phone,
      displayName: r.displayName,
      unit: `${J.describeHome(r)}${r.delivery === 'ask_first' ? '（投柜前需先征得同意）' : ''}${
        r.phone === J.FIRST_ROUND.recipientPhone ? '（首次启动时顺丰送来一件快递，在柜中待取）' : ''
      }`,
    })),
  };
}

/** The demo logins as text for the terminal; with null (seeded on an earlier run) it prints the same fixed list. */
export function printDemoLogins(summary: DemoLogins | null): string {
  const { staff, residents } = summary ?? demoLogins();
  const width = Math.max(...staff.map((s) => s.username.length));
  const roleWidth = Math.max(...staff.map((s) => s.role.length));
  return (
    [
      `Demo staff (password "${J.DEMO_PASSWORD}", sign in with POST /api/v1/auth/login):`,
      ...staff.map(
        (s) =>
          `  ${s.username.padEnd(width)}  ${s.role.padEnd(roleWidth)}  ${s.where}  ${s.displayName}`,
      ),
      'Demo residents (sign in by SMS code with these phones):',
      ...residents.map((r) => `  ${r.phone}  ${r.displayName}  ${r.unit}`),
    ].join('\n') + '\n'
  );
}
