/**
 * Stateful attack suite (issue 13, Deliver 2): attacks are sequences of allowed calls, not
 * single routes. fast-check draws a sequence of calls (look-up, view, list, grant, revoke,
 * rename, disable, enable, parcel lists) made by every demo role — resident, courier, grid
 * worker, hall staff, partner, the community worker of each community, the subdistrict
 * officer, the admin — against the demo world, and after every step checks the server
 * against the model (identity.model.ts):
 *
 *   - nothing succeeds that the model forbids (no grant, edit, disable, revoke or full
 *     view outside one's scope and rank), and what it allows is not refused;
 *   - a look-up, list or parcel list shows only users, roles and parcels inside scope,
 *     and no full phone number but the caller's own;
 *   - the database holds exactly the model's roles and statuses (a refusal changed nothing);
 *   - an active platform admin remains.
 *
 * CI runs fixed seeds, short. Replay or explore locally:
 *   STATEFUL_SEED=<seed> STATEFUL_PATH=<path> [STATEFUL_REPLAY=<replayPath>] npx vitest run test/abuse/stateful.test.ts
 * (fast-check prints the seed, the path and the shrunk counterexample with its replayPath on failure)
 *   STATEFUL_SEED=random STATEFUL_RUNS=300 STATEFUL_COMMANDS=60 npx vitest run test/abuse/stateful.test.ts
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLE_SCOPES, ROLES, type Role, type ScopeKind } from '../../src/platform/auth/roles.ts';
import { describeEachDialect } from '../harness.ts';
import { buildDemoWorld, DEMO_ACTORS, type DemoActor, type DemoWorld } from './demo-actors.ts';
import { type IdentityModel } from './identity.model.ts';
import { type AttackReal, buildAttackReal, checkAgainstModel, NO_SUCH_ID, resetWorld } from './stateful.world.ts';

const env = process.env;
const seed = env['STATEFUL_SEED'] === 'random' ? Date.now() % 2 ** 31 : Number(env['STATEFUL_SEED'] ?? 1305);
const numRuns = Number(env['STATEFUL_RUNS'] ?? 40);
const maxCommands = Number(env['STATEFUL_COMMANDS'] ?? 30);

type Res = { statusCode: number; body: string; json(): any };
const ok = (r: Res) => r.statusCode >= 200 && r.statusCode < 300;

/** Calls made and calls the rule allowed, per kind: the suite must exercise both sides of the rule. */
const tally: Record<string, { calls: number; allowed: number }> = {};

/** Fail with what happened, so the counterexample reads as an attack. */
function verdict(what: string, allowed: boolean, r: Res): void {
  const kind = what.split(' ')[1]!;
  const k = (tally[kind] ??= { calls: 0, allowed: 0 });
  k.calls++;
  if (allowed) k.allowed++;
  if (ok(r) && !allowed) throw new Error(`BREACH: ${what} succeeded (${r.statusCode}) but the rule forbids it: ${r.body.slice(0, 200)}`);
  if (!ok(r) && allowed) throw new Error(`OVER-REFUSAL: ${what} was refused (${r.statusCode}) but the rule allows it: ${r.body.slice(0, 200)}`);
  if (r.statusCode >= 500) throw new Error(`${what} → ${r.statusCode}`);
}

/** A full phone in a response is only ever the caller's own. */
function noForeignPhone(m: IdentityModel, real: AttackReal, actor: DemoActor, r: Res): void {
  const own = m.user(real.w.userIds[actor]).phone;
  for (const hit of r.body.match(/(?<!\d)1[3-9]\d{9}(?!\d)/g) ?? []) if (hit !== own) throw new Error(`BREACH: ${actor} received the full phone ${hit.slice(0, 3)}…`);
}

