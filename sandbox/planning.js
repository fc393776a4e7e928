'use strict';

/**
 * Call plannings (PlanningWS, §2.2): when a broadcast may reach its contacts. Outside a
 * planning's open slots a running broadcast shows "Appels suspendus" and sends nothing.
 *
 * Sandbox choice: slots are read in UTC (the guide gives minutes since midnight and no time
 * zone), weekday 1 = Sunday as in the guide's Day object.
 */

const PLANNINGS = Object.freeze([
	{ planningId: 22, planningName: 'Planning 24/7', planningForService: true, slots: null },
	{
		planningId: 23,
		planningName: 'Heures ouvrées',
		planningForService: true,
		// Monday to Friday, 08:00-18:00.
		slots: [2, 3, 4, 5, 6].map((weekday) => ({ weekday, minutesDebut: 8 * 60, minutesFin: 18 * 60 })),
	},
	{ planningId: 24, planningName: 'Jamais (test)', planningForService: true, slots: [] },
]);

function findPlanning(planningId) {
	const id = typeof planningId === 'string' && /^\d+$/.test(planningId) ? Number(planningId) : planningId;
	return PLANNINGS.find((planning) => planning.planningId === id);
}

/** Whether contacts may be called at instant `t` (ms). */
function isOpen(planning, t) {
	if (planning.slots === null) return true;
	const date = new Date(t);
	const weekday = date.getUTCDay() + 1;
	const minutes = date.getUTCHours() * 60 + date.getUTCMinutes();
	return planning.slots.some((slot) => slot.weekday === weekday && minutes >= slot.minutesDebut && minutes < slot.minutesFin);
}

/** findPlanning's answer: the plannings, as the guide's JSON example lists them. */
function planningList() {
	return PLANNINGS.map(({ planningId, planningName, planningForService }) => ({ planningId, planningName, planningForService }));
}

module.exports = { PLANNINGS, findPlanning, isOpen, planningList };
