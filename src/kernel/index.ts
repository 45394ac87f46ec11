/**
 * The shared kernel (ADR 0021): the few pure rules the cloud, the contract, the device agent
 * and the web apps must agree on. It imports nothing but Node built-ins. Import the file you
 * need (the web apps take only `phone.ts`, which has no Node import at all).
 */
export * from './bounded.ts';
export * from './clock.ts';
export * from './text.ts';
export * from './phone.ts';
export * from './sqlite.ts';
