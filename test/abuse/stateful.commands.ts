/**
 * The calls of the stateful attack suite: each is one demo actor calling one route, the
 * model's verdict on whether the rule allows it, and the checks on what came back. A
 * failure names the breach in words, so a shrunk counterexample reads as an attack.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { ROLE_SCOPES, ROLES, type Role, type ScopeKind } from '../../src/platform/auth/roles.ts';
import { DEMO_ACTORS, type DemoActor } from './demo-actors.ts';
import type { IdentityModel } from './identity.model.ts';
import {
  type AttackReal,
  checkAgainstModel,
  NO_SUCH_ID,
  OTHER_PHONES,
  type Target,
} from './stateful.world.ts';

type Res = { statusCode: number; body: string; json(): any };
const ok = (r: Res) => r.statusCode >= 200 && r.statusCode < 300;

/** Calls made and calls the rule allowed, per kind: the suite must exercise both sides of the rule. */
export const tally: Record<string, { calls: number; allowed: number }> = {};

/** Fail with what happened, so the counterexample reads as an attack. */
function verdict(what: string, allowed: boolean, r: Res): void {
  const k = (tally[what.split(' ')[1]!] ??= { calls: 0, allowed: 0 });
  k.calls++;
  if (allowed) k.allowed++;
  if (r.statusCode >= 500) throw new Error(`${what} → ${r.statusCode}: ${r.body.slice(0, 200)}`);
  if (ok(r) && !allowed)
    throw new Error(
      `BREACH: ${what} succeeded (${r.statusCode}) but the rule forbids it: ${r.body.slice(0, 200)}`,
    );
  if (!ok(r) && allowed)
    throw new Error(
      `OVER-REFUSAL: ${what} was refused (${r.statusCode}) but the rule allows it: ${r.body.slice(0, 200)}`,
    );
}

abstract class Step implements fc.AsyncCommand<IdentityModel, AttackReal> {
  constructor(readonly actor: DemoActor) {}
  check(): boolean {
    return true; // an attacker tries anything
  }
  async run(m: IdentityModel, real: AttackReal): Promise<void> {
    const r = await this.act(m, real, real.w.userIds[this.actor]);
    // A full phone in a response is only ever the caller's own.
    const own = m.user(real.w.userIds[this.actor]).phone;
    for (const hit of r.body.matchAll(/(?<![\dA-Za-z])1[3-9]\d{9}(?![\dA-Za-z])/g)) {
      if (hit[0] !== own)
        throw new Error(
          `BREACH: ${this.actor} received the full phone ${hit[0].slice(0, 3)}… in …${r.body.slice(Math.max(0, hit.index - 40), hit.index)}`,
        );
    }
    await checkAgainstModel(m, real);
  }
  protected call(
    real: AttackReal,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<Res> {
    return real.w.call(this.actor, method, url, payload);
  }
  abstract act(m: IdentityModel, real: AttackReal, a: string): Promise<Res>;
  abstract toString(): string;
}

const phoneOf = (m: IdentityModel, name: Target): string | null => {
  const id = m.idOf(name);
  return id ? m.user(id).phone : (OTHER_PHONES as Record<string, string>)[name]!;
};

class Lookup extends Step {
  constructor(
    actor: DemoActor,
    readonly target: Target,
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const t = m.idOf(this.target);
    const phone = phoneOf(m, this.target);
    const r = await this.call(real, 'POST', '/users/lookup', { phone: phone ?? '13899999999' });
    const found =
      t !== null &&
      phone !== null &&
      m.canAct(a) &&
      m.isManager(a) &&
      (m.isPlatformAdmin(a) || m.visibleGrants(a, t).length > 0);
    verdict(`${this.actor} looks up ${this.target}'s phone`, found, r);
    if (ok(r))
      expect(
        r
          .json()
          .grants.map((g: { id: string }) => g.id)
          .sort(),
        `${this} shows roles outside scope`,
      ).toEqual(
        m
          .visibleGrants(a, t!)
          .map((g) => g.id)
          .sort(),
      );
    return r;
  }
  toString = () => `${this.actor} lookup(${this.target})`;
}

class View extends Step {
  constructor(
    actor: DemoActor,
    readonly target: Target,
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const t = m.idOf(this.target) ?? NO_SUCH_ID;
    const r = await this.call(real, 'GET', `/users/${t}`);
    verdict(
      `${this.actor} views ${this.target} in full`,
      m.canAct(a) && m.isManager(a) && (a === t || m.mayManage(a, t)),
      r,
    );
    return r;
  }
  toString = () => `${this.actor} view(${this.target})`;
}

class List extends Step {
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const r = await this.call(real, 'GET', '/users?limit=500');
    verdict(`${this.actor} lists users`, m.canAct(a) && m.isManager(a), r);
    for (const u of ok(r) ? (r.json() as { id: string; grants: { id: string }[] }[]) : []) {
      const visible = m.visibleGrants(a, u.id).map((g) => g.id);
      if (visible.length === 0)
        throw new Error(`BREACH: ${this.actor} lists user ${u.id}, who has no role in its places`);
      for (const g of u.grants)
        if (!visible.includes(g.id))
          throw new Error(`BREACH: ${this.actor} sees role ${g.id} outside its places`);
    }
    return r;
  }
  toString = () => `${this.actor} list()`;
}

