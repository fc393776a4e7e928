// The README and the docs/ pages hold together: every section of the long README that the
// docs split replaced still has a home, every relative link lands on a file and a heading
// that exist, and every docs page is reachable from the README.
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, normalize, relative } = require('node:path');

const root = join(__dirname, '..', '..');
const read = (path) => readFileSync(join(root, path), 'utf8');
const docsPages = readdirSync(join(root, 'docs'))
	.filter((name) => name.endsWith('.md'))
	.map((name) => `docs/${name}`);
const pages = ['README.md', ...docsPages];

/** The headings of README.md at the commit before the docs split, frozen here as data. */
const HEADINGS_BEFORE_THE_SPLIT = [
	'n8n-nodes-sfr-dmc',
	'Quick start',
	'Install in n8n',
	'Credentials',
	'The SFR DMC node',
	'Send',
	'Phone numbers',
	'Text',
	'Sending and the rate limit',
	'Output',
	'Send Voice Message',
	'Exclude Numbers',
	'The STOP mention',
	'Get Status',
	'Get Replies',
	'List Senders',
	'Errors, "continue on fail" and "retry on fail"',
	'SFR DMC Trigger',
	'Events',
	'What is emitted, and when: the cursor',
	"SFR's one-minute rule",
	'DMC calls per poll',
	'SFR DMC Push Trigger',
	'Setting it up',
	'Events',
	'Security',
	'Exactly once, and restarts',
	'Polling or push?',
	'Not yet verified on a live account',
	'Trying it with the sandbox',
	'Queue mode',
	'Count the processes that send',
	'Fill in the credential',
	'Why a static split',
	'Install the package on every process',
	'What `npm run test:queue` proves',
	'What n8n does when a worker dies',
	'Example workflows',
	'The local DMC sandbox',
	'Trying the node in the full n8n editor',
	'Reliability',
	'Exactly once, even in doubt',
	'Three invariants',
	'A call in doubt',
	'Fault table',
	'Skip If Already Sent',
	'Cancel',
	'Parts from real answers',
	"The sandbox's part",
	'Performance',
	'Development',
	'License',
];

/** Sections renamed by the split, to the heading that now holds them. */
const RENAMED = { 'Install in n8n': 'Installation' };

/** Markdown lines outside fenced code blocks. */
function proseLines(markdown) {
	let fenced = false;
	return markdown.split('\n').filter((line) => {
		if (line.startsWith('```')) fenced = !fenced;
		return !fenced && !line.startsWith('```');
	});
}

const headingsOf = (markdown) =>
	proseLines(markdown)
		.map((line) => /^#{1,6} (.+)$/.exec(line))
		.filter(Boolean)
		.map((match) => match[1].trim());

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown) {
	const seen = new Map();
	return headingsOf(markdown).map((heading) => {
		const slug = heading
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		return count === 0 ? slug : `${slug}-${count}`;
	});
}

/** Every relative link target of a page, as [target, anchor]. */
function relativeLinks(markdown) {
	const links = [];
	for (const line of proseLines(markdown))
		for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/i.test(target)) continue;
			const [path, anchor] = target.split('#');
			links.push([path, anchor]);
		}
	return links;
}

