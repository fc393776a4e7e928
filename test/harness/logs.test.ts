import { engineLogs, setEngineLogSink, type EngineLogEntry } from '../../harness';
import { RecordingErrorReporter, RecordingLogger } from '../../harness/logs';

afterEach(() => setEngineLogSink(undefined));

describe('engine logs', () => {
	it('keeps every entry and hands it to the sink', () => {
		const seen: EngineLogEntry[] = [];
		setEngineLogSink((entry) => seen.push(entry));
		new RecordingLogger().info('hello', { a: 1 });
		expect(seen).toEqual([{ level: 'info', message: 'hello', meta: { a: 1 } }]);
		expect(engineLogs.at(-1)).toEqual(seen[0]);
	});

	it('keeps a node failure at debug level (it is in the run data already), anything else as an error', () => {
		const seen: EngineLogEntry[] = [];
		setEngineLogSink((entry) => seen.push(entry));
		const reporter = new RecordingErrorReporter();
		reporter.error(new Error('node failed'), { extra: { nodeType: 'CUSTOM.x' } });
		reporter.error('engine broke');
		expect(seen.map((entry) => [entry.level, entry.message.split('\n')[0]])).toEqual([
			['debug', 'Error: node failed'],
			['error', 'engine broke'],
		]);
	});

	it('prints warnings and errors by default, not debug or info', () => {
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		const logger = new RecordingLogger();
		logger.debug('quiet');
		logger.info('quiet');
		logger.warn('careful');
		logger.error('broken', { code: 1 });
		expect(warn.mock.calls).toEqual([['[n8n warn] careful']]);
		expect(error.mock.calls).toEqual([['[n8n error] broken', { code: 1 }]]);
		warn.mockRestore();
		error.mockRestore();
	});

	it('keeps the last 2000 entries only', () => {
		setEngineLogSink(() => undefined);
		const logger = new RecordingLogger();
		for (let n = 0; n < 2100; n++) logger.debug(`entry ${n}`);
		expect(engineLogs).toHaveLength(2000);
		expect(engineLogs.at(-1)?.message).toBe('entry 2099');
	});
});
