import { createServer } from 'node:net';

/** Ports handed out in this run: the OS may offer a port again until something listens on it. */
const handedOut = new Set();

/** A TCP port free on 127.0.0.1 right now (the OS picks it), never one this run was given before. */
export async function freePort() {
	for (;;) {
		const port = await new Promise((done, fail) => {
			const server = createServer();
			server.unref();
			server.once('error', fail);
			server.listen(0, '127.0.0.1', () => {
				const { port: bound } = server.address();
				server.close(() => done(bound));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}
