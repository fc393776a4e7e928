'use strict';

/**
 * Reading an uploaded contact file (§5.3) as strictly as the guide allows: a header line of
 * known columns holding PHONENUMBER1, FAXNUMBER or EMAIL1, then one line per contact, values
 * separated by `;`. The guide documents no quoting, so the sandbox does none: a `"` is a
 * character like any other, and every line must have exactly the header's number of values
 * (a value holding `;` fails the whole import, naming the line). Values longer than their
 * column fails the import too. Sandbox choice: the file is read as ISO-8859-15, the encoding
 * the guide states for its other imports; lines may end in CRLF or LF.
 */

const MAX_CONTACTS_PER_FILE = 100000;

const COLUMN_SIZES = {
	NAME: 255,
	FORENAME: 255,
	FAXNUMBER: 15,
	FAXCOUNTRYCODE: 3,
	EMAIL1: 255,
	TOKEN: 255,
	OS: 255,
	APP: 255,
	EXTERNALREFERENCE: 255,
	INFO1: 4000,
	INFO2: 255,
	INFO3: 255,
	INFO4: 255,
};
for (let n = 1; n <= 6; n++) {
	COLUMN_SIZES[`PHONENUMBER${n}`] = 15;
	COLUMN_SIZES[`COUNTRYCODE${n}`] = 3;
}

const LATIN9 = new Map([
	[0xa4, '€'],
	[0xa6, 'Š'],
	[0xa8, 'š'],
	[0xb4, 'Ž'],
	[0xb8, 'ž'],
	[0xbc, 'Œ'],
	[0xbd, 'œ'],
	[0xbe, 'Ÿ'],
]);

function decodeLatin9(buffer) {
	let text = '';
	for (const byte of buffer) text += LATIN9.get(byte) ?? String.fromCharCode(byte);
	return text;
}

/** The guide: "/", "\", ".", "(", ")" and spaces in a number are ignored. */
const IGNORED_IN_NUMBERS = /[/\\.() ]/g;

/**
 * A contact's number in E.164, from its column and country code. Sandbox reading: with a
 * country code, the national number's trunk 0 is dropped (`0623456789` + `33`); without one,
 * a national French number or a `+` number is taken. Anything else is no number.
 */
function e164Of(number, countryCode) {
	const digits = number.replace(IGNORED_IN_NUMBERS, '');
	if (digits === '') return null;
	if (countryCode !== '') {
		if (!/^\d{1,3}$/.test(countryCode) || !/^\d+$/.test(digits)) return null;
		const e164 = `+${countryCode}${digits.replace(/^0/, '')}`;
		return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
	}
	if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
	if (/^0[1-9]\d{8}$/.test(digits)) return `+33${digits.slice(1)}`;
	return null;
}

/**
 * @param {Buffer} buffer the uploaded bytes
 * @returns {{ ok: true, contacts: object[], rejected: number } | { ok: false, errDesc: string }}
 */
function readContactFile(buffer) {
	const lines = decodeLatin9(buffer).split(/\r?\n/);
	if (lines.at(-1) === '') lines.pop();
	const header = (lines.shift() || '').split(';');
	const unknown = header.filter((name) => !(name in COLUMN_SIZES));
	if (unknown.length > 0) return { ok: false, errDesc: `Colonnes inconnues : ${unknown.join(', ')}` };
	if (!header.some((name) => ['PHONENUMBER1', 'FAXNUMBER', 'EMAIL1'].includes(name))) {
		return { ok: false, errDesc: "L'entête doit contenir PHONENUMBER1, FAXNUMBER ou EMAIL1" };
	}
	if (lines.length > MAX_CONTACTS_PER_FILE) {
		return { ok: false, errDesc: `${lines.length} contacts : au plus ${MAX_CONTACTS_PER_FILE} par fichier` };
	}
	const contacts = [];
	let rejected = 0;
	for (let index = 0; index < lines.length; index++) {
		const values = lines[index].split(';');
		if (values.length !== header.length) {
			return { ok: false, errDesc: `Ligne ${index + 2} : ${values.length} valeurs au lieu de ${header.length}` };
		}
		const row = {};
		for (let n = 0; n < header.length; n++) {
			if (values[n].length > COLUMN_SIZES[header[n]]) {
				return { ok: false, errDesc: `Ligne ${index + 2} : ${header[n]} dépasse ${COLUMN_SIZES[header[n]]} caractères` };
			}
			row[header[n]] = values[n];
		}
		const phone = row.PHONENUMBER1 === undefined ? null : e164Of(row.PHONENUMBER1, row.COUNTRYCODE1 || '');
		if (phone === null) {
			// The guide: a contact is valid with at least one phone, fax or e-mail; the sandbox sends SMS and calls only.
			rejected++;
			continue;
		}
		contacts.push({
			phoneNumber1: row.PHONENUMBER1,
			callAdress: phone,
			lastName: row.NAME || null,
			firstName: row.FORENAME || null,
			externalReference: row.EXTERNALREFERENCE || null,
			info1: row.INFO1 || null,
			info2: row.INFO2 || null,
			info3: row.INFO3 || null,
			info4: row.INFO4 || null,
		});
	}
	return { ok: true, contacts, rejected };
}

module.exports = { readContactFile, e164Of, MAX_CONTACTS_PER_FILE };