class Create extends Step {
  constructor(
    actor: DemoActor,
    readonly who: 'newbie' | 'fresh1' | 'fresh2' | 'qsh2',
    readonly role: Role,
    readonly place: string,
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const { kind, id } = real.places[this.place]!;
    const phone = phoneOf(m, this.who)!;
    const r = await this.call(real, 'POST', '/users', {
      displayName: `建档${this.who}`,
      phone,
      grant: { role: this.role, scopeKind: kind, scopeId: id },
    });
    const existing = m.userByPhone(phone);
    // A new phone is created, a phone with no role yet is adopted; any other existing account is a 409.
    verdict(
      `${this.actor} creates ${this.who} as ${this.role}@${this.place}`,
      m.mayCreate(a, this.role, kind, id) && (!existing || existing.grants.length === 0),
      r,
    );
    if (ok(r)) {
      const g = r.json().grants[0];
      const grant = { id: g.id, role: this.role, scopeKind: kind, scopeId: id };
      if (existing) Object.assign(existing, { name: `建档${this.who}`, grants: [grant] });
      else
        m.users.set(r.json().id, {
          id: r.json().id,
          name: `建档${this.who}`,
          phone,
          status: 'active',
          grants: [grant],
          sessionLive: false,
        });
      m.names.set(this.who, r.json().id);
    }
    return r;
  }
  toString = () => `${this.actor} create(${this.who}, ${this.role}@${this.place})`;
}

class Grant extends Step {
  constructor(
    actor: DemoActor,
    readonly target: Target,
    readonly role: Role,
    readonly place: string,
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const t = m.idOf(this.target) ?? NO_SUCH_ID;
    const { kind, id } = real.places[this.place]!;
    const r = await this.call(real, 'POST', `/users/${t}/grants`, {
      role: this.role,
      scopeKind: kind,
      scopeId: id,
    });
    verdict(
      `${this.actor} gives ${this.target} ${this.role}@${this.place}`,
      m.mayGrant(a, t, this.role, kind, id),
      r,
    );
    const u = m.users.get(t);
    if (ok(r) && u && !u.grants.some((g) => g.id === r.json().id))
      u.grants.push({ id: r.json().id, role: this.role, scopeKind: kind, scopeId: id });
    return r;
  }
  toString = () => `${this.actor} grant(${this.target}, ${this.role}@${this.place})`;
}

class Revoke extends Step {
  constructor(
    actor: DemoActor,
    readonly target: Target,
    readonly pick: number,
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const t = m.idOf(this.target) ?? NO_SUCH_ID;
    const u = m.users.get(t);
    const g = u?.grants.length ? u.grants[this.pick % u.grants.length]! : null;
    const r = await this.call(real, 'DELETE', `/users/${t}/grants/${g?.id ?? NO_SUCH_ID}`);
    verdict(
      `${this.actor} revokes ${this.target}'s ${g ? `${g.role}@${g.scopeKind}` : 'missing role'}`,
      g !== null && m.mayManage(a, t),
      r,
    );
    if (ok(r)) u!.grants = u!.grants.filter((x) => x !== g);
    return r;
  }
  toString = () => `${this.actor} revoke(${this.target}, #${this.pick})`;
}

class Edit extends Step {
  constructor(
    actor: DemoActor,
    readonly target: Target,
    readonly patch: { status?: 'active' | 'disabled'; displayName?: string },
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const t = m.idOf(this.target) ?? NO_SUCH_ID;
    const r = await this.call(real, 'PATCH', `/users/${t}`, this.patch);
    verdict(
      `${this.actor} edits ${this.target} ${JSON.stringify(this.patch)}`,
      m.mayManage(a, t),
      r,
    );
    if (ok(r)) {
      const u = m.user(t);
      if (this.patch.displayName) u.name = this.patch.displayName;
      if (this.patch.status) u.status = this.patch.status;
      if (this.patch.status === 'disabled') u.sessionLive = false;
    }
    return r;
  }
  toString = () => `${this.actor} edit(${this.target}, ${JSON.stringify(this.patch)})`;
}

