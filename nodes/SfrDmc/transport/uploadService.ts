import { randomBytes } from 'crypto';
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { DmcApiError, transportFailure } from './dmcApiError';
import { isEnvelope } from './dmcAnswers';
import type { RollingWindowLimiter } from './rateLimiter';

/**
 * The upload service (§2.3.1): not a JsonService method but a multipart/form-data POST to
 * `…/DmcWS/<version>/uploadService`, with the login as its own fields (`serviceId`,
 * `serviceWsPassword`) rather than the `authenticate` field, and the stored file's name as a
 * plain-text answer. So it has its own request here, through the service's shared limiter
 * like every call, with the password in the POST body only.
 *
 * An upload only stores a file: nothing is sent until a broadcast imports it. A lost answer
 * therefore costs an orphan file at most, and the caller may simply upload again.
 */
export interface UploadServiceOptions {
	node: INode;
	/** n8n's plain request helper: the upload carries its own login. */
	request: (options: IHttpRequestOptions) => Promise<unknown>;
	/** The JsonService root, e.g. `…/DmcWS/1.5.8/JsonService`. */
	baseUrl: string;
	serviceId: string;
	servicePassword: string;
	limiter: RollingWindowLimiter;
	timeoutMs: number;
}

const PATH = 'uploadService';

export class UploadService {
	constructor(private readonly options: UploadServiceOptions) {}

	/** The upload URL: the version root the JsonService base URL names, then `uploadService`. */
	url(): string {
		const root = this.options.baseUrl.replace(/\/JsonService$/i, '');
		if (root === this.options.baseUrl) {
			throw this.error('INVALID_BASE_URL', 'refused', `The API Base URL must end with /JsonService to find DMC's upload service`, '');
		}
		return `${root}/${PATH}`;
	}

	/** Stores `content` as `fileName`; answers the name DMC gave it (the `fileSource` of an import). */
	async upload(fileName: string, content: Uint8Array): Promise<string> {
		const url = this.url();
		const boundary = `n8nSfrDmc${randomBytes(12).toString('hex')}`;
		const body = multipartBody(
			boundary,
			{ serviceId: this.options.serviceId, serviceWsPassword: this.options.servicePassword },
			{ name: 'filename', fileName, content },
		);
		const release = await this.options.limiter.acquire();
		let response: { statusCode?: number; body?: unknown };
		try {
			response = (await this.options.request({
				method: 'POST',
				url,
				headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
				body,
				encoding: 'text',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: this.options.timeoutMs,
			})) as { statusCode?: number; body?: unknown };
		} catch (failure) {
			const { code, outcome, message } = transportFailure(PATH, failure);
			throw this.error(code, outcome, message, 'The file may or may not be stored; nothing was sent. Uploading it again is safe.');
		} finally {
			release();
		}
		return this.fileNameOf(response);
	}

	private fileNameOf(response: { statusCode?: number; body?: unknown }): string {
		const status = response.statusCode ?? 200;
		const text = (typeof response.body === 'string' ? response.body : '').trim();
		if (status >= 400) throw this.error(`HTTP_${status}`, 'unknown', `DMC's gateway answered HTTP ${status} to ${PATH}`, '');
		let envelope: unknown;
		try {
			envelope = text.startsWith('{') ? JSON.parse(text) : undefined;
		} catch {
			envelope = undefined;
		}
		if (isEnvelope(envelope) && !envelope.success) {
			const code = typeof envelope.errorCode === 'string' ? envelope.errorCode : 'UNKNOWN_ERROR';
			const detail = typeof envelope.errorDetail === 'string' ? envelope.errorDetail : 'no detail given';
			throw this.error(code, 'refused', `DMC refused ${PATH}: ${code}`, this.redact(detail));
		}
		if (!/^[^\s<>{}"]{1,255}$/.test(text)) {
			throw this.error(
				'INVALID_RESPONSE',
				'unknown',
				`DMC answered ${PATH} with something that is not a file name`,
				`Received ${text.length} characters.`,
			);
		}
		return text;
	}

	private error(code: string, outcome: DmcApiError['outcome'], message: string, description: string): DmcApiError {
		return new DmcApiError(this.options.node, code, outcome, message, description);
	}

	private redact(text: string): string {
		const secret = this.options.servicePassword;
		return secret.length < 3 ? text : text.split(secret).join('***');
	}
}

/** A multipart/form-data body of text fields and one file part. */
export function multipartBody(
	boundary: string,
	fields: Record<string, string>,
	file: { name: string; fileName: string; content: Uint8Array },
): Buffer {
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
	}
	const fileName = file.fileName.replace(/["\r\n]/g, '_');
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${fileName}"\r\nContent-Type: text/csv; charset=ISO-8859-15\r\n\r\n`,
			'utf8',
		),
	);
	parts.push(Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength));
	parts.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
	return Buffer.concat(parts);
}
