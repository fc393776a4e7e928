/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// The suites mostly wait (on sandboxes, scaled minutes, a browser): on 2 cores jest's default
	// of one worker leaves the machine idle, and npm test took 8 minutes instead of 4.
	maxWorkers: 3,
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	// Type errors are caught once by `npm run typecheck`; jest only transpiles.
	transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
