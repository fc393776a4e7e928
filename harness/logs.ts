/**
 * What n8n logs while the harness runs: every entry is kept in `engineLogs` (tests search it
 * for leaked secrets) and handed to a sink, which by default prints warnings and errors so
 * they stay visible in the jest output.
 */
export type EngineLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EngineLogEntry {
	level: EngineLogLevel;
	message: string;
	meta?: unknown;
}

export type EngineLogSink = (entry: EngineLogEntry) => void;

// Bounded so that a long bench or start run does not grow without limit.
const KEPT_ENTRIES = 2000;

/** Everything n8n logged since the process started (the last 2000 entries). */
export const engineLogs: EngineLogEntry[] = [];

const printWarningsAndErrors: EngineLogSink = (entry) => {
	if (entry.level !== 'warn' && entry.level !== 'error') return;
	// eslint-disable-next-line no-console -- the harness is a test tool: n8n's warnings must show in the test output
	const print = entry.level === 'error' ? console.error : console.warn;
	print(`[n8n ${entry.level}] ${entry.message}`, ...(entry.meta === undefined ? [] : [entry.meta]));
};

let sink: EngineLogSink = printWarningsAndErrors;

/** Replaces what happens with each entry; `undefined` restores the default (print warn/error). */
export function setEngineLogSink(next: EngineLogSink | undefined): void {
	sink = next ?? printWarningsAndErrors;
}

export function recordLog(level: EngineLogLevel, message: unknown, meta?: unknown): void {
	const entry: EngineLogEntry = { level, message: String(message), meta };
	engineLogs.push(entry);
	if (engineLogs.length > KEPT_ENTRIES) engineLogs.splice(0, engineLogs.length - KEPT_ENTRIES);
	sink(entry);
}

/** The logger n8n-core and n8n-workflow's LoggerProxy get: same methods as n8n's Logger. */
export class RecordingLogger {
	readonly level = 'debug';

	error(message: unknown, meta?: unknown): void {
		recordLog('error', message, meta);
	}

	warn(message: unknown, meta?: unknown): void {
		recordLog('warn', message, meta);
	}

	info(message: unknown, meta?: unknown): void {
		recordLog('info', message, meta);
	}

	debug(message: unknown, meta?: unknown): void {
		recordLog('debug', message, meta);
	}

	scoped(): RecordingLogger {
		return this;
	}
}

/** The ErrorReporter n8n-core gets: reports become log entries instead of going to Sentry. */
export class RecordingErrorReporter {
	error(error: unknown, options?: { extra?: Record<string, unknown> }): void {
		// A node's own failure (reported with `extra.nodeType`) is already in the run data and
		// in the harness result: keep it, but do not print it.
		const level = options?.extra?.nodeType === undefined ? 'error' : 'debug';
		recordLog(level, error instanceof Error ? (error.stack ?? error.message) : error, options);
	}

	warn(warning: unknown, options?: unknown): void {
		recordLog('warn', warning instanceof Error ? warning.message : warning, options);
	}

	info(message: unknown, options?: unknown): void {
		recordLog('info', message, options);
	}
}
