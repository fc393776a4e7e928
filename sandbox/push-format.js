'use strict';

/**
 * DMC's push reports (Push CRA) as the sandbox sends them: the JSON an integrator recorded
 * (`{"status_report":{"username","sms":[{…,"status_list":[…]}]}}`) or the guide's XML
 * (`<status_report username><sms …><status date type info/></sms></status_report>`).
 * Dates are French wall-clock time with no zone, as in the guide's examples.
 */

const PUSH_FORMATS = ['json', 'xml'];

const parisClock = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Europe/Paris',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

/** `2024-05-02 10:00:00`, French time. */
function parisDate(ms) {
	return parisClock.format(new Date(ms));
}

/**
 * A message's push events so far, oldest first: SENT when accepted, RECEIVED or ERROR when
 * final, ANSWERED for each reply (its text in `info`). Each has a key that never changes.
 * @param {{ id: number, status: string, resultCode: string, receivedAt: number, statusChangedAt: number }} message
 * @param {Array<{ text: string, at: number }>} replies the message's replies, oldest first
 */
function messageEvents(message, replies) {
	const events = [{ key: `${message.id}|SENT`, type: 'SENT', at: message.receivedAt }];
	if (message.status !== 'RUNNING') {
		const type = message.status === 'DONE' ? 'RECEIVED' : 'ERROR';
		events.push({
			key: `${message.id}|${type}|${message.statusChangedAt}`,
			type,
			at: message.statusChangedAt,
			info: message.status === 'DONE' ? undefined : message.resultCode,
		});
	}
	replies.forEach((reply, index) =>
		events.push({ key: `${message.id}|ANSWERED|${reply.at}|${index}`, type: 'ANSWERED', at: reply.at, info: reply.text }),
	);
	return events.sort((a, b) => a.at - b.at);
}

/**
 * The push entry of a message's event: its status, and its status list up to that event.
 * @param {{ id: number, broadcastId?: number, callAdress: string, refExt: string|null, receivedAt: number }} message
 * @param {ReturnType<typeof messageEvents>} events
 * @param {number} index the event pushed
 * @param {{ spaceId: string }} account
 */
function pushEntry(message, events, index, account) {
	return {
		to: message.callAdress,
		date: parisDate(message.receivedAt),
		call_id: String(900000000 + message.id),
		// A campaign contact's broadcast; for a unit message, sandbox choice: its own id (the guide does not say).
		broadcast_id: String(message.broadcastId ?? message.id),
		contact_id: String(message.id),
		ref_externe: message.refExt ?? '',
		space_id: account.spaceId,
		status: events[index].type,
		status_list: events.slice(0, index + 1).map((event) => ({
			date: parisDate(event.at),
			type: event.type,
			...(event.info === undefined ? {} : { info: event.info }),
		})),
	};
}

function xmlAttribute(value) {
	return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The HTTP body and content type of a push of some entries. */
function pushBody(entries, username, format) {
	if (format === 'json') {
		return { contentType: 'application/json; charset=UTF-8', body: JSON.stringify({ status_report: { username, sms: entries } }) };
	}
	const sms = entries.map((entry) => {
		const { status_list: lines, ...fields } = entry;
		const attributes = Object.entries(fields)
			.map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
			.join('');
		const children = lines
			.map(
				(line) =>
					`<status${Object.entries(line)
						.map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
						.join('')}/>`,
			)
			.join('');
		return `<sms${attributes}>${children}</sms>`;
	});
	return {
		contentType: 'text/xml; charset=UTF-8',
		body: `<?xml version="1.0" encoding="UTF-8"?><status_report username="${xmlAttribute(username)}">${sms.join('')}</status_report>`,
	};
}

module.exports = { PUSH_FORMATS, parisDate, messageEvents, pushEntry, pushBody };
