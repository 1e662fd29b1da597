#!/usr/bin/env node
// Registers tsx in-process so `npx sundial <command>` runs the TypeScript sources without a build
// step, and signals (SIGTERM/SIGINT) reach the server directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
