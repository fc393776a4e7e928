'use strict';

/**
 * Default log sink: warnings go to stderr, info lines are dropped.
 * A custom logger is a function (level: 'info'|'warn', message: string) => void.
 * Log lines never contain the service password (the authenticate field is never logged).
 */
function defaultLogger(level, message) {
	if (level === 'warn') console.warn(`[dmc-sandbox] ${message}`);
}

module.exports = { defaultLogger };