abstract class Step implements fc.AsyncCommand<IdentityModel, AttackReal> {
  constructor(readonly actor: DemoActor) {}
  check(): boolean {
    return true; // an attacker tries anything
  }
  protected as(real: AttackReal, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<Res> {
    return real.w.call(this.actor, method, url, payload);
  }
  protected id(real: AttackReal, who: DemoActor): string {
    return real.w.userIds[who];
  }
  async run(m: IdentityModel, real: AttackReal): Promise<void> {
    const r = await this.act(m, real);
    noForeignPhone(m, real, this.actor, r);
    await checkAgainstModel(m, real);
  }
  abstract act(m: IdentityModel, real: AttackReal): Promise<Res>;
  abstract toString(): string;
}

class Lookup extends Step {
  constructor(actor: DemoActor, readonly target: DemoActor) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const t = m.user(this.id(real, this.target));
    const r = await this.as(real, 'POST', '/users/lookup', { phone: t.phone ?? '13899999999' });
    const seen = m.canAct(this.id(real, this.actor)) && m.isManager(this.id(real, this.actor)) && t.phone !== null && (m.isPlatformAdmin(this.id(real, this.actor)) || m.visibleGrants(this.id(real, this.actor), t.id).length > 0);
    verdict(`${this.actor} looks up ${this.target}'s phone`, seen, r);
    if (ok(r)) expect(r.json().grants.map((g: { id: string }) => g.id).sort(), `${this} shows roles outside scope`).toEqual(m.visibleGrants(this.id(real, this.actor), t.id).map((g) => g.id).sort());
    return r;
  }
  toString = () => `${this.actor} lookup(${this.target})`;
}

class View extends Step {
  constructor(actor: DemoActor, readonly target: DemoActor) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const [a, t] = [this.id(real, this.actor), this.id(real, this.target)];
    const r = await this.as(real, 'GET', `/users/${t}`);
    verdict(`${this.actor} views ${this.target} in full`, m.canAct(a) && m.isManager(a) && (a === t || m.mayManage(a, t)), r);
    return r;
  }
  toString = () => `${this.actor} view(${this.target})`;
}

class List extends Step {
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const a = this.id(real, this.actor);
    const r = await this.as(real, 'GET', '/users?limit=500');
    verdict(`${this.actor} lists users`, m.canAct(a) && m.isManager(a), r);
    if (ok(r)) {
      for (const u of r.json() as { id: string; grants: { id: string }[] }[]) {
        const visible = m.visibleGrants(a, u.id).map((g) => g.id);
        if (visible.length === 0) throw new Error(`BREACH: ${this.actor} lists user ${u.id}, who has no role in its places`);
        for (const g of u.grants) if (!visible.includes(g.id)) throw new Error(`BREACH: ${this.actor} sees role ${g.id} outside its places`);
      }
    }
    return r;
  }
  toString = () => `${this.actor} list()`;
}

class Grant extends Step {
  constructor(actor: DemoActor, readonly target: DemoActor, readonly role: Role, readonly place: string) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const [a, t] = [this.id(real, this.actor), this.id(real, this.target)];
    const { kind, id } = real.places[this.place]!;
    const r = await this.as(real, 'POST', `/users/${t}/grants`, { role: this.role, scopeKind: kind, scopeId: id });
    verdict(`${this.actor} gives ${this.target} ${this.role}@${this.place}`, m.mayGrant(a, t, this.role, kind, id), r);
    const u = m.user(t);
    if (ok(r) && !u.grants.some((g) => g.id === r.json().id)) u.grants.push({ id: r.json().id, role: this.role, scopeKind: kind, scopeId: id });
    return r;
  }
  toString = () => `${this.actor} grant(${this.target}, ${this.role}@${this.place})`;
}

class Revoke extends Step {
  constructor(actor: DemoActor, readonly target: DemoActor, readonly pick: number) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const [a, t] = [this.id(real, this.actor), this.id(real, this.target)];
    const u = m.user(t);
    const g = u.grants.length ? u.grants[this.pick % u.grants.length]! : null;
    const r = await this.as(real, 'DELETE', `/users/${t}/grants/${g?.id ?? NO_SUCH_ID}`);
    verdict(`${this.actor} revokes ${this.target}'s ${g ? `${g.role}@${g.scopeKind}` : 'missing role'}`, g !== null && m.mayManage(a, t), r);
    if (ok(r)) u.grants = u.grants.filter((x) => x !== g);
    return r;
  }
  toString = () => `${this.actor} revoke(${this.target}, #${this.pick})`;
}

class Edit extends Step {
  constructor(actor: DemoActor, readonly target: DemoActor, readonly patch: { status?: 'active' | 'disabled'; displayName?: string }) {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const [a, t] = [this.id(real, this.actor), this.id(real, this.target)];
    const r = await this.as(real, 'PATCH', `/users/${t}`, this.patch);
    verdict(`${this.actor} edits ${this.target} ${JSON.stringify(this.patch)}`, m.mayManage(a, t), r);
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
  constructor(actor: DemoActor, readonly community: 'qsh' | 'sx') {
    super(actor);
  }
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const a = this.id(real, this.actor);
    const c = real.w.ids[this.community];
    const r = await this.as(real, 'GET', `/communities/${c}/parcels`);
    verdict(`${this.actor} lists ${this.community}'s parcels`, m.canAct(a) && m.maySeeCommunityParcels(a, c), r);
    if (ok(r)) for (const p of r.json() as { parcelId: string }[]) if (real.parcels[p.parcelId]?.community !== c) throw new Error(`BREACH: ${this.actor} sees parcel ${p.parcelId} of another community`);
    return r;
  }
  toString = () => `${this.actor} parcels(${this.community})`;
}

