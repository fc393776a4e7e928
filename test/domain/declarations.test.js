// Plain JavaScript: it reads the sources, which the n8n lint forbids in .ts files.
// Things the node must declare once: two copies drift apart.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const NODE_DIR = join(__dirname, '../../nodes/SfrDmc');

function sources(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sources(path);
		return entry.name.endsWith('.ts') ? [{ file: path.slice(NODE_DIR.length + 1), text: readFileSync(path, 'utf8') }] : [];
	});
}

const declaring = (pattern) =>
	sources(NODE_DIR)
		.filter(({ text }) => pattern.test(text))
		.map(({ file }) => file);

it('declares the DMC record type once', () => {
	expect(declaring(/\btype\s+DmcRecord\s*=|\binterface\s+DmcRecord\b/)).toEqual(['domain/deliveryReports.ts']);
});

it('has one error class for what users give, and one for what DMC pushes', () => {
	const classes = sources(join(NODE_DIR, 'domain')).flatMap(({ text }) =>
		[...text.matchAll(/class (\w+) extends Error\b/g)].map((m) => m[1]),
	);
	// InputError: a user's value ("… [item 3]"). PushBodyError: a pushed body the Push Trigger
	// refuses (HTTP 400); the XML reader's own XmlRefusal is turned into it where it is called.
	expect(classes.sort()).toEqual(['InputError', 'PushBodyError', 'XmlRefusal']);
});
