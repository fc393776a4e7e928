// npm run release -- patch|minor|major: bump the version, date CHANGELOG's Unreleased section,
// commit and tag. Publishing is left to .github/workflows/publish.yml (provenance needs CI).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cwd = process.cwd();
const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const fail = (message) => {
	console.error(`release: ${message}`);
	process.exit(1);
};

const part = process.argv[2];
if (!['patch', 'minor', 'major'].includes(part)) fail('usage: npm run release -- patch|minor|major');
if (git('status', '--porcelain') !== '') fail('the work tree has uncommitted changes; commit or stash them first.');

const bump = (version) => {
	const [major, minor, patch] = version.split('.').map(Number);
	if (part === 'major') return `${major + 1}.0.0`;
	if (part === 'minor') return `${major}.${minor + 1}.0`;
	return `${major}.${minor}.${patch + 1}`;
};

const manifestPath = join(cwd, 'package.json');
const manifestText = readFileSync(manifestPath, 'utf8');
const version = bump(JSON.parse(manifestText).version);
if (git('tag', '--list', `v${version}`) !== '') fail(`tag v${version} exists already.`);

// Rewrite the version line only, so the files keep their formatting.
const setVersion = (text) => text.replace(/("version":\s*")[^"]+(")/, `$1${version}$2`);
writeFileSync(manifestPath, setVersion(manifestText));
const lockPath = join(cwd, 'package-lock.json');
const lockText = (() => {
	try {
		return readFileSync(lockPath, 'utf8');
	} catch {
		return undefined;
	}
})();
if (lockText !== undefined) {
	const lock = JSON.parse(lockText);
	lock.version = version;
	if (lock.packages?.['']) lock.packages[''].version = version;
	writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}

const changelogPath = join(cwd, 'CHANGELOG.md');
const changelog = readFileSync(changelogPath, 'utf8');
// "## Unreleased", or a planned version marked "## 0.1.0 — unreleased".
const heading = /^## (?:Unreleased|\S+ — unreleased)[ \t]*$/im;
if (!heading.test(changelog)) fail('CHANGELOG.md has no "## Unreleased" section.');
const date = new Date().toISOString().slice(0, 10);
writeFileSync(changelogPath, changelog.replace(heading, `## Unreleased\n\n## ${version} — ${date}`));

const files = ['package.json', 'CHANGELOG.md', ...(lockText === undefined ? [] : ['package-lock.json'])];
git('add', ...files);
git('commit', '-m', `Release ${version}`);
git('tag', '-a', `v${version}`, '-m', `v${version}`);
console.log(`release: committed and tagged v${version}. Publish it from CI with:\n  git push --follow-tags`);
