'use strict';

/**
 * DMC sandbox: a local server that speaks SFR DMC's JSON API, for tests,
 * benchmarks and demos. Zero dependencies. See sandbox/README.md.
 */

const { resolveOptions, configFromEnv, validateLiveSettings, LIVE_SETTINGS, DEFAULTS } = require('./config');
const { RollingWindow } = require('./rolling-window');
const { MessageStore } = require('./message-store');
const { FaultQueue, FAULT_KINDS } = require('./faults');
const { CallStats } = require('./call-stats');
const { createDmcEndpoint } = require('./dmc-endpoint');
const { createControlApi } = require('./control-api');
const { createInboxPage } = require('./inbox-page');
const { createHttpServer, listen, shutdown } = require('./http-server');
const { defaultLogger } = require('./logger');
const { countSmsParts } = require('./sms-parts');
const { MAGIC_NUMBERS } = require('./delivery-rules');
const { createPusher } = require('./pusher');
const { BroadcastStore } = require('./broadcast-store');
const { FileStore } = require('./upload');

const API_PATH = '/DmcWS/1.5.8/JsonService';

/** Timers behind the latency option, cancelled on close. */
function createWaiter() {
	const timers = new Set();
	return {
		wait(ms) {
			if (ms <= 0) return Promise.resolve();
			return new Promise((resolve) => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					resolve();
				}, ms);
				timers.add(timer);
			});
		},
		cancelAll() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}

/**
 * Start a sandbox. Options are listed in index.d.ts and README.md.
 * @returns {Promise<import('./index').Sandbox>}
 */
