/**
 * Clock, randomness and ids for the cloud's importers. They live in the shared kernel
 * (src/kernel/clock.ts) so the contract and the device agent use the same ones without
 * loading cloud code.
 */
export * from '../kernel/clock.ts';
