'use strict';

/**
 * Sandbox configuration: defaults, validation of programmatic options, and the
 * mapping from DMC_SANDBOX_* environment variables (used by the CLI).
 */

const DEFAULTS = Object.freeze({
	port: 0,
	serviceId: 'sandbox-service',
	servicePassword: 'sandbox-password',
	spaceId: 'sandbox-space',
	spaceName: 'Sandbox space',
	senders: ['SFR', 'MAIRIE'],
	latencyMs: 0,
	rateLimit: 5,
	rateWindowMs: 1000,
	rateMode: 'refuse',
	supervisionIntervalMs: 60000,
	strictSupervision: true,
	deliveryDelayMs: 2000,
	failureDelayMs: 2000,
	replyDelayMs: 3000,
	firstMessageId: 100001,
	pushUrl: null,
	pushFormat: 'json',
	pushIntervalMs: 200,
	reportDelayMs: 0,
	craPartsCode: 'braces',
	importStepMs: 1000,
	broadcastLoadingMs: 1000,
});

const RATE_MODES = ['warn', 'refuse'];

/**
 * How findCraByIds writes `callDetailCode`: `CRA_PART{3}` as in the vendor guide's example
 * (braces included), `CRA_PART3`, or absent as in a real 1.5.6 answer (only `callDetail`).
 */
const CRA_PARTS_CODES = ['braces', 'plain', 'absent'];

/** The settings a running sandbox may change (see Sandbox.configure). */
const LIVE_SETTINGS = ['reportDelayMs', 'craPartsCode'];

/** Validates the live settings in `settings` (others are ignored). */
function validateLiveSettings(settings) {
	if (settings.reportDelayMs !== undefined) assertNonNegativeNumber('reportDelayMs', settings.reportDelayMs);
	if (settings.craPartsCode !== undefined && !CRA_PARTS_CODES.includes(settings.craPartsCode)) {
		throw new TypeError(`Sandbox option craPartsCode must be one of ${CRA_PARTS_CODES.join(', ')}`);
	}
}

function assertNonNegativeNumber(name, value) {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new TypeError(`Sandbox option ${name} must be a non-negative number, got ${JSON.stringify(value)}`);
	}
}

function assertNonEmptyString(name, value) {
	if (typeof value !== 'string' || value === '') {
		throw new TypeError(`Sandbox option ${name} must be a non-empty string`);
	}
}

/** Merge user options over the defaults and validate the result. */
function resolveOptions(options = {}) {
	const config = { ...DEFAULTS, ...stripUndefined(options) };
	for (const name of [
		'port',
		'latencyMs',
		'rateWindowMs',
		'supervisionIntervalMs',
		'deliveryDelayMs',
		'failureDelayMs',
		'replyDelayMs',
		'firstMessageId',
		'pushIntervalMs',
		'importStepMs',
		'broadcastLoadingMs',
	]) {
		assertNonNegativeNumber(name, config[name]);
	}
	validateLiveSettings(config);
	if (config.supervisionIntervalMs <= 0) throw new TypeError('Sandbox option supervisionIntervalMs must be positive');
	if (typeof config.strictSupervision !== 'boolean') throw new TypeError('Sandbox option strictSupervision must be true or false');
	assertNonNegativeNumber('rateLimit', config.rateLimit);
	if (config.rateLimit < 1) throw new TypeError('Sandbox option rateLimit must be at least 1');
	for (const name of ['serviceId', 'servicePassword', 'spaceId']) {
		assertNonEmptyString(name, config[name]);
	}
	if (!RATE_MODES.includes(config.rateMode)) {
		throw new TypeError(`Sandbox option rateMode must be one of ${RATE_MODES.join(', ')}`);
	}
	if (!Array.isArray(config.senders) || config.senders.some((s) => typeof s !== 'string' || s === '')) {
		throw new TypeError('Sandbox option senders must be an array of non-empty strings');
	}
	config.senders = [...config.senders];
	if (config.now !== undefined && typeof config.now !== 'function') {
		throw new TypeError('Sandbox option now must be a function returning a millisecond timestamp');
	}
	if (config.logger !== undefined && typeof config.logger !== 'function') {
		throw new TypeError('Sandbox option logger must be a function (level, message) => void');
	}
	return config;
}

function stripUndefined(object) {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

const ENV_NUMBERS = {
	DMC_SANDBOX_PORT: 'port',
	DMC_SANDBOX_LATENCY_MS: 'latencyMs',
	DMC_SANDBOX_RATE_LIMIT: 'rateLimit',
	DMC_SANDBOX_RATE_WINDOW_MS: 'rateWindowMs',
	DMC_SANDBOX_SUPERVISION_INTERVAL_MS: 'supervisionIntervalMs',
	DMC_SANDBOX_DELIVERY_DELAY_MS: 'deliveryDelayMs',
	DMC_SANDBOX_FAILURE_DELAY_MS: 'failureDelayMs',
	DMC_SANDBOX_REPLY_DELAY_MS: 'replyDelayMs',
	DMC_SANDBOX_PUSH_INTERVAL_MS: 'pushIntervalMs',
	DMC_SANDBOX_REPORT_DELAY_MS: 'reportDelayMs',
	DMC_SANDBOX_IMPORT_STEP_MS: 'importStepMs',
	DMC_SANDBOX_BROADCAST_LOADING_MS: 'broadcastLoadingMs',
};

const ENV_STRINGS = {
	DMC_SANDBOX_SERVICE_ID: 'serviceId',
	DMC_SANDBOX_PASSWORD: 'servicePassword',
	DMC_SANDBOX_SPACE_ID: 'spaceId',
	DMC_SANDBOX_RATE_MODE: 'rateMode',
	DMC_SANDBOX_PUSH_URL: 'pushUrl',
	DMC_SANDBOX_PUSH_FORMAT: 'pushFormat',
	DMC_SANDBOX_CRA_PARTS_CODE: 'craPartsCode',
};

/**
 * Read sandbox options from an environment object (e.g. process.env).
 * Only variables that are set (non-empty) are returned; invalid values throw.
 */
function configFromEnv(env) {
	const options = {};
	for (const [variable, option] of Object.entries(ENV_NUMBERS)) {
		const raw = env[variable];
		if (raw === undefined || raw.trim() === '') continue;
		const value = Number(raw);
		if (!Number.isFinite(value) || value < 0) {
			throw new TypeError(`${variable} must be a non-negative number, got "${raw}"`);
		}
		options[option] = value;
	}
	for (const [variable, option] of Object.entries(ENV_STRINGS)) {
		const raw = env[variable];
		if (raw === undefined || raw === '') continue;
		options[option] = raw;
	}
	if (options.craPartsCode !== undefined && !CRA_PARTS_CODES.includes(options.craPartsCode)) {
		throw new TypeError(`DMC_SANDBOX_CRA_PARTS_CODE must be one of ${CRA_PARTS_CODES.join(', ')}, got "${options.craPartsCode}"`);
	}
	if (options.rateMode !== undefined && !RATE_MODES.includes(options.rateMode)) {
		throw new TypeError(`DMC_SANDBOX_RATE_MODE must be one of ${RATE_MODES.join(', ')}, got "${options.rateMode}"`);
	}
	const senders = env.DMC_SANDBOX_SENDERS;
	if (senders !== undefined && senders.trim() !== '') {
		options.senders = senders
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== '');
	}
	return options;
}

module.exports = { DEFAULTS, RATE_MODES, CRA_PARTS_CODES, LIVE_SETTINGS, validateLiveSettings, resolveOptions, configFromEnv };
