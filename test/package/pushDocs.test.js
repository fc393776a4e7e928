// The Push Trigger's documented answer and content types say the same in README, docs and
// the real-n8n check that keeps them true (scripts/test-n8n/pushWire.mjs).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const read = (path) => readFileSync(join(root, path), 'utf8');

/** The part of a Markdown page under one `## ` heading. */
function section(markdown, heading) {
	const start = markdown.indexOf(`\n## ${heading}\n`);
	if (start < 0) return '';
	const next = markdown.indexOf('\n## ', start + 1);
	return markdown.slice(start, next < 0 ? undefined : next);
}

describe('Push Trigger documentation', () => {
	it('does not list push reports among the DMC features not used', () => {
		const dmcApi = read('docs/dmc-api.md');
		expect(section(dmcApi, 'Not used, and why')).not.toMatch(/push/i);
		expect(section(dmcApi, 'Push reports')).toMatch(/Push Trigger/);
	});

	it('gives the same answer to a started push in README, dmc-api.md and push-trigger.md', () => {
		for (const page of ['README.md', 'docs/dmc-api.md', 'docs/push-trigger.md'])
			expect({ page, answer: read(page).includes('{"received":n,"started":k}') }).toEqual({ page, answer: true });
	});

	it('documents each content type the real-n8n check finds refused by n8n', () => {
		const check = read('scripts/test-n8n/pushWire.mjs');
		const refused = [...check.matchAll(/\['((?:application|text)\/[^']+)', /g)].map((match) => match[1]);
		expect(refused).toEqual(expect.arrayContaining(['application/xml; charset=ISO-8859-1', 'application/json']));
		const page = read('docs/push-trigger.md');
		for (const contentType of refused)
			expect({ contentType, documented: page.includes(contentType) }).toEqual({ contentType, documented: true });
		expect(page).toMatch(/quotes the start of the body/);
		expect(read('README.md')).toMatch(/charset=ISO-8859-1/);
	});
});
