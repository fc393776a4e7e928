'use strict';

/**
 * The upload service (§2.3.1): a multipart/form-data POST to `/DmcWS/<version>/uploadService`
 * (beside JsonService, not under it) with `serviceId`, `serviceWsPassword` and the file
 * part `filename`; the answer is the stored file's name as plain text, which
 * importContactBroadcast takes as `fileSource`.
 *
 * Sandbox choices: a refused upload answers a DMC JSON failure envelope (the guide gives no
 * error answer); a file is at most 32 MiB; a field name is read trimmed, as the guide's own
 * form writes "serviceWsPassword " with a trailing space.
 */

const { randomUUID } = require('node:crypto');
const { DmcError, invalidParameter } = require('./envelope');

const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;
const UPLOAD_METHOD = 'uploadService';

function readRawBody(req, limit = MAX_UPLOAD_BYTES) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > limit) {
				reject(new Error('Upload too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * The parts of a multipart/form-data body: `{ fields: Map<name, string>, files: Map<name, { fileName, content }> }`.
 * Throws invalid_parameter when the body is not multipart.
 */
function parseMultipart(contentType, body) {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
	if (!/^multipart\/form-data/i.test(contentType || '') || !boundary) {
		throw invalidParameter("L'upload attend un corps multipart/form-data");
	}
	const delimiter = Buffer.from(`--${boundary[1] || boundary[2]}`);
	const fields = new Map();
	const files = new Map();
	let start = body.indexOf(delimiter);
	while (start !== -1) {
		const partStart = start + delimiter.length;
		if (body.subarray(partStart, partStart + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, partStart);
		if (next === -1) break;
		const part = body.subarray(partStart + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			const content = part.subarray(headerEnd + 4);
			const name = /name="([^"]*)"/i.exec(headers);
			const fileName = /filename="([^"]*)"/i.exec(headers);
			if (name && fileName) files.set(name[1].trim(), { fileName: fileName[1], content });
			else if (name) fields.set(name[1].trim(), content.toString('utf8'));
		}
		start = next;
	}
	return { fields, files };
}

/** The stored files of each service, by the name the upload answered. */
class FileStore {
	constructor(now) {
		this.now = now;
		this.files = new Map();
	}

	/** Runs an upload whose body is already read; returns the stored name or throws a DmcError. */
	upload(contentType, body, account) {
		const { fields, files } = parseMultipart(contentType, body);
		if (fields.get('serviceId') !== account.serviceId || fields.get('serviceWsPassword') !== account.servicePassword) {
			throw new DmcError('authentication_failed', "Échec de l'authentification : serviceId ou serviceWsPassword incorrect");
		}
		const file = files.get('filename');
		if (!file) throw invalidParameter('Le fichier (champ filename) est requis');
		const date = new Date(this.now());
		const extension = /\.([A-Za-z0-9]{1,5})$/.exec(file.fileName);
		const name = `${date.getUTCFullYear()}_${date.getUTCMonth() + 1}_${date.getUTCDate()}_${randomUUID()}${extension ? `.${extension[1].toLowerCase()}` : ''}`;
		this.files.set(name, { serviceId: account.serviceId, originalName: file.fileName, content: file.content, uploadedAt: this.now() });
		return name;
	}

	get(name, serviceId) {
		const file = this.files.get(name);
		return file && file.serviceId === serviceId ? file : undefined;
	}

	get size() {
		return this.files.size;
	}

	reset() {
		this.files.clear();
	}
}

module.exports = { FileStore, readRawBody, parseMultipart, UPLOAD_METHOD, MAX_UPLOAD_BYTES };
