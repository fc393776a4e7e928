/**
 * The SFR DMC node as the engine suites run it against the local sandbox: the node, its
 * credential type, and the sandbox's test account.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, NodeApiError } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { engineLogs, runNode, type RunNodeOptions, type RunNodeResult } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import type { Sandbox } from '../../sandbox';

export const SANDBOX_PASSWORD = 'sandbox-password';

/** The sandbox's test account, for a credential pointing at `baseUrl` (the sandbox by default). */
export function sandboxCredentials(sandbox: Sandbox, baseUrl = sandbox.baseUrl): ICredentialDataDecryptedObject {
	return { serviceId: 'sandbox-service', servicePassword: SANDBOX_PASSWORD, spaceId: 'sandbox-space', baseUrl };
}

/** The node, its credential type and the sandbox's credential: spread into runNode's options. */
export function smsNodeOn(sandbox: Sandbox): Pick<RunNodeOptions, 'nodeType' | 'credentialType' | 'credentials'> {
	return { nodeType: new SfrDmcSms(), credentialType: new SfrDmcApi(), credentials: sandboxCredentials(sandbox) };
}

/** Runs the node once on the sandbox with these parameters and input items. */
export async function runSmsNode(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
): Promise<RunNodeResult> {
	return await runNode({ ...smsNodeOn(sandbox), parameters, items, continueOnFail });
}

/** The password, as written or form-encoded, is nowhere n8n keeps or shows: items, run data, the error, the logs. */
export function expectNoSecret(result: RunNodeResult, password: string): void {
	const everything = JSON.stringify([
		result.items,
		result.runData,
		result.error?.message,
		(result.error as NodeApiError | undefined)?.description,
		engineLogs,
	]);
	for (const secret of [password, encodeURIComponent(password)]) expect(everything).not.toContain(secret);
}
