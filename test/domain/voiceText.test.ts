import { InputError } from '../../nodes/SfrDmc/domain/inputError';
import { MAX_VOICE_CHARACTERS, prepareVoiceText } from '../../nodes/SfrDmc/domain/voiceText';

describe('prepareVoiceText', () => {
	it('takes a text and a guide voice, and counts characters as a person does', () => {
		// 16 characters: the emoji counts one although it takes two UTF-16 units.
		expect(prepareVoiceText('Buvez de l’eau 🌡', 'claire08s')).toEqual({ media: 'Vocal', voice: 'claire08s', characters: 16 });
		expect(prepareVoiceText('Heat wave alert', 'laura8k').voice).toBe('laura8k');
	});

	it('takes exactly the maximum, and refuses one character more, saying how many', () => {
		expect(prepareVoiceText('a'.repeat(MAX_VOICE_CHARACTERS), 'claire08s').characters).toBe(MAX_VOICE_CHARACTERS);
		expect(() => prepareVoiceText('a'.repeat(MAX_VOICE_CHARACTERS + 1), 'claire08s')).toThrow(
			`The message has ${MAX_VOICE_CHARACTERS + 1} characters; a voice message takes at most ${MAX_VOICE_CHARACTERS}`,
		);
	});

	it.each([
		['', 'The message is empty'],
		['  \n ', 'The message is empty'],
		[undefined, 'The message is empty'],
		[null, 'The message is empty'],
		[42, 'The message must be text, not the number 42'],
		[['a'], 'The message must be text, not a list'],
	])('refuses %j: %s', (text, reason) => {
		expect(() => prepareVoiceText(text, 'claire08s')).toThrow(InputError);
		expect(() => prepareVoiceText(text, 'claire08s')).toThrow(reason);
	});

	it.each([
		['julie', 'The voice must be one of claire08s, laura8k, not "julie"'],
		['', 'The voice must be one of claire08s, laura8k, not ""'],
		[7, 'The voice must be one of claire08s, laura8k, not the number 7'],
	])('refuses the voice %j', (voice, reason) => {
		expect(() => prepareVoiceText('Bonjour', voice)).toThrow(reason);
	});
});
