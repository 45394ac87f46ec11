/**
 * Property tests run on a fixed seed, so `npm test` and CI are repeatable (a test that sets its
 * own `seed` keeps it). FC_SEED=random explores locally; a seed that ever failed becomes a case.
 */
import fc from 'fast-check';

const env = process.env['FC_SEED'];
const seed = env === 'random' ? Date.now() % 2 ** 31 : Number(env ?? 20261205);
if (env === 'random') process.stdout.write(`[fast-check] seed ${seed} (replay: FC_SEED=${seed})\n`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
