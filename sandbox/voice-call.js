'use strict';

/**
 * Voice messages (media `Vocal`): DMC calls the number and reads `textMsg` aloud with a
 * text-to-speech voice. The media name and the voices are the vendor guide's
 * (`addSingleCall` table); what a live platform answers for them is untested.
 */

const VOICE_MEDIA = 'Vocal';
/** claire08s reads French and is the default; laura8k reads English. */
const TTS_VOICES = ['claire08s', 'laura8k'];
const DEFAULT_TTS_VOICE = 'claire08s';

module.exports = { VOICE_MEDIA, TTS_VOICES, DEFAULT_TTS_VOICE };
