/**
 * The credential type's name, shared by the credential class, the node, transport and the tests. It lives on
 * the floor so that transport can name the credential it asks n8n for without importing the credential room.
 */
export const CREDENTIAL_TYPE = 'huaweiCloudOcrApi';