class CommunityParcels extends Step {
  constructor(
    actor: DemoActor,
    readonly community: 'qsh' | 'sx',
  ) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const c = real.w.ids[this.community];
    const r = await this.call(real, 'POST', `/communities/${c}/parcels/search`, {});
    verdict(
      `${this.actor} lists ${this.community}'s parcels`,
      m.canAct(a) && m.maySearchCommunityParcels(a, c),
      r,
    );
    for (const p of ok(r) ? (r.json() as { parcelId: string }[]) : []) {
      const known = real.parcels[p.parcelId];
      if (known?.community !== c || !m.parcelInArea(a, known.site))
        throw new Error(`BREACH: ${this.actor} sees parcel ${p.parcelId} outside its area`);
    }
    return r;
  }
  toString = () => `${this.actor} parcels(${this.community})`;
}

class MyParcels extends Step {
  async act(m: IdentityModel, real: AttackReal, a: string): Promise<Res> {
    const r = await this.call(real, 'GET', '/me/parcels?include=recent');
    verdict(`${this.actor} lists its own parcels`, m.canAct(a), r);
    for (const p of ok(r) ? (r.json() as { parcelId: string }[]) : [])
      if (real.parcels[p.parcelId]?.recipient !== a)
        throw new Error(
          `BREACH: ${this.actor} sees parcel ${p.parcelId} addressed to someone else`,
        );
    return r;
  }
  toString = () => `${this.actor} myParcels()`;
}

/** Managers act more often than others: they hold the powers worth abusing. */
const actor = fc.oneof(
  {
    arbitrary: fc.constantFrom<DemoActor>('admin', 'jq.officer', 'qsh.worker', 'sx.worker'),
    weight: 3,
  },
  { arbitrary: fc.constantFrom(...DEMO_ACTORS), weight: 2 },
);
const target = fc.oneof(
  { arbitrary: fc.constantFrom<Target>(...DEMO_ACTORS), weight: 4 },
  { arbitrary: fc.constantFrom<Target>('newbie', 'fresh1', 'fresh2'), weight: 1 },
);

/** The call arbitraries, over the world's places (mostly a role on a kind of place it may be granted on). */
export function attackCommands(
  places: Record<string, { kind: ScopeKind }>,
): fc.Arbitrary<fc.AsyncCommand<IdentityModel, AttackReal>>[] {
  const valid = ROLES.flatMap((role) =>
    Object.entries(places)
      .filter(([, p]) => ROLE_SCOPES[role].includes(p.kind))
      .map(([name]) => [role, name] as const),
  );
  const roleAndPlace = fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 9 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...ROLES), fc.constantFrom(...Object.keys(places))),
      weight: 1,
    },
  );
  return [
    fc.tuple(actor, target).map(([a, t]) => new Lookup(a, t)),
    fc.tuple(actor, target).map(([a, t]) => new View(a, t)),
    actor.map((a) => new List(a)),
    fc
      .tuple(
        actor,
        fc.constantFrom('newbie', 'fresh1', 'fresh2', 'qsh2') as fc.Arbitrary<
          'newbie' | 'fresh1' | 'fresh2' | 'qsh2'
        >,
        roleAndPlace,
      )
      .map(([a, w, [r, p]]) => new Create(a, w, r, p)),
    fc.tuple(actor, target, roleAndPlace).map(([a, t, [r, p]]) => new Grant(a, t, r, p)),
    fc.tuple(actor, target, roleAndPlace).map(([a, t, [r, p]]) => new Grant(a, t, r, p)),
    fc.tuple(actor, target, fc.nat(5)).map(([a, t, n]) => new Revoke(a, t, n)),
    fc
      .tuple(
        actor,
        target,
        fc.constantFrom<{ status?: 'active' | 'disabled'; displayName?: string }>(
          { status: 'disabled' },
          { status: 'active' },
          { displayName: '改名测试' },
        ),
      )
      .map(([a, t, p]) => new Edit(a, t, p)),
    fc
      .tuple(actor, fc.constantFrom<'qsh' | 'sx'>('qsh', 'sx'))
      .map(([a, c]) => new CommunityParcels(a, c)),
    actor.map((a) => new MyParcels(a)),
  ];
}
