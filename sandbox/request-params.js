'use strict';

/**
 * Turning an HTTP request into DMC parameters.
 *
 * DMC takes every parameter as a query-string or form field whose value is a JSON
 * text. Decoding follows application/x-www-form-urlencoded rules, so an unencoded
 * '+' becomes a space — exactly what happens on the real platform.
 */

const { invalidParameter } = require('./envelope');

const MAX_BODY_BYTES = 1024 * 1024;

/** Read the whole request body as UTF-8 text (capped at 1 MiB). */
function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * Collect raw (still JSON-encoded) field values from the query string and, for
 * form posts, the body. Body fields win over query fields of the same name.
 */
function collectRawFields(url, contentType, body) {
	const fields = new Map();
	for (const [name, value] of url.searchParams) fields.set(name, value);
	if (/application\/x-www-form-urlencoded/i.test(contentType || '') && body !== '') {
		for (const [name, value] of new URLSearchParams(body)) fields.set(name, value);
	}
	return fields;
}

/**
 * Decode one field as JSON. Returns undefined when the field is absent.
 * A field that is not valid JSON is an invalid_parameter error.
 */
function jsonField(fields, name) {
	if (!fields.has(name)) return undefined;
	const raw = fields.get(name);
	try {
		return JSON.parse(raw);
	} catch {
		throw invalidParameter(`Le paramètre ${name} n'est pas un JSON valide`);
	}
}

module.exports = { readBody, collectRawFields, jsonField };
