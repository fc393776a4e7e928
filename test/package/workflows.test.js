// Plain JavaScript: it reads files, which the n8n lint forbids in .ts files.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const root = join(__dirname, '..', '..');
const read = (file) => readFileSync(join(root, file), 'utf8');
const workflow = (name) => parse(read(`.github/workflows/${name}`));
const runs = (job) => job.steps.filter((step) => step.run).map((step) => step.run.trim());
const uses = (job) => job.steps.filter((step) => step.uses).map((step) => step.uses.split('@')[0]);

describe('the GitHub Actions workflows', () => {
	it('are valid YAML whose jobs all run on a runner and have steps', () => {
		for (const name of ['ci.yml', 'publish.yml']) {
			const { jobs } = workflow(name);
			expect(Object.keys(jobs).length).toBeGreaterThan(0);
			for (const job of Object.values(jobs)) {
				expect(job['runs-on']).toBe('ubuntu-latest');
				for (const step of job.steps) expect(Boolean(step.run) !== Boolean(step.uses)).toBe(true);
			}
		}
	});

	it('ci runs the README test command on Node 20 and 22 for pull requests and pushes to main', () => {
		const ci = workflow('ci.yml');
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on.push.branches).toEqual(['main']);
		expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22]);
		expect(ci.jobs.test.container).toBe('node:${{ matrix.node }}-bookworm');
		const commands = runs(ci.jobs.test);
		expect(commands.indexOf('npm test')).toBeGreaterThan(commands.findIndex((run) => run.startsWith('npm ci')));
		expect(commands.findIndex((run) => /apt-get install .*chromium/.test(run))).toBe(0);
		expect(read('README.md')).toMatch(/^npm test\b/m);
	});

	it('ci runs the real-n8n suites in their own jobs with the n8n cache keyed on the pinned n8n version', () => {
		const ci = workflow('ci.yml');
		const needs = { 'test-n8n': ['chromium', 'npm run test:n8n'], 'test-queue': ['redis-server postgresql', 'npm run test:queue'] };
		for (const [name, [packages, command]] of Object.entries(needs)) {
			const job = ci.jobs[name];
			expect(job.container).toBe('node:20-bookworm');
			expect(runs(job)).toContain(command);
			expect(runs(job).some((run) => run.includes(`apt-get install -y -qq ${packages}`))).toBe(true);
			const version = job.steps.find((step) => step.id === 'n8n');
			expect(version.run).toContain('scripts/test-n8n/context.mjs');
			const cache = job.steps.find((step) => step.uses?.startsWith('actions/cache@'));
			expect(cache.with.path).toBe('~/.cache/n8n-nodes-sfr-dmc');
			expect(cache.with.key).toContain('${{ steps.n8n.outputs.version }}');
			expect(job.steps.indexOf(cache)).toBeLessThan(job.steps.findIndex((step) => step.run === command));
		}
	});

	it('publish runs on v* tags only, with id-token: write and nothing more than read access', () => {
		const publish = workflow('publish.yml');
		expect(publish.on).toEqual({ push: { tags: ['v*'] } });
		expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	});

	it('publish checks the tag, tests, builds with the project build, then publishes with provenance', () => {
		const { publish } = workflow('publish.yml').jobs;
		const setup = publish.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(setup.with['registry-url']).toBe('https://registry.npmjs.org');
		expect(uses(publish)).toEqual(['actions/checkout', 'actions/setup-node']);
		const commands = runs(publish);
		const at = (match) => commands.findIndex((run) => match.test(run));
		const tagCheck = at(/GITHUB_REF_NAME/);
		expect(commands[tagCheck]).toContain(`expected="v$(node -p "require('./package.json').version")"`);
		expect(commands[tagCheck]).toMatch(/exit 1/);
		const order = [tagCheck, at(/^npm ci\b/), at(/^npm test$/), at(/^npm run build$/), at(/^npm publish\b/)];
		expect(order.every((index) => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(commands).not.toContain('n8n-node build');
		expect(commands[order[4]]).toBe('npm publish --provenance --access public');
		// Trusted publishing by default: no token in the publish step; the token is the documented fallback.
		const publishStep = publish.steps.find((step) => step.run?.startsWith('npm publish'));
		expect(publishStep.env).toBeUndefined();
		expect(read('.github/workflows/publish.yml')).toContain('NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}');
		expect(read('docs/releasing.md')).toContain('NODE_AUTH_TOKEN');
	});
});
