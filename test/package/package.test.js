// Plain JavaScript: it spawns npm and reads files, which the n8n lint forbids in .ts files.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const run = (command, args) => execFileSync(command, args, { cwd: root, encoding: 'utf8' });

describe('the published package', () => {
	let packed;
	beforeAll(() => {
		run('npm', ['run', '--silent', 'build']);
		packed = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']))[0];
	}, 120_000);

	it('has no runtime dependency: libphonenumber-js is bundled into dist', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		for (const node of manifest.n8n.nodes) {
			const bundle = readFileSync(join(root, node), 'utf8');
			expect(bundle).not.toMatch(/require\(["']libphonenumber-js/);
			const requires = [...bundle.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
			// The Push Trigger makes no DMC call, so it loads neither the shared rate limiter nor the gate.
			// The others reach campaigns, whose upload draws its multipart boundary from `crypto`
			// (on the allow-list of n8n's scanner for verified community nodes).
			const expected = node.endsWith('SfrDmcPushTrigger.node.js')
				? ['n8n-workflow']
				: ['./transport/rateLimiter.js', './transport/supervisionGate.js', 'crypto', 'n8n-workflow'];
			expect([...new Set(requires)].sort()).toEqual(expected);
		}
	});

	it('ships the built nodes, credential, codex and icons, and nothing else of the repo', () => {
		const files = packed.files.map((file) => file.path).sort();
		expect(files).toEqual(
			expect.arrayContaining([
				'LICENSE',
				'README.md',
				'package.json',
				'index.js',
				'dist/credentials/SfrDmcApi.credentials.js',
				'dist/nodes/SfrDmc/SfrDmcSms.node.js',
				'dist/nodes/SfrDmc/SfrDmcSms.node.json',
				'dist/nodes/SfrDmc/SfrDmcSmsTrigger.node.js',
				'dist/nodes/SfrDmc/SfrDmcSmsTrigger.node.json',
				'dist/nodes/SfrDmc/SfrDmcTrigger.node.js',
				'dist/nodes/SfrDmc/SfrDmcTrigger.node.json',
				'dist/nodes/SfrDmc/transport/rateLimiter.js',
				'dist/nodes/SfrDmc/transport/supervisionGate.js',
				'dist/nodes/SfrDmc/sfrDmc.svg',
				'dist/nodes/SfrDmc/sfrDmc.dark.svg',
			]),
		);
		expect(files.filter((file) => /^(test|sandbox|scripts|nodes|credentials)\//.test(file))).toEqual([]);
	});

	it('loads as n8n loads it: the classes named after their files', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			const className = file.split('/').pop().split('.')[0];
			const loaded = require(join(root, file));
			expect(typeof loaded[className]).toBe('function');
			const instance = new loaded[className]();
			expect(instance.description ?? instance.properties).toBeDefined();
		}
	});

	it('gives the SMS node and the trigger one rate limiter registry per process', () => {
		const { limiterForService } = require(join(root, 'dist/nodes/SfrDmc/transport/rateLimiter.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcSms.node.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcSmsTrigger.node.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcTrigger.node.js'));
		const limiterModules = Object.keys(require.cache).filter((file) => /rateLimiter/.test(file));
		expect(limiterModules).toEqual([join(root, 'dist/nodes/SfrDmc/transport/rateLimiter.js')]);
		expect(limiterForService('dmc.example', 'svc')).toBe(limiterForService('dmc.example', 'svc'));
	});

	it('gives the SMS node and the triggers one supervision gate registry per process', () => {
		const { gateForService } = require(join(root, 'dist/nodes/SfrDmc/transport/supervisionGate.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcSms.node.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcSmsTrigger.node.js'));
		require(join(root, 'dist/nodes/SfrDmc/SfrDmcTrigger.node.js'));
		const gateModules = Object.keys(require.cache).filter((file) => /supervisionGate/.test(file));
		expect(gateModules).toEqual([join(root, 'dist/nodes/SfrDmc/transport/supervisionGate.js')]);
		expect(gateForService('dmc.example', 'svc')).toBe(gateForService('dmc.example', 'svc', 2));
	});

	it('keeps the n8n section and keyword n8n needs to list it', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.strict).toBe(true);
	});

	describe('the tarball npm pack writes', () => {
		let unpacked;
		const lint = (dir) => JSON.parse(run('node', ['scripts/lint-package.mjs', dir]));
		beforeAll(() => {
			unpacked = mkdtempSync(join(tmpdir(), 'sfr-dmc-pack-'));
			run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', unpacked]);
			const [tarball] = readdirSync(unpacked).filter((file) => file.endsWith('.tgz'));
			run('tar', ['-xzf', join(unpacked, tarball), '-C', unpacked]);
		}, 120_000);
		afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

		it('holds only dist/, README.md, LICENSE and package.json (and the index.js "main" that npm always adds)', () => {
			const files = packed.files.map((file) => file.path);
			const outside = files.filter((file) => !file.startsWith('dist/'));
			expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'index.js', 'package.json']);
			const shipped = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
			expect(shipped.dependencies).toBeUndefined();
		});

		it('carries libphonenumber-js metadata inside the packed SMS node', () => {
			const bundle = readFileSync(join(unpacked, 'package', 'dist/nodes/SfrDmc/SfrDmcSms.node.js'), 'utf8');
			// The metadata's country calling code table: France, and Réunion with Mayotte.
			expect(bundle).toContain('country_calling_codes');
			expect(bundle).toMatch(/"33": \["FR"\]/);
			expect(bundle).toMatch(/"262": \["RE", "YT"\]/);
		});

		it("passes n8n's community-node lint on the packed .js with 0 problems", () => {
			const report = lint(join(unpacked, 'package'));
			expect(report.files).toBeGreaterThanOrEqual(5);
			expect(report.problems).toEqual([]);
		}, 60_000);

		it('has a lint that does flag a forbidden global', () => {
			const bad = mkdtempSync(join(tmpdir(), 'sfr-dmc-lint-'));
			try {
				writeFileSync(join(bad, 'Bad.node.js'), 'exports.x = () => setTimeout(() => {}, 1);\n');
				const rules = lint(bad).problems.map((problem) => problem.rule);
				expect(rules).toContain('@n8n/community-nodes/no-restricted-globals');
			} finally {
				rmSync(bad, { recursive: true, force: true });
			}
		}, 60_000);
	});
});