class MyParcels extends Step {
  async act(m: IdentityModel, real: AttackReal): Promise<Res> {
    const a = this.id(real, this.actor);
    const r = await this.as(real, 'GET', '/me/parcels?include=recent');
    verdict(`${this.actor} lists its own parcels`, m.canAct(a), r);
    if (ok(r)) for (const p of r.json() as { parcelId: string }[]) if (real.parcels[p.parcelId]?.recipient !== a) throw new Error(`BREACH: ${this.actor} sees parcel ${p.parcelId} addressed to someone else`);
    return r;
  }
  toString = () => `${this.actor} myParcels()`;
}

/** Managers act three times as often as others: they hold the powers worth abusing. */
const actor = fc.oneof({ arbitrary: fc.constantFrom<DemoActor>('admin', 'jq.officer', 'qsh.worker', 'sx.worker'), weight: 3 }, { arbitrary: fc.constantFrom(...DEMO_ACTORS), weight: 2 });
const target = fc.constantFrom(...DEMO_ACTORS);
/** Mostly a role on a kind of place it may be granted on; sometimes a mismatch. */
const roleAndPlace = (places: Record<string, { kind: ScopeKind }>) => {
  const valid = ROLES.flatMap((role) => Object.entries(places).filter(([, p]) => ROLE_SCOPES[role].includes(p.kind)).map(([name]) => [role, name] as const));
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 9 }, { arbitrary: fc.tuple(fc.constantFrom(...ROLES), fc.constantFrom(...Object.keys(places))), weight: 1 });
};
const commands = (places: Record<string, { kind: ScopeKind }>) => [
  fc.tuple(actor, target).map(([a, t]) => new Lookup(a, t)),
  fc.tuple(actor, target).map(([a, t]) => new View(a, t)),
  actor.map((a) => new List(a)),
  fc.tuple(actor, target, roleAndPlace(places)).map(([a, t, [r, p]]) => new Grant(a, t, r, p)),
  fc.tuple(actor, target, roleAndPlace(places)).map(([a, t, [r, p]]) => new Grant(a, t, r, p)),
  fc.tuple(actor, target, fc.nat(5)).map(([a, t, n]) => new Revoke(a, t, n)),
  fc.tuple(actor, target, fc.constantFrom<{ status?: 'active' | 'disabled'; displayName?: string }>({ status: 'disabled' }, { status: 'active' }, { displayName: '改名测试' })).map(([a, t, p]) => new Edit(a, t, p)),
  fc.tuple(actor, fc.constantFrom<'qsh' | 'sx'>('qsh', 'sx')).map(([a, c]) => new CommunityParcels(a, c)),
  actor.map((a) => new MyParcels(a)),
];

describeEachDialect('abuse: stateful attack sequences by every demo role', (dialect) => {
  let w: DemoWorld;
  let real: AttackReal;
  beforeAll(async () => {
    w = await buildDemoWorld(dialect);
    real = await buildAttackReal(w);
  }, 120_000);
  afterAll(async () => w?.t.close());

  it(`no sequence of allowed calls escalates, leaks or changes what the rule forbids (seed ${seed}, ${numRuns} runs × ≤ ${maxCommands} calls)`, async () => {
    for (const k of Object.keys(tally)) delete tally[k];
    const path = env['STATEFUL_PATH'];
    const replayPath = env['STATEFUL_REPLAY'];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands(real.places), { maxCommands, size: 'max', ...(replayPath ? { replayPath } : {}) }), async (cmds) => {
        const model = await resetWorld(real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { seed, numRuns, ...(path ? { path } : {}) },
    );
    console.log(`stateful [${dialect}] seed ${seed}: ${JSON.stringify(tally)}`);
    // Both sides of the rule were exercised: allowed changes happened, and so did refused attacks.
    for (const kind of ['gives', 'revokes', 'edits', 'looks']) {
      expect(tally[kind]?.allowed, `allowed ${kind}`).toBeGreaterThan(0);
      expect(tally[kind]!.calls - tally[kind]!.allowed, `refused ${kind}`).toBeGreaterThan(0);
    }
  }, 300_000);
});
