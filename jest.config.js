/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	// Type errors are caught once by `npm run typecheck`; jest only transpiles.
	transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
