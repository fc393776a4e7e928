// Plain JavaScript: it spawns git and node and writes files, which the n8n lint forbids in .ts files.
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const release = join(root, 'scripts', 'release.mjs');
const guard = join(root, 'scripts', 'prepublish-guard.mjs');

describe('npm run release', () => {
	let repo;
	const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
	const runRelease = (part) => spawnSync('node', [release, part], { cwd: repo, encoding: 'utf8' });

	beforeEach(() => {
		repo = mkdtempSync(join(tmpdir(), 'sfr-dmc-release-'));
		git('init', '-q', '-b', 'main');
		git('config', 'user.email', 'release@test.invalid');
		git('config', 'user.name', 'Release Test');
		writeFileSync(join(repo, 'package.json'), '{\n\t"name": "pkg",\n\t"version": "1.4.2"\n}\n');
		writeFileSync(
			join(repo, 'package-lock.json'),
			JSON.stringify({ name: 'pkg', version: '1.4.2', lockfileVersion: 3, packages: { '': { name: 'pkg', version: '1.4.2' } } }, null, 2) +
				'\n',
		);
		writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- Fixed a thing.\n\n## 1.4.2 — 2026-01-01\n\n- Old.\n');
		git('add', '.');
		git('commit', '-qm', 'start');
	});
	afterEach(() => rmSync(repo, { recursive: true, force: true }));

	it('bumps the version, dates the Unreleased section, commits and tags, and only says how to push', () => {
		const result = runRelease('minor');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('git push --follow-tags');
		expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version).toBe('1.5.0');
		expect(readFileSync(join(repo, 'package.json'), 'utf8')).toContain('\t"version": "1.5.0"');
		const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
		expect([lock.version, lock.packages[''].version]).toEqual(['1.5.0', '1.5.0']);
		const date = new Date().toISOString().slice(0, 10);
		expect(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')).toBe(
			`# Changelog\n\n## Unreleased\n\n## 1.5.0 — ${date}\n\n- Fixed a thing.\n\n## 1.4.2 — 2026-01-01\n\n- Old.\n`,
		);
		expect(git('status', '--porcelain')).toBe('');
		expect(git('log', '-1', '--format=%s')).toBe('Release 1.5.0');
		expect(git('describe', '--tags', '--exact-match')).toBe('v1.5.0');
	});

	it('bumps patch and major as semver says', () => {
		expect(runRelease('patch').status).toBe(0);
		expect(git('describe', '--tags', '--exact-match')).toBe('v1.4.3');
		expect(runRelease('major').status).toBe(0);
		expect(git('describe', '--tags', '--exact-match')).toBe('v2.0.0');
	});

	it('refuses a dirty work tree and an unknown bump, changing nothing', () => {
		writeFileSync(join(repo, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- Uncommitted.\n');
		const dirty = runRelease('patch');
		expect(dirty.status).toBe(1);
		expect(dirty.stderr).toMatch(/uncommitted changes/);
		git('checkout', '--', 'CHANGELOG.md');
		const unknown = runRelease('1.5.0');
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toMatch(/patch\|minor\|major/);
		expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version).toBe('1.4.2');
		expect(git('tag', '--list')).toBe('');
		expect(git('log', '--format=%s')).toBe('start');
	});
});

describe('prepublishOnly', () => {
	// npm 11 skips prepublishOnly on `npm publish --dry-run`, so the guard is run directly.
	const runGuard = (env) => spawnSync('node', [guard], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

	it('is the guard script', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(manifest.scripts.prepublishOnly).toBe('node scripts/prepublish-guard.mjs');
	});

	it('refuses a publish outside GitHub Actions and says how to release', () => {
		const result = runGuard({});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('npm run release -- patch|minor|major');
		expect(result.stderr).toContain('git push --follow-tags');
		expect(runGuard({ GITHUB_ACTIONS: 'false' }).status).toBe(1);
	});

	it('lets the Publish workflow publish', () => {
		expect(runGuard({ GITHUB_ACTIONS: 'true' })).toMatchObject({ status: 0, stderr: '' });
	});

	it('leaves npm pack working', () => {
		const env = { ...process.env };
		delete env.GITHUB_ACTIONS;
		const packed = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', env });
		expect(JSON.parse(packed)[0].name).toBe('n8n-nodes-sfr-dmc');
	}, 60_000);
});
