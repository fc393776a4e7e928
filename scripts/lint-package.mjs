// node scripts/lint-package.mjs <dir>: n8n's community-node lint (the rules its package scanner
// applies) over the built .js files of an unpacked tarball; prints the problems as JSON.
import { ESLint } from 'eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';

const eslint = new ESLint({
	cwd: process.argv[2],
	overrideConfigFile: true,
	overrideConfig: [{ files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } }, configs.recommended],
});
const results = await eslint.lintFiles(['**/*.js']);
const problems = results.flatMap((result) =>
	result.messages.map((message) => ({ file: result.filePath, rule: message.ruleId, message: message.message })),
);
console.log(JSON.stringify({ files: results.length, problems }));