async function startSandbox(options = {}) {
	const config = resolveOptions(options);
	const now = config.now || Date.now;
	config.now = now;
	const startSettings = Object.fromEntries(LIVE_SETTINGS.map((name) => [name, config[name]]));
	const log = config.logger || defaultLogger;

	// One config object for the store and the DMC methods, so configure() reaches both.
	const store = new MessageStore(config);
	const broadcasts = new BroadcastStore(config);
	const files = new FileStore(now);
	const faults = new FaultQueue();
	const rateWindow = new RollingWindow({ limit: config.rateLimit, windowMs: config.rateWindowMs });
	const supervisionWindow = new RollingWindow({ limit: 1, windowMs: config.supervisionIntervalMs });
	const callStats = new CallStats();
	const waiter = createWaiter();
	const pusher = createPusher({
		store: {
			list: () => [...store.list(), ...broadcasts.sentContacts()],
			replies: () => [...store.replies(), ...broadcasts.replies()].sort((a, b) => a.at - b.at),
		},
		account: { serviceId: config.serviceId, spaceId: config.spaceId },
		log,
		url: config.pushUrl,
		format: config.pushFormat,
		intervalMs: config.pushIntervalMs,
	});

	const publicConfig = () =>
		Object.freeze({
			serviceId: config.serviceId,
			spaceId: config.spaceId,
			senders: Object.freeze([...config.senders]),
			latencyMs: config.latencyMs,
			rateLimit: config.rateLimit,
			rateWindowMs: config.rateWindowMs,
			rateMode: config.rateMode,
			supervisionIntervalMs: config.supervisionIntervalMs,
			strictSupervision: config.strictSupervision,
			deliveryDelayMs: config.deliveryDelayMs,
			failureDelayMs: config.failureDelayMs,
			replyDelayMs: config.replyDelayMs,
			reportDelayMs: config.reportDelayMs,
			craPartsCode: config.craPartsCode,
			importStepMs: config.importStepMs,
			broadcastLoadingMs: config.broadcastLoadingMs,
		});

	const sandbox = {
		url: '',
		baseUrl: '',
		port: 0,
		get config() {
			return publicConfig();
		},
		configure(settings) {
			if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
				throw new TypeError(`Settings must be an object with any of ${LIVE_SETTINGS.join(', ')}`);
			}
			const unknown = Object.keys(settings).filter((name) => !LIVE_SETTINGS.includes(name));
			if (unknown.length > 0) throw new TypeError(`Only ${LIVE_SETTINGS.join(', ')} can change while running, not ${unknown.join(', ')}`);
			validateLiveSettings(settings);
			for (const name of LIVE_SETTINGS) if (settings[name] !== undefined) config[name] = settings[name];
			return publicConfig();
		},
		messages: () => store.list(),
		broadcasts: () => campaignsOf(broadcasts),
		uploadedFiles: () =>
			[...files.files].map(([name, file]) => ({
				name,
				originalName: file.originalName,
				content: file.content,
				uploadedAt: file.uploadedAt,
			})),
		replies: () => store.replies(),
		settle: (messageId, outcome) => store.settle(messageId, outcome),
		reply: (messageId, text, options) => store.reply(messageId, text, options),
		injectFaults(specs) {
			faults.add(specs);
		},
		pendingFaults: () => faults.pending(),
		pushSetting: () => pusher.setting(),
		setPush: (setting) => pusher.configure(setting),
		flushPushes: async () => {
			await pusher.flush();
		},
		clearFaults() {
			faults.clear();
		},
		stats() {
			const rate = rateWindow.summary();
			const supervision = supervisionWindow.summary();
			return {
				...callStats.snapshot(),
				violations: rate.violations,
				peakCallsInWindow: rate.peak,
				rateByService: rate.byKey,
				rateLimit: config.rateLimit,
				rateWindowMs: config.rateWindowMs,
				rateMode: config.rateMode,
				supervisionCalls: supervision.calls,
				supervisionViolations: supervision.violations,
				lastSupervisionCallAt: supervision.lastAt,
				supervisionIntervalMs: config.supervisionIntervalMs,
				strictSupervision: config.strictSupervision,
				messages: store.size,
				broadcasts: broadcasts.size,
				uploadedFiles: files.size,
				pendingFaults: faults.pending().length,
				pushes: pusher.stats(),
			};
		},
		reset() {
			Object.assign(config, startSettings);
			store.reset();
			broadcasts.reset();
			files.reset();
			faults.clear();
			rateWindow.reset();
			supervisionWindow.reset();
			callStats.reset();
		},
		close: async () => undefined,
	};

	const handleDmcCall = createDmcEndpoint({
		config,
		store,
		broadcasts,
		files,
		faults,
		rateWindow,
		supervisionWindow,
		stats: callStats,
		log,
		wait: waiter.wait,
	});
	const server = createHttpServer({
		handleDmcCall,
		handleControl: createControlApi(sandbox),
		inbox: createInboxPage(),
		log,
	});
	const port = await listen(server, config.port);

	let closing = null;
	sandbox.port = port;
	sandbox.url = `http://127.0.0.1:${port}`;
	sandbox.baseUrl = `${sandbox.url}${API_PATH}`;
	sandbox.close = () => {
		if (!closing) {
			waiter.cancelAll();
			closing = Promise.all([pusher.close(), shutdown(server)]).then(() => undefined);
		}
		return closing;
	};
	return sandbox;
}

/** Every broadcast as it is now, with its contacts' states: for tests and the inbox. */
function campaignsOf(broadcasts) {
	return [...broadcasts.broadcasts.values()].map((broadcast) => {
		const [status, statusCode] = broadcasts.status(broadcast);
		return {
			id: broadcast.id,
			serviceId: broadcast.serviceId,
			name: broadcast.name,
			scenarioId: broadcast.scenario.scenarioId,
			callPlanningId: broadcast.planning.planningId,
			startDate: broadcast.startDate,
			stopDate: broadcast.stopDate,
			text: broadcast.message.text,
			media: broadcast.message.media,
			from: broadcast.message.from ?? null,
			status,
			statusCode,
			contacts: broadcast.contacts.map((contact) => ({
				contactId: contact.contactId,
				to: contact.callAdress,
				phoneNumber1: contact.phoneNumber1,
				firstName: contact.firstName,
				lastName: contact.lastName,
				externalReference: contact.externalReference,
				info1: contact.info1,
				info2: contact.info2,
				info3: contact.info3,
				info4: contact.info4,
				...broadcasts.contactState(contact),
			})),
		};
	});
}

module.exports = { startSandbox, configFromEnv, countSmsParts, RollingWindow, MAGIC_NUMBERS, FAULT_KINDS, DEFAULTS };
