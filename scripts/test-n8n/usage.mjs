// The README's Usage pictures, taken in the real editor: each worked workflow is created over
// REST from its example file, opened on its canvas, and photographed into docs/images/
// (committed, so each run refreshes them); the reminder list is shown with its SFR DMC node
// open, for its Reference and Skip If Already Sent. Each step also leaves a screenshot in
// .tmp/editor/usage/. test/package/screenshots.test.js checks that every picture the README
// shows is there and not blank.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { sleep } from '../lib/processes.mjs';
import { launchBrowser, SCREENSHOT_DIR, signIn, stepper } from './editor.mjs';

export const IMAGE_DIR = join(ROOT, 'docs', 'images');
// Small enough to keep each PNG small, large enough for the parameters panel to show its options.
const CANVAS = { width: 1024, height: 576 };
const PANEL = { width: 1280, height: 720 };

/** `open`: the node whose parameters panel is the picture, instead of the canvas. */
export const USAGE_PICTURES = [
	{ example: 'examples/citizen-request-sms.json', image: 'usage-citizen-request-sms.png' },
	{ example: 'examples/n8n-editor/scheduled-reminders.json', image: 'usage-scheduled-reminders.png', open: 'Remind each appointment' },
	{ example: 'examples/heat-wave-voice-alert.json', image: 'usage-heat-wave-voice-alert.png' },
];

/** The workflow as n8n's editor saves a new one: its own id, inactive. */
function newWorkflowFrom(example) {
	const { name, nodes, connections, settings } = JSON.parse(readFileSync(join(ROOT, example), 'utf8'));
	return { name, nodes, connections, settings, active: false };
}

/** Resolves the list of failed steps (empty when every picture was taken). */
export async function runUsagePictures({ server }) {
	const stepsDir = join(SCREENSHOT_DIR, 'usage');
	await mkdir(stepsDir, { recursive: true });
	await mkdir(IMAGE_DIR, { recursive: true });
	const browser = await launchBrowser();
	const page = await browser.newPage({ viewport: PANEL });
	page.setDefaultTimeout(30_000);
	const { step, failures } = stepper(page, stepsDir);

	await step('usage-sign-in', () => signIn(page, server.url, server.account));
	for (const picture of USAGE_PICTURES) {
		await step(picture.image.replace(/\.png$/, ''), async () => {
			await page.setViewportSize(picture.open ? PANEL : CANVAS);
			const workflow = newWorkflowFrom(picture.example);
			const created = await server.rest.call('POST', '/workflows', workflow);
			await page.goto(`${server.url}/workflow/${created.id}`);
			const nodes = page.getByTestId('canvas-node');
			await nodes.nth(workflow.nodes.length - 1).waitFor();
			const shown = await nodes.count();
			if (shown !== workflow.nodes.length) throw new Error(`the canvas shows ${shown} nodes, the workflow has ${workflow.nodes.length}`);
			if (picture.open) {
				await nodes.filter({ hasText: picture.open }).first().dblclick();
				await page.getByTestId('ndv').waitFor();
			}
			// The canvas fits the nodes to the view with an animation; let it end.
			await sleep(1000);
			await page.screenshot({ path: join(IMAGE_DIR, picture.image) });
			return `${picture.example} → docs/images/${picture.image}`;
		});
	}
	await browser.close();
	return failures;
}
