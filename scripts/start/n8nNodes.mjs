// n8n's own nodes for the examples that use them (reading a file, a Wait), taken from an
// installed n8n: n8n-nodes-base is n8n's, large, and not a dependency of this project. npm
// start finds it in N8N_NODES_BASE_DIR, else in the n8n that `npm run test:n8n` installs in
// its cache; an example whose nodes are not found is skipped, and the run says why.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDirectory, installLayout } from '../test-n8n/install.mjs';

const require = createRequire(import.meta.url);
const PREFIX = 'n8n-nodes-base.';

/** Where n8n-nodes-base is, or undefined. */
function nodesBaseDir() {
	const given = process.env.N8N_NODES_BASE_DIR?.trim();
	if (given) return given;
	const layout = installLayout(cacheDirectory());
	const dir = join(layout.n8nPrefix, 'node_modules', 'n8n-nodes-base');
	return existsSync(layout.marker) && existsSync(join(dir, 'package.json')) ? dir : undefined;
}

/**
 * n8n's own node types the workflows use (the Manual Trigger aside, which the harness has):
 * `{ nodeTypes, missing }`, `missing` naming what could not be loaded and why.
 */
export function n8nNodeTypes(workflows, builtIn) {
	const wanted = [...new Set(workflows.flatMap((workflow) => workflow.nodes ?? []).map((node) => node.type))].filter(
		(type) => type.startsWith(PREFIX) && !builtIn.includes(type),
	);
	if (wanted.length === 0) return { nodeTypes: {}, missing: {} };
	const dir = nodesBaseDir();
	if (!dir) {
		const why = "n8n's own nodes were not found (run `npm run test:n8n` once, which installs n8n, or set N8N_NODES_BASE_DIR)";
		return { nodeTypes: {}, missing: Object.fromEntries(wanted.map((type) => [type, why])) };
	}
	const files = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).n8n.nodes;
	const nodeTypes = {};
	const missing = {};
	for (const type of wanted) {
		const name = type.slice(PREFIX.length);
		const className = name[0].toUpperCase() + name.slice(1);
		const file = files.find((candidate) => candidate.endsWith(`/${className}.node.js`));
		try {
			if (!file) throw new Error(`no ${className}.node.js in ${dir}`);
			nodeTypes[type] = new (require(join(dir, file))[className])();
		} catch (error) {
			missing[type] = error.message;
		}
	}
	return { nodeTypes, missing };
}
