import fc from 'fast-check';

import { pushEventOf, wantedPushEvent, type PushEventFilter } from '../../nodes/SfrDmc/domain/pushEvents';
import { decodePushBytes, MAX_PUSH_ENTRIES, PushBodyError, readPushText, readPushValue } from '../../nodes/SfrDmc/domain/pushReports';
import { readSeen, rememberFresh, SEEN_FOR_MS } from '../../nodes/SfrDmc/domain/pushSeen';

/** The JSON push an integrator recorded, with our own values. */
const JSON_PUSH = {
	status_report: {
		username: 'svc',
		sms: [
			{
				to: '33612345678',
				date: '2019-04-12 15:21:40',
				call_id: '9001',
				broadcast_id: '77',
				contact_id: '100001',
				ref_externe: 'rdv-42',
				space_id: 'space-1',
				status: 'RECEIVED',
				status_list: [
					{ date: '2019-04-12 15:21:41', type: 'SENT' },
					{ date: '2019-04-12 15:21:47', type: 'RECEIVED' },
				],
			},
		],
	},
};

/** The guide's XML shape: a reply. */
const XML_PUSH = `<?xml version="1.0" encoding="UTF-8"?>
<status_report username="svc">
  <sms to="+33612345678" status="ANSWERED" call_id="9001" broadcast_id="77" contact_id="100001" ref_externe="rdv-42" space_id="space-1" date="2019-04-12 15:21:40">
    <status date="2019-04-12 15:21:41" type="SENT"/>
    <status date="2019-04-12 15:21:47" type="RECEIVED"/>
    <status date="2019-04-12 15:30:00" type="ANSWERED" info="Oui, j'y serai"/>
  </sms>
</status_report>`;

const refusal = (run: () => unknown): string => {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(PushBodyError);
		return (error as Error).message;
	}
	throw new Error('expected a PushBodyError');
};

