/**
 * Decoding and validation of contract messages. Every decoder takes raw bytes (or an
 * already parsed value) and returns `{ ok: true, value }` or `{ ok: false, reason }` —
 * it never throws, whatever arrives: non-UTF-8 bytes, bad JSON, a wrong shape.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { COMMAND_SCHEMAS, type LockerCommand } from './commands.ts';
import { EVENT_SCHEMAS, type LockerEvent } from './events.ts';
import { MessageRejectedNotice } from './notices.ts';
import { CommandResponse } from './responses.ts';
import { LockerState, LockerStatus } from './state.ts';
import type { TopicKind } from './topics.ts';
import { findBadText, textProblemPhrase } from '../kernel/text.ts';

/** The result of decoding a message. */
export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Larger payloads are refused before parsing (a full sync of 512 verifiers is ~90 KiB). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

type Checker = ReturnType<typeof Compile>;

function compileAll<T extends Record<string, TSchema>>(schemas: T): Record<keyof T, Checker> {
  return Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, Compile(s)])) as Record<
    keyof T,
    Checker
  >;
}

const commandCheckers = compileAll(COMMAND_SCHEMAS);
const eventCheckers = compileAll(EVENT_SCHEMAS);
const responseChecker = Compile(CommandResponse);
const stateChecker = Compile(LockerState);
const statusChecker = Compile(LockerStatus);
const noticeChecker = Compile(MessageRejectedNotice);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parse bytes as a JSON object. */
export function parseJsonObject(payload: Uint8Array | string): Validation<Record<string, unknown>> {
  if (typeof payload !== 'string') {
    if (payload.byteLength > MAX_PAYLOAD_BYTES)
      return {
        ok: false,
        reason: `payload is ${payload.byteLength} bytes; the limit is ${MAX_PAYLOAD_BYTES}`,
      };
    try {
      payload = utf8.decode(payload);
    } catch {
      return { ok: false, reason: 'payload is not UTF-8 text' };
    }
  }
  if (payload.length > MAX_PAYLOAD_BYTES)
    return { ok: false, reason: `payload is longer than ${MAX_PAYLOAD_BYTES} characters` };
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (e) {
    return { ok: false, reason: `payload is not JSON (${(e as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'payload is not a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

function explain(checker: Checker, value: unknown): string {
  const errors = checker.Errors(value);
  // "schema is false" repeats what the additionalProperties error says better.
  const e = errors.find((x) => x.keyword !== 'boolean') ?? errors[0];
  if (!e) return 'does not match the schema';
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const extra =
    e.keyword === 'additionalProperties'
      ? `: ${JSON.stringify((e.params as { additionalProperties?: unknown }).additionalProperties)}`
      : '';
  return `${where} ${e.message}${extra}`;
}

function check<T>(checker: Checker, value: unknown, what: string): Validation<T> {
  return checker.Check(value)
    ? { ok: true, value: value as T }
    : { ok: false, reason: `${what}: ${explain(checker, value)}` };
}

function byType<T>(
  checkers: Record<string, Checker>,
  value: Record<string, unknown>,
  what: string,
): Validation<T> {
  const type = value['type'];
  if (typeof type !== 'string')
    return { ok: false, reason: `${what}: (root) must have a string "type"` };
  const checker = Object.hasOwn(checkers, type) ? checkers[type] : undefined;
  if (!checker) return { ok: false, reason: `${what}: unknown type "${type.slice(0, 40)}"` };
  return check<T>(checker, value, `${what} ${type}`);
}

function decodeWith<T>(
  payload: Uint8Array | string | object,
  validate: (v: Record<string, unknown>) => Validation<T>,
): Validation<T> {
  let value: Record<string, unknown>;
  if (typeof payload === 'object' && !(payload instanceof Uint8Array)) {
    if (payload === null || Array.isArray(payload))
      return { ok: false, reason: 'value is not an object' };
    value = payload as Record<string, unknown>;
  } else {
    const parsed = parseJsonObject(payload);
    if (!parsed.ok) return parsed;
    value = parsed.value;
  }
  // The kernel's text rule (NUL, control and bidi characters, nesting): the message is refused whole.
  const bad = findBadText(value);
  if (bad) return { ok: false, reason: `${bad.path} contains ${textProblemPhrase(bad.kind)}` };
  return validate(value);
}

/** Decode a command (cmd topic). */
export function decodeCommand(payload: Uint8Array | string | object): Validation<LockerCommand> {
  return decodeWith(payload, (v) => byType<LockerCommand>(commandCheckers, v, 'command'));
}

/** Decode a notice (cmd topic, contract v2). */
export function decodeNotice(
  payload: Uint8Array | string | object,
): Validation<MessageRejectedNotice> {
  return decodeWith(payload, (v) => check<MessageRejectedNotice>(noticeChecker, v, 'notice'));
}

/** Decode a command response (res topic). */
export function decodeResponse(payload: Uint8Array | string | object): Validation<CommandResponse> {
  return decodeWith(payload, (v) => check<CommandResponse>(responseChecker, v, 'response'));
}

/** Decode an event, fact or signal (evt topic). */
export function decodeEvent(payload: Uint8Array | string | object): Validation<LockerEvent> {
  return decodeWith(payload, (v) => byType<LockerEvent>(eventCheckers, v, 'event'));
}

/** Decode a retained state snapshot (state topic). */
export function decodeState(payload: Uint8Array | string | object): Validation<LockerState> {
  return decodeWith(payload, (v) => check<LockerState>(stateChecker, v, 'state'));
}

/** Decode a retained presence message (status topic). */
export function decodeStatus(payload: Uint8Array | string | object): Validation<LockerStatus> {
  return decodeWith(payload, (v) => check<LockerStatus>(statusChecker, v, 'status'));
}

/** Any contract message, by the kind of topic it arrived on. */
export type ContractMessage =
  LockerCommand | CommandResponse | LockerEvent | LockerState | LockerStatus;

/** Decode a message by topic kind. */
export function decodeMessage(
  kind: TopicKind,
  payload: Uint8Array | string | object,
): Validation<ContractMessage> {
  switch (kind) {
    case 'cmd':
      return decodeCommand(payload);
    case 'res':
      return decodeResponse(payload);
    case 'evt':
      return decodeEvent(payload);
    case 'state':
      return decodeState(payload);
    case 'status':
      return decodeStatus(payload);
  }
}

/** The wire form of a message: compact UTF-8 JSON. */
export function encodeMessage(message: ContractMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}
