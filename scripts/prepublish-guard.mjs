// prepublishOnly: a publish from a laptop would carry no provenance, which n8n's verification
// requires, so only the Publish workflow may publish. npm pack does not run this script.
if (process.env.GITHUB_ACTIONS !== 'true') {
	console.error(
		'prepublishOnly: publishing happens only in GitHub Actions (.github/workflows/publish.yml).\n' +
			'To release: npm run release -- patch|minor|major, then git push --follow-tags (see docs/releasing.md).',
	);
	process.exit(1);
}
