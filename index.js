// n8n loads the files listed under "n8n" in package.json; this entry point serves plain require() users, such as
// scripts that run the node outside n8n. Run `npm run build` first.
module.exports = {
	get PassportOcr() {
		return require('./dist/nodes/PassportOcr/PassportOcr.node.js').PassportOcr;
	},
	get HuaweiCloudOcrApi() {
		return require('./dist/credentials/HuaweiCloudOcrApi.credentials.js').HuaweiCloudOcrApi;
	},
};
