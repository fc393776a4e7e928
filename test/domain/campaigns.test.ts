import {
	campaignStatusOf,
	parseCampaignId,
	parseInstant,
	refusedControl,
	toCampaign,
	toCampaignReport,
	toResultSummary,
} from '../../nodes/SfrDmc/domain/campaigns';
import { InputError } from '../../nodes/SfrDmc/domain/inputError';

describe('campaignStatusOf', () => {
	it.each([
		['Edition', undefined, 'editing'],
		['Chargement en cours', 'BR_LOADING', 'loading'],
		['Appel/Envoi en cours', undefined, 'sending'],
		['Appels suspendus', undefined, 'suspended'],
		['Pause demandée', undefined, 'pauseRequested'],
		['Pause', undefined, 'paused'],
		['Redémarrage en cours', undefined, 'restarting'],
		['Quota atteint', undefined, 'quotaReached'],
		['Arrêt demandé', undefined, 'stopRequested'],
		['Arrêtée', undefined, 'stopped'],
		['Echec', undefined, 'failed'],
		// The code wins over a label in another language.
		['Finished', 'BR_FINISHED', 'finished'],
		['Sending', undefined, 'unknown'],
		[undefined, undefined, 'unknown'],
	])('%s (%s) is %s', (label, code, status) => {
		expect(campaignStatusOf(label, code)).toBe(status);
	});
});

it("reads the guide's getBroadcastDetail example", () => {
	expect(
		toCampaign({
			broadcastName: 'Test SMS',
			broadcastId: 1234,
			startDate: 1371636529000,
			stopDate: 1371809329000,
			scenarioName: 'Test SMS',
			scenarioId: 123,
			callPlanningId: 27,
			callPlanningName: 'Planning 24/7',
			status: 'Terminée',
			statusCode: 'BR_FINISHED',
			runningContactNumber: 0,
			endedContactNumber: 4,
			totalContactNumber: 4,
		}),
	).toEqual({
		campaignId: '1234',
		name: 'Test SMS',
		status: 'finished',
		statusLabel: 'Terminée',
		statusCode: 'BR_FINISHED',
		startAt: '2013-06-19T10:08:49.000Z',
		stopAt: '2013-06-21T10:08:49.000Z',
		callPlanningId: '27',
		callPlanningName: 'Planning 24/7',
		scenarioId: '123',
		scenarioName: 'Test SMS',
		contacts: 4,
		running: 0,
		ended: 4,
		succeeded: null,
		failed: null,
	});
});

it('reads a report: E.164 number from callAdress or the national phoneNumber1, parts from callDetail, delivered from the status', () => {
	expect(
		toCampaignReport({ contactId: 80409, broadcastId: 12468, phoneNumber1: '0600000000', status: 'RUNNING', callResponse: 'Stop' }),
	).toMatchObject({ contactId: '80409', campaignId: '12468', to: '+33600000000', delivered: null, reply: 'Stop', parts: null });
	expect(
		toCampaignReport({
			contactId: 1,
			callAdress: '+33611223344',
			status: 'DONE',
			callDetail: '2 partie(s)',
			callResultCode: 'CRA_SMS_RECEIVED',
		}),
	).toMatchObject({ to: '+33611223344', delivered: true, parts: 2, resultCode: 'CRA_SMS_RECEIVED' });
	expect(toCampaignReport({ contactId: 2, status: 'FAILED' }).delivered).toBe(false);
});

it("sums findCraNumber's counts", () => {
	expect(
		toResultSummary('62089', [
			{ label: 'Coordonnées incompatibles', codeResult: 'CRA_MMS_NOADDRESS', nb: 3 },
			{ label: 'Envoyé', codeResult: 'CRA_MMS_SENT', nb: 1 },
		]),
	).toEqual({
		campaignId: '62089',
		contacts: 4,
		results: [
			{ resultCode: 'CRA_MMS_NOADDRESS', label: 'Coordonnées incompatibles', contacts: 3 },
			{ resultCode: 'CRA_MMS_SENT', label: 'Envoyé', contacts: 1 },
		],
	});
});

describe('parseCampaignId', () => {
	it('takes digits or a whole number', () => {
		expect(parseCampaignId(' 61920 ')).toBe('61920');
		expect(parseCampaignId(61920)).toBe('61920');
	});
	it.each([
		['abc', 'not "abc"'],
		['', 'not ""'],
		[-3, 'not the number -3'],
		[undefined, 'not nothing'],
		[[1], 'not a list'],
	])('refuses %p, naming it', (value, named) => {
		expect(() => parseCampaignId(value)).toThrow(InputError);
		expect(() => parseCampaignId(value)).toThrow(named);
	});
});

it('parseInstant reads ISO texts and refuses what is not a date', () => {
	expect(parseInstant('2026-12-07T10:00:00Z', 'Start At')).toBe(Date.UTC(2026, 11, 7, 10));
	expect(parseInstant('', 'Start At')).toBeUndefined();
	expect(() => parseInstant('tomorrow', 'Start At')).toThrow('Start At "tomorrow" is not a date');
});

describe('refusedControl', () => {
	const campaign = (status: string) => toCampaign({ broadcastId: 5, status });
	it.each([
		['pause', 'Appel/Envoi en cours', null],
		['pause', 'Terminée', 'only a campaign that is loading or sending can be paused'],
		['restart', 'Pause', null],
		['restart', 'Arrêtée', 'only a paused campaign can be resumed'],
		['terminate', 'Appels suspendus', null],
		['terminate', 'Edition', 'a campaign still in edition is deleted instead'],
		['drop', 'Edition', null],
		['drop', 'Appel/Envoi en cours', 'stop it first'],
		// A state the node cannot read is DMC's to judge.
		['drop', 'Running', null],
	] as const)('%s of a campaign in %s', (control, label, refusal) => {
		const why = refusedControl(control, campaign(label));
		if (refusal === null) expect(why).toBeNull();
		else expect(why).toContain(refusal);
	});
});
