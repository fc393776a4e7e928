'use strict';

/**
 * SMS result codes (CRA) the sandbox produces, with the human-readable
 * `lastResult` text in the two languages DMC supports.
 */

const RESULT_TEXTS = {
	CRA_SMS_SUBMITTED: { fr_FR: 'SMS en cours d’envoi', en_GB: 'SMS being sent' },
	CRA_SMS_RECEIVED: { fr_FR: 'SMS reçu', en_GB: 'SMS received' },
	CRA_SMS_BADNUMBER: { fr_FR: 'Numéro invalide', en_GB: 'Invalid number' },
	CRA_SMS_WRONGNUMBER: { fr_FR: 'Numéro non attribué', en_GB: 'Number not allocated' },
	CRA_SMS_TOOLONG: { fr_FR: 'Message trop long', en_GB: 'Message too long' },
	CRA_SMS_TEXT: { fr_FR: 'Texte invalide pour ce média', en_GB: 'Text not valid for this media' },
	CRA_SMS_OADC: { fr_FR: 'Émetteur non autorisé', en_GB: 'Sender not allowed' },
	CRA_SMS_BLACKLIST: { fr_FR: 'Numéro en liste noire', en_GB: 'Number blacklisted' },
	CRA_SMS_SAASNOCREDIT: { fr_FR: 'Crédit épuisé', en_GB: 'Out of credit' },
	CRA_SMS_REJECTED: { fr_FR: 'SMS rejeté', en_GB: 'SMS rejected' },
	CRA_SMS_TEMPERROR: { fr_FR: 'Erreur temporaire', en_GB: 'Temporary error' },
	// The code DMC gives a stopped message is not documented; this one is the sandbox's.
	CRA_SMS_STOPPED: { fr_FR: 'Envoi arrêté', en_GB: 'Sending stopped' },
};

/** The code a message stopped by stopSingleCall carries (the sandbox's choice). */
const STOPPED_CODE = 'CRA_SMS_STOPPED';

/** The code a message carries while it is RUNNING. */
const RUNNING_CODE = 'CRA_SMS_SUBMITTED';

function resultText(code, lang) {
	const texts = RESULT_TEXTS[code];
	if (!texts) return code;
	return texts[lang] || texts.fr_FR;
}

module.exports = { RESULT_TEXTS, RUNNING_CODE, STOPPED_CODE, resultText };
