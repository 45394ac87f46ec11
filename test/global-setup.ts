/** Says once, visibly, whether the PostgreSQL half of the integration suite runs. */
export default function setup(): void {
  const url = process.env['DATABASE_URL'];
  if (url && /^postgres/.test(url)) {
    process.stdout.write(
      `\n[antnest] integration tests run on SQLite and on PostgreSQL (${new URL(url).host}, a fresh schema per suite)\n\n`,
    );
  } else {
    process.stdout.write(
      '\n[antnest] NOTICE: DATABASE_URL is not set, so the PostgreSQL integration tests are SKIPPED (SQLite ran). .ci/run sets it.\n\n',
    );
  }
}
