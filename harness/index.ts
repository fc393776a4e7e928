// Written by us against n8n-core's and n8n-workflow's public exports. n8n's published test
// utilities do not fit: @n8n/backend-test-utils (n8n's own database/DI test set-up) and
// @n8n/integration-test-utils (0.2.0, exports nothing) are under the Sustainable Use License.
export { ensureEngine } from './container';
export { engineLogs, setEngineLogSink, type EngineLogEntry, type EngineLogLevel, type EngineLogSink } from './logs';
export { testCredential, type CredentialTestResult } from './credentialTest';
export { runNode, runNodesConcurrently, type RunNodeOptions, type RunNodeResult } from './runNode';
export { MANUAL_TRIGGER_TYPE, manualTriggerNodeType } from './manualTrigger';
export {
	runWorkflow,
	type RunWorkflowOptions,
	type RunWorkflowResult,
	type WorkflowJson,
	type WorkflowJsonNode,
	type WorkflowNodeError,
} from './runWorkflow';
export { PollHarness, type ManualPollResult, type PollHarnessOptions, type PollResult } from './poll';
