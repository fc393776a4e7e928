// What the scripts print. Every line passes through `redact`, so a DMC password given to
// `createOutput` (or added later) never reaches a terminal or a CI log, in any of the
// forms it travels in: plain, form-encoded or inside a JSON string.

/** The forms a secret takes on the wire and in logs. */
function secretForms(secret) {
	return new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
}

/**
 * `prefix` starts every printed line (e.g. "test:n8n: "); `secrets` are replaced by `***`.
 * Returns { say (stdout), warn (stderr), redact, addSecret }.
 */
export function createOutput({ prefix = '', secrets = [] } = {}) {
	const known = [];
	const addSecret = (secret) => {
		if (typeof secret === 'string' && secret.length > 0) known.push(secret);
	};
	secrets.forEach(addSecret);
	const redact = (text) => {
		let out = String(text);
		for (const secret of known) for (const form of secretForms(secret)) out = out.split(form).join('***');
		return out;
	};
	const lines = (text) =>
		redact(text)
			.split('\n')
			.map((line) => `${prefix}${line}`)
			.join('\n');
	return {
		say: (text = '') => console.log(lines(text)),
		warn: (text = '') => console.error(lines(text)),
		redact,
		addSecret,
	};
}

const MINUTE = 60_000;

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export const duration = (ms) => (ms < MINUTE ? seconds(ms) : `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / 1000)} s`);

/** The last `lines` lines of a command's output. */
export function tail(text, lines = 25) {
	return String(text).trimEnd().split('\n').slice(-lines).join('\n');
}

/** Columns padded to their widest cell, a rule under the header. */
export function table(header, rows, indent = '') {
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => String(row[column] ?? '').length)));
	const line = (row) =>
		indent +
		row
			.map((cell, column) => String(cell ?? '').padEnd(column === row.length - 1 ? 0 : widths[column]))
			.join('  ')
			.trimEnd();
	return [line(header), indent + widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
