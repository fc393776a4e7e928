// Plain JavaScript: it reads files, which the n8n lint forbids in .ts files.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');

/**
 * The lines of a CSV file of the repository as Extract from File gives them: one object per
 * line, keyed by the header. The examples' files have no quoting, so a line splits on its
 * commas; a quote, or a line of another length than the header, is refused.
 */
function csvRows(path) {
	const [header, ...lines] = readFileSync(join(root, path), 'utf8').trimEnd().split(/\r?\n/);
	const columns = header.split(',');
	return lines.map((line, index) => {
		const values = line.split(',');
		if (line.includes('"') || values.length !== columns.length)
			throw new Error(`${path} line ${index + 2} is not ${columns.length} unquoted values: ${line}`);
		return Object.fromEntries(columns.map((column, n) => [column, values[n]]));
	});
}

module.exports = { csvRows };
