// Realistic recipients and texts for the benchmark, from a seed: French numbers written as
// people write them (national, +33, 0033, overseas, foreign; spaces, dots, dashes…).

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function weighted(random, table) {
	let roll = random() * table.reduce((sum, [weight]) => sum + weight, 0);
	for (const [weight, value] of table) {
		roll -= weight;
		if (roll < 0) return value;
	}
	return table[table.length - 1][1];
}

const digits = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const pick = (random, list) => list[Math.floor(random() * list.length)];

/** Groups of two digits with a separator, as people write French numbers. */
function pairs(text, separator) {
	const groups = [];
	for (let i = text.length; i > 0; i -= 2) groups.unshift(text.slice(Math.max(0, i - 2), i));
	return groups.join(separator);
}

const SEPARATOR_STYLES = [
	[30, ''],
	[40, ' '],
	[12, '.'],
	[10, '-'],
	[8, '/'],
];

/** French mobiles: 06 (but 0639, 069x overseas) and 073–079. */
function metropolitanMobile(random) {
	return random() < 0.7
		? `6${pick(random, ['0', '1', '2', '4', '5', '6', '7', '8'])}${digits(random, 7)}`
		: `7${pick(random, ['3', '4', '5', '6', '7', '8', '9'])}${digits(random, 7)}`;
}

const OVERSEAS = [
	['590', '690'], // Guadeloupe
	['590', '691'],
	['596', '696'], // Martinique
	['594', '694'], // Guiana
	['262', '692'], // Réunion
	['262', '693'],
	['262', '639'], // Mayotte
];

const FOREIGN = [
	['32', (r) => `4${pick(r, ['6', '7', '8', '9'])}${digits(r, 7)}`, (n) => `${n.slice(0, 3)} ${pairs(n.slice(3), ' ')}`], // Belgium
	['44', (r) => `7${pick(r, ['4', '5', '7', '8', '9'])}${digits(r, 8)}`, (n) => `${n.slice(0, 4)} ${n.slice(4)}`], // UK
	['49', (r) => `17${digits(r, 1)}${digits(r, 7)}`, (n) => `${n.slice(0, 3)} ${n.slice(3)}`], // Germany
	['34', (r) => `6${digits(r, 8)}`, (n) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`], // Spain
	['39', (r) => `3${pick(r, ['2', '3', '4', '5', '6', '8', '9'])}${digits(r, 8)}`, (n) => `${n.slice(0, 3)} ${n.slice(3)}`], // Italy
	['41', (r) => `7${pick(r, ['6', '7', '8', '9'])}${digits(r, 7)}`, (n) => `${n.slice(0, 2)} ${n.slice(2, 5)} ${pairs(n.slice(5), ' ')}`], // Switzerland
	['212', (r) => `6${digits(r, 8)}`, (n) => `${n.slice(0, 3)}-${n.slice(3)}`], // Morocco
];

/**
 * One recipient as a person may write it, and the E.164 number it must become. The mix:
 * metropolitan national 50%, +33 15%, 0033 5%, overseas written nationally 10%, overseas
 * with their own code 5%, foreign mobiles 15%; separators: none, spaces, dots, dashes,
 * slashes, and `+33 (0)6…`.
 */
function writtenNumber(random) {
	const kind = weighted(random, [
		[50, 'national'],
		[15, '+33'],
		[5, '0033'],
		[10, 'overseas-national'],
		[5, 'overseas-international'],
		[15, 'foreign'],
	]);
	const separator = weighted(random, SEPARATOR_STYLES);
	switch (kind) {
		case 'national': {
			const nine = metropolitanMobile(random);
			return { kind, e164: `+33${nine}`, written: pairs(`0${nine}`, separator) };
		}
		case '+33': {
			const nine = metropolitanMobile(random);
			const written =
				random() < 0.15
					? `+33 (0)${nine[0]} ${pairs(nine.slice(1), ' ')}`
					: `+33${separator}${nine[0]}${separator}${pairs(nine.slice(1), separator)}`;
			return { kind, e164: `+33${nine}`, written };
		}
		case '0033': {
			const nine = metropolitanMobile(random);
			return { kind, e164: `+33${nine}`, written: `0033${separator}${nine[0]}${separator}${pairs(nine.slice(1), separator)}` };
		}
		case 'overseas-national': {
			const [code, prefix] = pick(random, OVERSEAS);
			const nine = `${prefix}${digits(random, 6)}`;
			return { kind, e164: `+${code}${nine}`, written: pairs(`0${nine}`, separator) };
		}
		case 'overseas-international': {
			const [code, prefix] = pick(random, OVERSEAS);
			const nine = `${prefix}${digits(random, 6)}`;
			const start = random() < 0.8 ? '+' : '00';
			return { kind, e164: `+${code}${nine}`, written: `${start}${code} ${nine.slice(0, 3)} ${pairs(nine.slice(3), separator || ' ')}` };
		}
		default: {
			const [code, national, format] = pick(random, FOREIGN);
			const number = national(random);
			const start = random() < 0.8 ? '+' : '00';
			return { kind, e164: `+${code}${number}`, written: `${start}${code} ${format(number)}` };
		}
	}
}

const TEXTS = [
	[40, (n) => `Bonjour, votre demande n°${n} a bien été enregistrée par la mairie. Vous serez recontacté sous 48 h.`],
	[25, (n) => `Rappel : collecte des encombrants demain matin dans votre rue. Merci de sortir vos objets avant 7 h. Mairie, réf. ${n}`],
	[
		15,
		(n) =>
			`Mairie : les travaux de voirie rue Jean-Jaurès commencent lundi. Le stationnement y sera interdit de 7 h à 19 h jusqu'au 14 mars, et la circulation alternée. Pour toute question : accueil au 01 23 45 67 89. Réf. ${n}`,
	],
	[12, (n) => `Votre facture de cantine de 42,50 € est disponible sur le portail famille. Réf. ${n}`],
	[5, (n) => `Fête des voisins vendredi 19 h, place de la mairie 🎉 Inscription n°${n}`],
	[3, (n) => `Alerte météo : vigilance orange orages cet après-midi. Évitez les déplacements. [${n}]`],
];