describe('README and docs/', () => {
	const headingsByPage = Object.fromEntries(pages.map((page) => [page, headingsOf(read(page))]));

	it('give every section of the README before the split a home, under a heading with text below it', () => {
		for (const before of HEADINGS_BEFORE_THE_SPLIT) {
			const heading = RENAMED[before] ?? before;
			const homes = pages.filter((page) => headingsByPage[page].includes(heading));
			expect({ heading, homed: homes.length > 0 }).toEqual({ heading, homed: true });
			const page = read(homes[0]);
			const start = page.indexOf(`# ${heading}\n`);
			const body = page.slice(start + heading.length + 3, page.indexOf('\n#', start + heading.length + 3));
			expect({ heading, body: body.trim().length > 0 }).toEqual({ heading, body: true });
		}
	});

	it('resolve every relative link to an existing file, and every anchor to a heading of that file', () => {
		const broken = [];
		for (const page of pages) {
			for (const [path, anchor] of relativeLinks(read(page))) {
				const target = path === '' ? page : normalize(join(dirname(page), path));
				if (target.startsWith('..') || !existsSync(join(root, target))) {
					broken.push(`${page}: ${path} (no such file)`);
					continue;
				}
				if (anchor === undefined) continue;
				const isMarkdown = statSync(join(root, target)).isFile() && target.endsWith('.md');
				if (!isMarkdown || !anchorsOf(read(target)).includes(anchor))
					broken.push(`${page}: ${path}#${anchor} (no such heading in ${relative('.', target)})`);
			}
		}
		expect(broken).toEqual([]);
	});

	it('find a broken anchor and a missing file when there is one', () => {
		const page = '# Title\n\n## A heading, with "punctuation"\n\n[ok](#a-heading-with-punctuation) [bad](#a-heading) [gone](nowhere.md)\n';
		expect(anchorsOf(page)).toEqual(['title', 'a-heading-with-punctuation']);
		expect(relativeLinks(page)).toEqual([
			['', 'a-heading-with-punctuation'],
			['', 'a-heading'],
			['nowhere.md', undefined],
		]);
		expect(anchorsOf('## Events\n## Events\n')).toEqual(['events', 'events-1']);
	});

	it('link every docs page from the README', () => {
		const linked = new Set(relativeLinks(read('README.md')).map(([path]) => normalize(path)));
		for (const page of docsPages) expect({ page, linked: linked.has(page) }).toEqual({ page, linked: true });
	});

	it('keep the README short enough to read from the top (about 350 lines at most)', () => {
		expect(read('README.md').split('\n').length).toBeLessThanOrEqual(360);
	});

	it("give the README's Campaigns section each subject a reader needs, linking the two campaign pages", () => {
		const readme = read('README.md');
		const start = readme.indexOf('### Campaigns\n');
		const section = readme.slice(start, readme.indexOf('\n## ', start));
		const subjects = {
			'campaign or Send': /use the \*\*Campaign\*\*[\s\S]*Send stays the right tool/,
			flow: /uploaded, imported, waited for, then[\s\S]*activated/,
			'contact file': /`;` or a line break in a value never makes a\s+second contact/,
			scheduling: /Start At \/ Stop At/,
			plannings: /Call Planning's open hours/,
			reports: /Get Reports[\s\S]*Push Trigger[\s\S]*Campaign Report/,
			limits: /100,000 contacts a campaign/,
			unverified: /Not verified on a live account/,
			links: /\(docs\/campaigns\.md\)[\s\S]*\(docs\/campaign-reports\.md\)/,
		};
		for (const [subject, pattern] of Object.entries(subjects))
			expect({ subject, covered: pattern.test(section) }).toEqual({ subject, covered: true });
	});

	it('open the README with installation, credentials and a first SMS, before the reference', () => {
		const order = [
			'Installation',
			'Credentials',
			'Your first SMS',
			'Operations',
			'Triggers',
			'Usage',
			'Compatibility',
			'Resources',
			'Version history',
		];
		const positions = order.map((heading) => headingsByPage['README.md'].indexOf(heading));
		expect(positions.every((position) => position >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	});
});

describe('the codex files', () => {
	const repository = require('../../package.json')
		.repository.url.replace(/^git\+/, '')
		.replace(/\.git$/, '');
	const codexFiles = readdirSync(join(root, 'nodes', 'SfrDmc')).filter((name) => name.endsWith('.node.json'));

	it('point their documentation at pages and headings of this repository that exist', () => {
		expect(codexFiles.length).toBe(4);
		for (const name of codexFiles) {
			const { resources } = JSON.parse(read(`nodes/SfrDmc/${name}`));
			const urls = [...resources.primaryDocumentation, ...resources.credentialDocumentation].map((entry) => entry.url);
			for (const url of urls) {
				expect({ name, url, ours: url.startsWith(repository) }).toEqual({ name, url, ours: true });
				const [path, anchor] = url
					.slice(repository.length)
					.replace(/^\/blob\/main\//, '')
					.replace(/^#/, 'README.md#')
					.split('#');
				const file = path === '' ? 'README.md' : path;
				expect({ name, url, exists: existsSync(join(root, file)) }).toEqual({ name, url, exists: true });
				if (anchor !== undefined)
					expect({ name, url, anchor: anchorsOf(read(file)).includes(anchor) }).toEqual({ name, url, anchor: true });
			}
			expect(resources.primaryDocumentation[0].url).toContain('/docs/');
		}
	});
});
