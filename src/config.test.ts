import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { TEST_ENV } from '../test/harness.ts';

describe('config', () => {
  it('reads defaults, lets flags beat the environment, and freezes the result', () => {
    const c = loadConfig({ ...TEST_ENV, PORT: '9000' }, { port: '9100' });
    expect(c.port).toBe(9100);
    expect(c.host).toBe('127.0.0.1');
    expect(c.database.kind).toBe('sqlite');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.database)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT.*whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ ANTNEST_DEMO: 'maybe' }, /ANTNEST_DEMO/],
    [{ ANTNEST_TOKEN_KEY: 'c2hvcnQ=' }, /ANTNEST_TOKEN_KEY/],
  ])('stops on a bad value and names the setting: %o', (bad, message) => {
    expect(() => loadConfig({ ...TEST_ENV, ...bad })).toThrow(ConfigError);
    expect(() => loadConfig({ ...TEST_ENV, ...bad })).toThrow(message);
  });

  it('outside demo mode a missing secret stops start-up, naming it', () => {
    const { ANTNEST_PHONE_KEY: _omit, ...rest } = TEST_ENV;
    expect(() => loadConfig(rest)).toThrow(/ANTNEST_PHONE_KEY/);
  });

  it('demo mode generates secrets once into the data dir with 0600 permissions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-cfg-'));
    const a = loadConfig({ DATA_DIR: dir }, { demo: true });
    const b = loadConfig({ DATA_DIR: dir }, { demo: true });
    expect(a.secrets.tokenKey.equals(b.secrets.tokenKey)).toBe(true);
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
  it('reads the broker address lockers are given (MQTT_PUBLIC_URL) and refuses one with credentials', () => {
    expect(loadConfig({ ...TEST_ENV }, {}).mqttPublicUrl).toBeNull();
    expect(
      loadConfig({ ...TEST_ENV, MQTT_PUBLIC_URL: 'mqtts://mqtt.example.cn:8883' }, {})
        .mqttPublicUrl,
    ).toBe('mqtts://mqtt.example.cn:8883');
    expect(() => loadConfig({ ...TEST_ENV, MQTT_PUBLIC_URL: 'mqtt://u:p@host:1883' }, {})).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ ...TEST_ENV, MQTT_PUBLIC_URL: 'http://host' }, {})).toThrow(
      ConfigError,
    );
  });
});
