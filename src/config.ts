/**
 * The only reader of process.env. Settings come from flags, then the environment, then
 * defaults; each is validated once and the result is frozen. A bad value throws a
 * ConfigError naming the setting, and start-up stops with that message.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDemoSecrets, type Secrets } from './platform/crypto/secrets.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly demo: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        readonly schema: string | undefined;
        readonly poolSize: number;
      };
  readonly mqtt:
    | { readonly kind: 'embedded'; readonly port: number }
    | { readonly kind: 'external'; readonly url: string; readonly shared: boolean };
  /** The broker address lockers should connect to, handed out in the provisioning answer; null = not configured. */
  readonly mqttPublicUrl: string | null;
  /** Run the demo subdistrict's lockers as simulated devices in this process (demo mode). */
  readonly demoFleet: boolean;
  readonly lockerOfflineAlertMinutes: number;
  /** This node's name in a cluster: its MQTT client id suffix and the holder of job leases. Unique per running node. */
  readonly nodeId: string;
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean;
  readonly bodyLimit: number;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  /** WeChat sign-in and subscribe messages: 'local' accepts demo codes (demo and tests only), 'off' refuses them (ADR 0033). */
  readonly wechatProvider: 'local' | 'off';
  readonly secrets: Secrets;
}

/** A setting had a value antnest cannot use; the message names the setting. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`Configuration error in ${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Flags given on the command line, by setting name (e.g. { port: '9000', demo: true }). */
export type Flags = Partial<Record<string, string | boolean>>;

type Env = Record<string, string | undefined>;

