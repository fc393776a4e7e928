/**
 * The parameters of Campaign Create. The campaign's settings are read once (from the first
 * item); the contact's number and fields are read per item, each item being one contact.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	allowedCountriesOption,
	defaultCountryOption,
	encodingOption,
	excludeNumbersOption,
	requestTimeoutOption,
	stopMentionOption,
	toParameter,
} from '../sendParameters';

export const DEFAULT_IMPORT_TIMEOUT_SECONDS = 300;

/** The contact's parameters, while contacts are mapped field by field. */
const mappedByHand = { show: { contactMapping: ['manual'] } };

const contactField = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	displayOptions: mappedByHand,
	default: '',
	description,
});

/** The Call Planning drop-down (PlanningWS/findPlanning), Create's and Reschedule's. */
export const callPlanningParameter: INodeProperties = {
	displayName: 'Call Planning Name or ID',
	name: 'callPlanning',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCallPlannings' },
	required: true,
	default: '',
	description:
		'The hours DMC may reach contacts in; outside them the campaign waits. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const smsOnly = { show: { channel: ['sms'] } };

export const createParameters: INodeProperties[] = [
	{
		displayName: 'Campaign Name',
		name: 'campaignName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Heat-wave alert, district 4',
		description:
			'The name DMC shows for the campaign; the node adds a key of its own, such as [n8n 3f2a9c0b1d], so that it can find the campaign again',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		default: 'sms',
		options: [
			{ name: 'SMS', value: 'sms', description: 'An SMS to each contact' },
			{ name: 'Voice', value: 'voice', description: 'A call to each contact that reads the message aloud' },
		],
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'Bonjour {firstName}, ...',
		description:
			"The text of the campaign, the same for every contact. {firstName}, {lastName} and {info1} to {info4} are replaced with each contact's values by DMC.",
	},
	{
		displayName: 'Sender Name or ID',
		name: 'sender',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSenders' },
		displayOptions: smsOnly,
		default: '',
		description:
			'The sender ID shown on the phone: up to 11 letters and digits, one your account allows. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Scenario Name or ID',
		name: 'scenario',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getScenarios', loadOptionsDependsOn: ['channel'] },
		required: true,
		default: '',
		description:
			'The DMC scenario of the campaign, among those of the channel. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	callPlanningParameter,
	{
		displayName: 'Activate',
		name: 'activate',
		type: 'boolean',
		default: true,
		description:
			'Whether to start the campaign once its contacts are imported. Off leaves it in Edition, to check in the DMC extranet first.',
	},
	{
		displayName: 'Contacts',
		name: 'contactMapping',
		type: 'options',
		default: 'manual',
		options: [
			{ name: 'Map Each Field', value: 'manual', description: 'Set the number and each field below, with expressions if need be' },
			{
				name: 'Read Fields of Each Item',
				value: 'input',
				description:
					"Take each item's to, firstName, lastName, reference and info1 to info4 fields as they are: no expression to evaluate, for large campaigns",
			},
		],
	},
	{ ...toParameter, displayOptions: mappedByHand, description: "The contact's phone number: one number per item" },
	contactField('First Name', 'firstName', "The contact's first name, {firstName} in the message"),
	contactField('Last Name', 'lastName', "The contact's last name, {lastName} in the message"),
	contactField('Reference', 'reference', "Your own reference for the contact, found again in the campaign's reports"),
	contactField('Info 1', 'info1', 'A value of your own for the contact, {info1} in the message (at most 4000 characters)'),
	contactField('Info 2', 'info2', 'A value of your own for the contact, {info2} in the message (at most 255 characters)'),
	contactField('Info 3', 'info3', 'A value of your own for the contact, {info3} in the message (at most 255 characters)'),
	contactField('Info 4', 'info4', 'A value of your own for the contact, {info4} in the message (at most 255 characters)'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...stopMentionOption, name: 'addStopMention', displayOptions: smsOnly },
			allowedCountriesOption,
			defaultCountryOption,
			{ ...encodingOption, displayOptions: smsOnly },
			excludeNumbersOption,
			{
				displayName: 'Import Time-Out (Seconds)',
				name: 'importTimeout',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_IMPORT_TIMEOUT_SECONDS,
				description: 'How long to wait for DMC to import the contacts before reporting the campaign as left in Edition',
			},
			requestTimeoutOption,
			{
				displayName: 'Skip If Already Created',
				name: 'skipIfAlreadyCreated',
				type: 'boolean',
				default: false,
				description:
					'Whether to report the campaign already created from the same name, message, settings and contacts instead of creating a second one: re-runs of the same data then create it once',
			},
			{
				displayName: 'Start At',
				name: 'startAt',
				type: 'dateTime',
				default: '',
				description: 'When the campaign may start sending. Empty: as soon as it is activated.',
			},
			{
				displayName: 'Stop At',
				name: 'stopAt',
				type: 'dateTime',
				default: '',
				description: "When the campaign stops, whoever it has not reached. Empty: DMC's default, 48 hours after the start.",
			},
		],
	},
];
