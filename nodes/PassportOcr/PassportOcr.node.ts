import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import {
	inputSourceProperties,
	optionProperties,
	reviewProperties,
} from './description/parameters';
import { CREDENTIAL_TYPE } from './contract/credentialType';
import { CREDENTIAL_TEST_NAME, testCredential } from './credential/credentialTest';
import { recognizePassports } from './execution/recognizePassports';

export class PassportOcr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Passport OCR',
		name: 'passportOcr',
		icon: { light: 'file:passportOcr.svg', dark: 'file:passportOcr.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"binary": "Read passport from file", "url": "Read passport from URL", "base64": "Read passport from Base64"}[$parameter["inputSource"]] }}',
		description:
			'Read the data page of a passport (photo or scan) with Huawei Cloud or G42 Cloud OCR and get its fields',
		defaults: { name: 'Passport OCR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter.needsReviewOutput ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Passed" }, { type: "${NodeConnectionTypes.Main}", displayName: "Needs Review" }] : ["${NodeConnectionTypes.Main}"] }}`,
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: CREDENTIAL_TEST_NAME }],
		properties: [...inputSourceProperties, ...reviewProperties, ...optionProperties],
	};

	methods = { credentialTest: { [CREDENTIAL_TEST_NAME]: testCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await recognizePassports(this);
	}
}