describe('readPushText', () => {
	it('reads the JSON push into entries', () => {
		const report = readPushText(JSON.stringify(JSON_PUSH));
		expect(report.username).toBe('svc');
		expect(report.entries).toHaveLength(1);
		expect(report.entries[0]).toMatchObject({
			medium: 'sms',
			callId: '9001',
			contactId: '100001',
			broadcastId: '77',
			reference: 'rdv-42',
			spaceId: 'space-1',
			to: '33612345678',
			status: 'RECEIVED',
			statusList: [
				{ type: 'SENT', date: '2019-04-12 15:21:41', info: null },
				{ type: 'RECEIVED', date: '2019-04-12 15:21:47', info: null },
			],
		});
		expect(report.entries[0].raw).toEqual(JSON_PUSH.status_report.sms[0]);
	});

	it('reads the XML push of the guide into the same shape', () => {
		const report = readPushText(XML_PUSH);
		expect(report.username).toBe('svc');
		expect(report.entries[0]).toMatchObject({
			callId: '9001',
			contactId: '100001',
			reference: 'rdv-42',
			spaceId: 'space-1',
			status: 'ANSWERED',
		});
		expect(report.entries[0].statusList.map((line) => [line.type, line.info])).toEqual([
			['SENT', null],
			['RECEIVED', null],
			['ANSWERED', "Oui, j'y serai"],
		]);
	});

	it('takes camelCase names, one entry as an object, other media, and a list of reports', () => {
		const camel = {
			statusReport: {
				username: 'svc',
				sms: { callId: 1, contactId: 2, spaceId: 's', statusList: { type: 'sent', date: 'x' } },
				mail: [{ callId: 3, status: 'CLICK' }],
			},
		};
		const report = readPushValue(camel);
		expect(report.entries.map((entry) => [entry.medium, entry.callId, entry.status ?? entry.statusList[0].type])).toEqual([
			['sms', '1', 'SENT'],
			['mail', '3', 'CLICK'],
		]);
		const many = readPushValue([JSON_PUSH, JSON_PUSH]);
		expect(many.entries).toHaveLength(2);
		expect(refusal(() => readPushValue([JSON_PUSH, { status_report: { username: 'other', sms: [] } }]))).toMatch(/different usernames/);
	});

	it('takes a form whose field holds JSON or XML', () => {
		const json = new URLSearchParams({ status_report: JSON.stringify(JSON_PUSH) }).toString();
		expect(readPushText(json).entries[0].callId).toBe('9001');
		const xml = new URLSearchParams({ data: XML_PUSH }).toString();
		expect(readPushText(xml).entries[0].status).toBe('ANSWERED');
		expect(refusal(() => readPushText('a=1&b=2'))).toMatch(/no JSON or XML found/);
	});

	it('reads ISO-8859-1 bodies when the content type or the XML declaration says so', () => {
		const latin1 = Uint8Array.from([...Buffer.from('<r info="caf', 'latin1'), 0xe9, ...Buffer.from('"/>', 'latin1')]);
		expect(decodePushBytes(latin1, 'text/xml; charset=ISO-8859-1')).toBe('<r info="café"/>');
		const declared = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r info="café"/>', 'latin1');
		expect(decodePushBytes(declared, 'text/xml')).toContain('café');
		expect(decodePushBytes(Buffer.from('{"a":"café"}'), 'application/json')).toBe('{"a":"café"}');
	});

	it('refuses unreadable bodies and wrong types, naming the field and never its value', () => {
		const secret = '+33699999999';
		const cases: Array<[string, RegExp]> = [
			['', /empty body/],
			[`{"status_report":`, /unreadable JSON/],
			[`<status_report username="${secret}">`, /unreadable XML/],
			[secret, /neither JSON, XML nor a form/],
			[
				JSON.stringify({ status_report: { username: 'svc', sms: [{ call_id: { number: secret } }] } }),
				/sms entry 1: callid must be text, not object/,
			],
			[JSON.stringify({ status_report: { username: 'svc', sms: [{ to: [secret] }] } }), /sms entry 1: to must be text, not a list/],
			[JSON.stringify({ status_report: { username: 'svc', sms: [secret] } }), /sms entry 1 must be an object/],
			[JSON.stringify({ status_report: { username: 'svc', sms: [{ status_list: [secret] }] } }), /sms entry 1 status 1 must be an object/],
			[JSON.stringify({ status_report: { username: 'svc', sms: [{ status_list: [{ info: secret }] }] } }), /status 1 has no type/],
			[JSON.stringify({ status_report: { username: 'svc', sms: [{ info: secret.repeat(400) }] } }), /info is longer than 4000/],
			[JSON.stringify([secret]), /status_report 1 must be an object/],
			[`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><status_report username="svc"><sms to="&e;"/></status_report>`, /DOCTYPE/],
		];
		for (const [body, message] of cases) {
			const text = refusal(() => readPushText(body));
			expect(text).toMatch(message);
			expect(text).not.toContain(secret);
		}
	});

	it('refuses a flood of entries or status lines whole', () => {
		const entries = Array.from({ length: MAX_PUSH_ENTRIES + 1 }, (_, i) => ({ call_id: i, status: 'SENT' }));
		expect(refusal(() => readPushValue({ status_report: { username: 'svc', sms: entries } }))).toMatch(/at most 1000 entries/);
		expect(
			refusal(() => readPushValue(Array.from({ length: 3 }, () => ({ status_report: { username: 'svc', sms: entries.slice(0, 400) } })))),
		).toMatch(/at most 1000/);
		const lines = Array.from({ length: 101 }, () => ({ type: 'SENT' }));
		expect(refusal(() => readPushValue({ status_report: { username: 'svc', sms: [{ call_id: 1, status_list: lines }] } }))).toMatch(
			/more than 100 status lines/,
		);
		expect(readPushValue({ status_report: { username: 'svc', sms: entries.slice(0, MAX_PUSH_ENTRIES) } }).entries).toHaveLength(
			MAX_PUSH_ENTRIES,
		);
	});

	it('property: the same entries read the same from JSON, from XML and in any key case', () => {
		const token = fc.stringMatching(/^[A-Za-z0-9+ ]{1,12}$/);
		const entry = fc.record({
			call_id: token,
			contact_id: token,
			space_id: token,
			to: token,
			status: fc.constantFrom('SENT', 'RECEIVED', 'ERROR', 'ANSWERED'),
		});
		fc.assert(
			fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), fc.boolean(), (entries, camel) => {
				const rename = (name: string) => (camel ? name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()) : name);
				const json = {
					status_report: {
						username: 'svc',
						sms: entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [rename(k), v]))),
					},
				};
				const xml = `<status_report username="svc">${entries
					.map(
						(e) =>
							`<sms ${Object.entries(e)
								.map(([k, v]) => `${rename(k)}="${v}"`)
								.join(' ')}/>`,
					)
					.join('')}</status_report>`;
				const pick = (text: string) =>
					readPushText(text).entries.map(({ callId, contactId, spaceId, to, status }) => ({ callId, contactId, spaceId, to, status }));
				expect(pick(JSON.stringify(json))).toEqual(pick(xml));
				expect(pick(xml)).toEqual(
					entries.map((e) => ({ callId: e.call_id, contactId: e.contact_id, spaceId: e.space_id, to: e.to, status: e.status })),
				);
			}),
		);
	});

	it('property: any text is read or refused with a PushBodyError, never anything else', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.json(),
					fc.json().map((j) => `{"status_report":${j}}`),
				),
				(body) => {
					try {
						readPushText(body);
					} catch (error) {
						expect(error).toBeInstanceOf(PushBodyError);
					}
				},
			),
		);
	});
});

