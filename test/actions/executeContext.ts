import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { DmcApiError } from '../../nodes/SfrDmc/transport/DmcClient';

export const NODE: INode = {
	id: 'node-1',
	name: 'SFR DMC',
	type: 'n8n-nodes-sfr-dmc.sfrDmcSms',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A parameter's value for each item; a function may throw, as a failing expression does. */
export type Parameters = Record<string, (itemIndex: number) => unknown>;

/** The part of n8n's execute context an operation uses, over `items` empty input items. */
export function executeContext(parameters: Parameters, options: { items?: number; continueOnFail?: boolean } = {}) {
	return {
		getInputData: () => Array.from({ length: options.items ?? 1 }, () => ({ json: {} })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name](itemIndex) : fallback,
		continueOnFail: () => options.continueOnFail ?? false,
		getNode: () => NODE,
		getExecutionId: () => 'execution-1',
	} as unknown as IExecuteFunctions;
}

export const refused = (detail = 'Le paramètre est invalide') =>
	new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused the call: invalid_parameter', detail);

/** The error item's json an operation must give, under continue-on-fail, for `refused(detail)`. */
export const refusedItemJson = (detail = 'Le paramètre est invalide') => ({
	error: 'DMC refused the call: invalid_parameter',
	errorCode: 'invalid_parameter',
	outcome: 'refused',
	description: detail,
});
