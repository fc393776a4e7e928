/**
 * n8n-core looks its services up in the `@n8n/di` Container. Three of them are replaced here,
 * once per module registry; everything else (OutboundHttp, ActiveWorkflowTriggers, ...) is
 * n8n-core's own service built from its default configuration.
 */
import { Container } from '@n8n/di';
import { ErrorReporter, InstanceSettings } from 'n8n-core';
import { LoggerProxy, UnexpectedError } from 'n8n-workflow';

import { RecordingErrorReporter, RecordingLogger } from './logs';

type Constructor = new (...args: never[]) => unknown;

let ready = false;

/**
 * n8n-core carries its own copy of @n8n/backend-common, so the Logger class it injects is
 * not necessarily the one a plain import would give. The DI metadata of InstanceSettings'
 * constructor names the class n8n-core actually asks for.
 */
function loggerClassOfCore(): Constructor {
	const getMetadata = (Reflect as { getMetadata?: (key: string, target: object) => unknown }).getMetadata;
	const parameterTypes = getMetadata?.('design:paramtypes', InstanceSettings);
	const logger = Array.isArray(parameterTypes)
		? (parameterTypes as unknown[]).find((type) => typeof type === 'function' && type.name === 'Logger')
		: undefined;
	if (typeof logger !== 'function') {
		throw new UnexpectedError('harness: cannot find the Logger class that n8n-core injects');
	}
	return logger as Constructor;
}

/**
 * The real InstanceSettings reads or creates ~/.n8n/config on construction. This one lives in
 * memory; its role stays "unset", so this process is never the leader and n8n-core schedules
 * no cron job for polling triggers (the poll harness gives the ticks itself).
 */
function inMemoryInstanceSettings(): InstanceSettings {
	const folder = '/nonexistent/n8n-harness/.n8n';
	const fields = {
		n8nFolder: folder,
		staticCacheDir: `${folder}/cache`,
		customExtensionDir: `${folder}/custom`,
		nodesDownloadDir: `${folder}/nodes`,
		nodeDefinitionsDir: `${folder}/node-definitions`,
		enforceSettingsFilePermissions: { isSet: false, enforce: false },
		settings: { encryptionKey: 'harness-encryption-key' },
		instanceId: 'harness-instance',
		derivedInstanceId: 'harness-instance',
		hmacSignatureSecret: 'harness-hmac-secret',
		canSeedDeploymentState: false,
		instanceType: 'main',
		instanceRole: 'unset',
		hostId: 'harness-host',
		isMultiMainEnabled: false,
		isMultiMainLicensed: false,
	};
	return Object.assign(Object.create(InstanceSettings.prototype) as object, fields) as unknown as InstanceSettings;
}

/** Sets up the container on first use; every harness entry point calls it. */
export function ensureEngine(): void {
	if (ready) return;
	// Container.set() on a second copy of @n8n/di would be silently ignored by n8n-core.
	if (!Container.has(InstanceSettings)) {
		throw new UnexpectedError('harness: @n8n/di is not the copy n8n-core uses (npm ls @n8n/di must show one copy)');
	}
	const logger = new RecordingLogger();
	Container.set(loggerClassOfCore(), logger);
	LoggerProxy.init(logger);
	Container.set(InstanceSettings, inMemoryInstanceSettings());
	Container.set(ErrorReporter, new RecordingErrorReporter() as unknown as ErrorReporter);
	ready = true;
}
