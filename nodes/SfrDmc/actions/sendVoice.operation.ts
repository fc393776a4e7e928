import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_VOICE_CHARACTERS, prepareVoiceText } from '../domain/voiceText';
import { itemPreparer, type SendOptions } from './prepareSend';
import { sendMessages } from './send.operation';
import { messageParameter, sendOptionsParameter, toParameter } from './sendParameters';

export const description: INodeProperties[] = [
	{
		...toParameter,
		placeholder: '01 23 45 67 89, 06 12 34 56 78',
		description:
			'Phone numbers to call, landlines included, separated by commas, semicolons or new lines, or an expression returning a list of numbers. At most 20 distinct numbers per item.',
	},
	messageParameter(`The text read aloud to whoever answers, at most ${MAX_VOICE_CHARACTERS} characters`),
	{
		displayName: 'Voice',
		name: 'voice',
		type: 'options',
		default: 'claire08s',
		options: [
			{ name: 'Claire (French)', value: 'claire08s', description: 'The default voice (claire08s)' },
			{ name: 'Laura (English)', value: 'laura8k', description: 'An English voice (laura8k)' },
		],
		description: 'The text-to-speech voice that reads the message',
	},
	sendOptionsParameter(),
];

/** Calls each recipient, fixed lines included, and reads the text aloud (DMC media `Vocal`). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const prepare = itemPreparer<SendOptions>(this, 'call', (itemIndex: number) => {
		const text = this.getNodeParameter('message', itemIndex) as unknown;
		const spoken = prepareVoiceText(text, this.getNodeParameter('voice', itemIndex, 'claire08s'));
		return {
			message: { media: spoken.media, textMsg: text as string, ttsVoice: spoken.voice },
			summary: { media: spoken.media, voice: spoken.voice, characters: spoken.characters },
		};
	});
	return await sendMessages(this, prepare);
}
