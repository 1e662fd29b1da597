/**
 * One Sundial node for bench/workload.ts, run as its own process so its CPU time and memory can be read
 * from /proc apart from the load generator's: the real server (startSundial) on 127.0.0.1, job workers
 * off (mail and other jobs are queued in the same transaction as always, never run here), rate limits
 * counted but never refusing. Prints "listening <url>" once it answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startSundial } from '../src/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sundial-workload-'));
const config = loadConfig({
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  PUBLIC_URL: 'http://sundial.bench',
  SMTP_INBOUND_PORT: '0',
  API_RATE_LIMIT: '100000000',
  API_RATE_LIMIT_TICKET_UPDATES: '100000000',
});
const node = await startSundial(config, { logger: false, listen: true, workers: false });
console.log(`listening ${node.url}`);
const stop = async () => {
  await node.close().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