/** Read, validate and freeze the configuration. */
export function loadConfig(env: Env = process.env, flags: Flags = {}): Config {
  const read = (flag: string, envName: string): string | undefined => {
    const f = flags[flag];
    if (typeof f === 'string') return f;
    if (f === true) return 'true';
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };
  const name = (flag: string, envName: string) => `--${flag} / ${envName}`;

  const bool = (flag: string, envName: string, dflt: boolean): boolean => {
    const v = read(flag, envName);
    if (v === undefined) return dflt;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new ConfigError(name(flag, envName), `expected true or false, got "${v}".`);
  };
  const int = (flag: string, envName: string, dflt: number, min: number, max: number): number => {
    const v = read(flag, envName);
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new ConfigError(
        name(flag, envName),
        `expected a whole number from ${min} to ${max}, got "${v}".`,
      );
    }
    return Number(v);
  };

  const demo = bool('demo', 'ANTNEST_DEMO', false);
  const dataDir = path.resolve(read('data-dir', 'DATA_DIR') ?? './data');
  const host = read('host', 'HOST') ?? '127.0.0.1';
  const port = int('port', 'PORT', 8080, 0, 65535);
  const logLevel = (read('log-level', 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      name('log-level', 'LOG_LEVEL'),
      `expected one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}".`,
    );
  }

  const wechatProvider = read('wechat-provider', 'WECHAT_PROVIDER') ?? (demo ? 'local' : 'off');
  if (wechatProvider !== 'local' && wechatProvider !== 'off')
    throw new ConfigError(
      name('wechat-provider', 'WECHAT_PROVIDER'),
      `expected local or off (a real WeChat adapter is wired in src/platform/wechat/wechat.port.ts), got "${wechatProvider}".`,
    );

  const databaseUrl = read('database-url', 'DATABASE_URL');
  let database: Config['database'];
  if (databaseUrl === undefined) {
    database = { kind: 'sqlite', file: path.join(dataDir, 'antnest.db') };
  } else if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    try {
      new URL(databaseUrl);
    } catch {
      throw new ConfigError(
        name('database-url', 'DATABASE_URL'),
        'is not a valid postgres:// URL.',
      );
    }
    const schema = read('database-schema', 'DATABASE_SCHEMA');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(
        name('database-schema', 'DATABASE_SCHEMA'),
        'expected a lower-case SQL identifier.',
      );
    }
    database = {
      kind: 'postgres',
      url: databaseUrl,
      schema,
      poolSize: int('database-pool-size', 'DATABASE_POOL_SIZE', 10, 1, 200),
    };
  } else if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '')
      throw new ConfigError(
        name('database-url', 'DATABASE_URL'),
        'sqlite: needs a file path, e.g. sqlite:./data/antnest.db or sqlite::memory:.',
      );
    database = { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  } else {
    throw new ConfigError(
      name('database-url', 'DATABASE_URL'),
      'expected postgres://user@host:port/db or sqlite:path.',
    );
  }

  const mqttUrl = read('mqtt-url', 'MQTT_URL');
  let mqtt: Config['mqtt'];
  if (mqttUrl === undefined) {
    mqtt = { kind: 'embedded', port: int('mqtt-port', 'MQTT_PORT', 1883, 0, 65535) };
  } else {
    let u: URL;
    try {
      u = new URL(mqttUrl);
    } catch {
      throw new ConfigError(
        name('mqtt-url', 'MQTT_URL'),
        'is not a valid URL; expected mqtt://host:1883.',
      );
    }
    if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:')
      throw new ConfigError(
        name('mqtt-url', 'MQTT_URL'),
        `expected mqtt:// or mqtts://, got ${u.protocol}//.`,
      );
    mqtt = { kind: 'external', url: mqttUrl, shared: bool('mqtt-shared', 'MQTT_SHARED', true) };
  }
  const mqttPublicUrl = read('mqtt-public-url', 'MQTT_PUBLIC_URL') ?? null;
  if (mqttPublicUrl !== null) {
    let u: URL | undefined;
    try {
      u = new URL(mqttPublicUrl);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') || u.username || u.password)
      throw new ConfigError(
        name('mqtt-public-url', 'MQTT_PUBLIC_URL'),
        'expected mqtt://host:1883 or mqtts://host:8883 (no credentials: each locker gets its own).',
      );
  }

  // The default is unique per process and start, so two nodes never share an MQTT client id by accident.
  const nodeId =
    read('node-id', 'NODE_ID') ??
    `${os.hostname().slice(0, 40)}-${process.pid}-${randomBytes(2).toString('hex')}`.replace(
      /[^A-Za-z0-9_.-]/g,
      '-',
    );
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId))
    throw new ConfigError(
      name('node-id', 'NODE_ID'),
      `expected 1–64 letters, digits, '.', '_' or '-', got "${nodeId}".`,
    );

  const secretFromEnv = (envName: string, minBytes: number): Buffer | undefined => {
    const v = env[envName];
    if (v === undefined || v === '') return undefined;
    const buf = Buffer.from(v, 'base64');
    if (buf.length < minBytes || !/^[A-Za-z0-9+/=_-]+$/.test(v)) {
      throw new ConfigError(
        envName,
        `expected at least ${minBytes} random bytes in base64 (generate with: openssl rand -base64 32).`,
      );
    }
    return buf;
  };
  const given = {
    tokenKey: secretFromEnv('ANTNEST_TOKEN_KEY', 32),
    phoneKey: secretFromEnv('ANTNEST_PHONE_KEY', 32),
    phoneHashKey: secretFromEnv('ANTNEST_PHONE_HASH_KEY', 32),
  };
  let secrets: Secrets;
  if (given.tokenKey && given.phoneKey && given.phoneHashKey) {
    secrets = {
      tokenKey: given.tokenKey,
      phoneKey: given.phoneKey.subarray(0, 32),
      phoneHashKey: given.phoneHashKey,
    };
  } else if (demo) {
    secrets = { ...loadOrCreateDemoSecrets(dataDir), ...definedOnly(given) };
  } else {
    const missing = Object.entries({
      ANTNEST_TOKEN_KEY: given.tokenKey,
      ANTNEST_PHONE_KEY: given.phoneKey,
      ANTNEST_PHONE_HASH_KEY: given.phoneHashKey,
    })
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    throw new ConfigError(
      missing.join(', '),
      'missing. Outside demo mode every secret must be configured (openssl rand -base64 32 makes one); --demo generates them into the data directory.',
    );
  }

  return deepFreeze({
    demo,
    host,
    port,
    dataDir,
    database,
    mqtt,
    mqttPublicUrl,
    demoFleet: bool('fleet', 'ANTNEST_DEMO_FLEET', demo),
    nodeId,
    lockerOfflineAlertMinutes: int(
      'locker-offline-alert-minutes',
      'LOCKER_OFFLINE_ALERT_MINUTES',
      10,
      1,
      24 * 60,
    ),
    logLevel,
    trustProxy: bool('trust-proxy', 'TRUST_PROXY', false),
    bodyLimit: int('body-limit', 'BODY_LIMIT', 256 * 1024, 1024, 64 * 1024 * 1024),
    accessTokenTtl: int('access-token-ttl', 'ACCESS_TOKEN_TTL', 15 * 60, 30, 24 * 3600),
    refreshTokenTtl: int(
      'refresh-token-ttl',
      'REFRESH_TOKEN_TTL',
      30 * 24 * 3600,
      60,
      365 * 24 * 3600,
    ),
    wechatProvider,
    secrets,
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
