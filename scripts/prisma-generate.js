#!/usr/bin/env node
// Runs `prisma generate` offline. The Prisma CLI insists on locating its schema-engine binary even
// though generate never runs it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies
// that check (DEVELOPERS.md, "Prisma offline"). An operator's own value is kept.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const cli = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
execFileSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
