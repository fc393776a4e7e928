/**
 * The text DMC reads aloud in a voice message (media `Vocal`), and the voice that reads it.
 *
 * The vendor guide sets no length for a spoken text. We refuse more than 1,000 characters:
 * read by a text-to-speech voice at about 15 characters a second, that is over a minute of
 * speech, already long for an alert heard on a landline; a longer text is most likely a
 * mistake (a whole document or web page in the field), and each call holds a line for as
 * long as it speaks.
 */
import { describeValue, InputError } from './inputError';

export const VOICE_MEDIA = 'Vocal';
export const MAX_VOICE_CHARACTERS = 1000;

/** The guide's text-to-speech voices: claire08s reads French (the default), laura8k English. */
export const VOICES = ['claire08s', 'laura8k'] as const;
export type Voice = (typeof VOICES)[number];

export interface VoiceTextInfo {
	media: typeof VOICE_MEDIA;
	voice: Voice;
	/** Characters as a person counts them (Unicode code points). */
	characters: number;
}

/** Checks a spoken text and its voice; refuses an empty or over-long text and an unknown voice. */
export function prepareVoiceText(text: unknown, voice: unknown): VoiceTextInfo {
	if (typeof voice !== 'string' || !(VOICES as readonly string[]).includes(voice)) {
		throw new InputError(
			`The voice must be one of ${VOICES.join(', ')}, not ${typeof voice === 'string' ? JSON.stringify(voice) : describeValue(voice)}`,
		);
	}
	if (text !== undefined && text !== null && typeof text !== 'string') {
		throw new InputError(`The message must be text, not ${describeValue(text)}`);
	}
	if (text === undefined || text === null || text.trim() === '') {
		throw new InputError('The message is empty');
	}
	const characters = [...text].length;
	if (characters > MAX_VOICE_CHARACTERS) {
		throw new InputError(
			`The message has ${characters} characters; a voice message takes at most ${MAX_VOICE_CHARACTERS} (over a minute of speech). Shorten it`,
		);
	}
	return { media: VOICE_MEDIA, voice: voice as Voice, characters };
}