/**
 * Items of `minRecipients`..`maxRecipients` distinct recipients (distinct across the whole
 * set, so each message is identified by its number and its item's unique text). Each
 * number is checked against the domain once here, so the expected E.164 is the node's.
 */
export function generateItems(domain, count, minRecipients, maxRecipients, seed, { byRecipients = false } = {}) {
	const random = mulberry32(seed);
	const rules = domain.numberRules('FR', '');
	const seen = new Set();
	const items = [];
	let recipients = 0;
	for (let n = 0; byRecipients ? recipients < count : items.length < count; n++) {
		let size = minRecipients + Math.floor(random() * (maxRecipients - minRecipients + 1));
		if (byRecipients) size = Math.min(size, count - recipients);
		const numbers = [];
		while (numbers.length < size) {
			let candidate;
			for (let attempt = 0; ; attempt++) {
				candidate = writtenNumber(random);
				if (seen.has(candidate.e164)) continue;
				let normalized;
				try {
					normalized = domain.normalizePhoneNumber(candidate.written, rules);
				} catch {
					normalized = undefined;
				}
				if (normalized === candidate.e164) break;
				if (attempt > 200) throw new Error(`bench: cannot generate a valid ${candidate.kind} number (last ${candidate.written})`);
			}
			seen.add(candidate.e164);
			numbers.push(candidate);
		}
		const list = numbers.map((number) => number.written).join(pick(random, [', ', '; ', '\n', ',']));
		items.push({ to: list, text: weighted(random, TEXTS)(`${seed}-${n}`), expected: numbers.map((number) => number.e164) });
		recipients += size;
	}
	return items;
}