describe('pushEventOf and wantedPushEvent', () => {
	const filter = (choice: PushEventFilter['choice'], extra: Partial<PushEventFilter> = {}): PushEventFilter => ({
		choice,
		statuses: ['DONE', 'FAILED'],
		includeStops: false,
		...extra,
	});

	it('makes a delivery report in the polling trigger shape, keyed call_id|status|date', () => {
		const event = pushEventOf(readPushText(JSON.stringify(JSON_PUSH)).entries[0], 'sms entry 1');
		expect(event.key).toBe('9001|RECEIVED|2019-04-12 15:21:47');
		expect(event.json).toEqual({
			event: 'deliveryStatusChanged',
			messageId: '100001',
			reference: 'rdv-42',
			callId: '9001',
			// The push's broadcast_id: a campaign's reports are pushed like unit messages'.
			campaignId: '77',
			medium: 'sms',
			to: '+33612345678',
			status: 'DONE',
			pushStatus: 'RECEIVED',
			result: null,
			updatedAt: '2019-04-12T13:21:47.000Z',
			raw: JSON_PUSH.status_report.sms[0],
		});
	});

	it('makes a reply with the ANSWERED line text, and a STOP', () => {
		const entry = readPushText(XML_PUSH).entries[0];
		const reply = pushEventOf(entry, 'sms entry 1');
		expect(reply.json).toMatchObject({
			event: 'replyReceived',
			from: '+33612345678',
			text: "Oui, j'y serai",
			isStop: false,
			messageId: '100001',
			receivedAt: '2019-04-12T13:30:00.000Z',
		});
		const stop = pushEventOf(readPushText(XML_PUSH.replace("Oui, j'y serai", 'stop svp')).entries[0], 'sms entry 1');
		expect(stop.json).toMatchObject({ event: 'stopReceived', isStop: true, text: 'stop svp' });
	});

	it('takes the last status_list type when the entry has no status, and maps the vocabulary', () => {
		const read = (status: string) =>
			pushEventOf(
				{ ...readPushText(JSON.stringify(JSON_PUSH)).entries[0], status: null, statusList: [{ type: status, date: null, info: 'why' }] },
				'e',
			);
		expect(read('ERROR').json).toMatchObject({ status: 'FAILED', pushStatus: 'ERROR', result: 'why' });
		expect(read('ABORTED').json.status).toBe('FAILED');
		expect(read('SENT').json.status).toBe('RUNNING');
		expect(read('CLICK').json.status).toBe('UNKNOWN');
		expect(read('SENT').key).toBe('9001|SENT|2019-04-12 15:21:40');
	});

	it('refuses an entry with no status or no id', () => {
		const entry = readPushText(JSON.stringify(JSON_PUSH)).entries[0];
		expect(refusal(() => pushEventOf({ ...entry, status: null, statusList: [] }, 'sms entry 3'))).toBe('sms entry 3 has no status');
		expect(refusal(() => pushEventOf({ ...entry, callId: null, contactId: null }, 'sms entry 3'))).toBe(
			'sms entry 3 has neither call_id nor contact_id',
		);
	});

	it('filters like the polling trigger', () => {
		const report = pushEventOf(readPushText(JSON.stringify(JSON_PUSH)).entries[0], 'e');
		const reply = pushEventOf(readPushText(XML_PUSH).entries[0], 'e');
		const stop = pushEventOf(readPushText(XML_PUSH.replace("Oui, j'y serai", 'STOP')).entries[0], 'e');
		const sent = pushEventOf({ ...readPushText(JSON.stringify(JSON_PUSH)).entries[0], status: 'SENT' }, 'e');
		const pass = (choice: PushEventFilter['choice'], extra: Partial<PushEventFilter> = {}) =>
			[report, reply, stop, sent].filter((event) => wantedPushEvent(event, filter(choice, extra))).map((event) => event.json.event);
		expect(pass('allEvents')).toEqual(['deliveryStatusChanged', 'replyReceived', 'stopReceived', 'deliveryStatusChanged']);
		expect(pass('deliveryStatusChanged')).toEqual(['deliveryStatusChanged']);
		expect(pass('deliveryStatusChanged', { statuses: ['FAILED'] })).toEqual([]);
		expect(pass('replyReceived')).toEqual(['replyReceived']);
		expect(pass('replyReceived', { includeStops: true })).toEqual(['replyReceived', 'stopReceived']);
		expect(pass('stopReceived')).toEqual(['stopReceived']);
	});
});

describe('rememberFresh', () => {
	it('lets each key through once within the time, again after it', () => {
		const first = rememberFresh({}, ['a', 'b', 'a'], 1000);
		expect([...first.fresh]).toEqual(['a', 'b']);
		const second = rememberFresh(first.next, ['a', 'c'], 2000);
		expect([...second.fresh]).toEqual(['c']);
		const later = rememberFresh(second.next, ['a'], 1000 + SEEN_FOR_MS);
		expect([...later.fresh]).toEqual(['a']);
	});

	it('keeps an entry stamped after now: a simultaneous copy read the clock later', () => {
		const byLaterCopy = rememberFresh({}, ['a'], 1001).next;
		const earlierCopy = rememberFresh(byLaterCopy, ['a', 'b'], 1000);
		expect([...earlierCopy.fresh]).toEqual(['b']);
		expect(earlierCopy.next).toEqual({ a: 1001, b: 1000 });
	});

	it('reads a damaged memory as empty and keeps the newest entries when full', () => {
		expect(readSeen('x')).toEqual({});
		expect(readSeen({ a: 1, b: 'no' })).toEqual({ a: 1 });
		const full = rememberFresh(
			{},
			Array.from({ length: 20_005 }, (_, i) => `k${i}`),
			5,
		);
		expect(Object.keys(full.next)).toHaveLength(20_000);
	});
});
