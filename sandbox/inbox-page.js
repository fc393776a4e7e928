'use strict';

/**
 * Serves the web inbox (sandbox/inbox/*): static files read once, no build step,
 * no external resources (the Content-Security-Policy forbids any).
 */

const fs = require('node:fs');
const path = require('node:path');

const FILES = {
	'/': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/inbox.css': { file: 'inbox.css', type: 'text/css; charset=utf-8' },
	'/inbox.js': { file: 'inbox.js', type: 'text/javascript; charset=utf-8' },
	'/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";

function createInboxPage() {
	const cache = new Map();
	for (const [route, { file, type }] of Object.entries(FILES)) {
		cache.set(route, { type, content: fs.readFileSync(path.join(__dirname, 'inbox', file)) });
	}
	return {
		handles(pathname) {
			return cache.has(pathname);
		},
		serve(req, res, pathname) {
			const { type, content } = cache.get(pathname);
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				res.writeHead(405, { allow: 'GET, HEAD' });
				res.end();
				return;
			}
			res.writeHead(200, {
				'content-type': type,
				'content-length': content.length,
				'cache-control': 'no-store',
				'content-security-policy': CSP,
			});
			res.end(req.method === 'HEAD' ? undefined : content);
		},
	};
}

module.exports = { createInboxPage };
