/** The locker contract (MQTT v1): topics, schemas, validators, verifiers. Import from here. */
export * from './common.ts';
export * from './topics.ts';
export * from './commands.ts';
export * from './responses.ts';
export * from './events.ts';
export * from './state.ts';
export * from './pickup-code.ts';
export * from './validate.ts';
export * from './envelope.ts';
export * from './screen-qr.ts';
export * from './code-seal.ts';
export * from './notices.ts';
