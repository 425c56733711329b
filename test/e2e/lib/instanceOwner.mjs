/**
 * The owner account of a throwaway n8n, set from the environment (N8N_INSTANCE_OWNER_MANAGED_BY_ENV) so that
 * nobody has to fill in the setup screen. Local-only accounts on test databases; they guard nothing but test data.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { RUNTIME_DIR } from './runtime.mjs';

/**
 * n8n takes the owner's password pre-hashed; its own bcryptjs makes the hash.
 * @param owner `{ email, password, firstName, lastName }`
 */
export function ownerEnv(owner) {
	const bcrypt = createRequire(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'))(
		'bcryptjs',
	);
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
	};
}
