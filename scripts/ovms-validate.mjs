#!/usr/bin/env node
// Entry point of the ovms-validate command: loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  process.stderr.write(`ovms-validate: Node ${process.version} is too old (needs >= 22.22); run through: bash scripts/with-env.sh npx ovms-validate ...\n`);
  process.exit(3);
}
// The packages every run loads, loaded before tsx's hooks: Node alone loads them several times faster.
await Promise.all(['undici', '@grpc/grpc-js', '@grpc/proto-loader', 'zod', 'dockerode'].map((m) => import(m)));
register();
const { main } = await import('../src/cli.ts');
process.exit(await main(process.argv.slice(2)));
