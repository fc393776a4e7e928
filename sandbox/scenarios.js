'use strict';

/**
 * The broadcast scenarios of the sandbox account (findScenarii, findCustomizableNodes).
 * Each has its customizable nodes; `multimediaType` is what createBroadcast must send for
 * the node (3 = SMS text, 1 = text-to-speech, §2.3.2), never listed in answers.
 */

const SCENARIOS = Object.freeze([
	{
		scenarioId: 43,
		scenarioName: 'Sms',
		bScenarioDesc: 'Scénario SMS.',
		isEmail: false,
		isMms: false,
		isSms: true,
		isFax: false,
		isVocal: false,
		bScenarioEditing: 0,
		nodes: [{ typeNode: 'sms', customizableName: 'Contenu du SMS', customizableId: 142, nodeName: 'Sms', multimediaType: 3 }],
	},
	{
		scenarioId: 42,
		scenarioName: 'Vocal',
		isEmail: false,
		isMms: false,
		isSms: false,
		isFax: false,
		isVocal: true,
		bScenarioEditing: 0,
		nodes: [
			{
				typeNode: 'voice_script',
				voiceNodeType: 'ANNOUNCEMENT',
				customizableName: 'Contenu du message vocal',
				customizableId: 153,
				nodeName: 'Vocal',
				multimediaType: 1,
			},
		],
	},
]);

const SMS_SCENARIO = SCENARIOS[0];

function customizableNodesOf(scenario) {
	return scenario.nodes;
}

module.exports = { SCENARIOS, SMS_SCENARIO, customizableNodesOf };
