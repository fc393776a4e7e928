'use strict';

/**
 * The HTTP server and its router: the inbox at /, the control API at /_sandbox/,
 * DMC at /DmcWS/<version>/JsonService/<Service>/<method>. Listens on 127.0.0.1 only.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { sendJson, unknownPathEnvelope } = require('./dmc-endpoint');

const DMC_PATH = /^\/DmcWS\/([^/]+)\/JsonService\/([^/]+)\/([^/]+)\/?$/;
const UPLOAD_PATH = /^\/DmcWS\/([^/]+)\/uploadService\/?$/;

/**
 * @param {{ handleDmcCall: Function, handleControl: Function, inbox: object, log: Function }} handlers
 */
function createHttpServer({ handleDmcCall, handleControl, inbox, log }) {
	const server = http.createServer((req, res) => {
		const arrival = performance.timeOrigin + performance.now();
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const fail = (error) => {
			log('warn', `unexpected error on ${req.method} ${url.pathname}: ${error && error.message}`);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end('sandbox internal error');
			}
		};
		try {
			const dmc = DMC_PATH.exec(url.pathname);
			if (dmc) {
				handleDmcCall(req, res, url, arrival, `${dmc[2]}/${dmc[3]}`).catch(fail);
			} else if (UPLOAD_PATH.test(url.pathname) && req.method === 'POST') {
				handleDmcCall(req, res, url, arrival, 'uploadService').catch(fail);
			} else if (url.pathname.startsWith('/DmcWS/')) {
				req.resume();
				sendJson(res, unknownPathEnvelope(url.pathname));
			} else if (url.pathname.startsWith('/_sandbox/')) {
				handleControl(req, res, url).catch(fail);
			} else if (inbox.handles(url.pathname)) {
				req.resume();
				inbox.serve(req, res, url.pathname);
			} else {
				req.resume();
				res.writeHead(404, { 'content-type': 'application/json;charset=UTF-8' });
				res.end(JSON.stringify({ error: 'Not found' }));
			}
		} catch (error) {
			fail(error);
		}
	});
	return server;
}

/** Listen on 127.0.0.1:port (0 = a free port); resolves to the bound port. */
function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(server.address().port);
		});
	});
}

/** Stop listening and drop every connection, including calls held by a noAnswer fault. */
function shutdown(server) {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

module.exports = { createHttpServer, listen, shutdown };
