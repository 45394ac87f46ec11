/**
 * One antnest node as a child process for the fault suites (started by node-process.ts):
 * the configuration comes from the environment exactly as in production, the ready line
 * is one JSON object on stdout, and SIGTERM closes gracefully. SIGKILL is the point.
 */
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

const config = loadConfig(process.env);
const server = await startServer(config);
process.stdout.write(
  `${JSON.stringify({ antnestChildReady: true, httpUrl: server.httpUrl, mqttUrl: server.mqttUrl, pid: process.pid })}\n`,
);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
