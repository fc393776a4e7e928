// n8n loads the nodes and credentials listed under "n8n" in package.json; this entry point
// exists only so that `require('n8n-nodes-sfr-dmc')` resolves.
module.exports = {};
