import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** package.json, as n8n reads it (name, the built node and credential files). */
export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
