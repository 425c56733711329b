/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
		// mrz (a devDependency the ICAO tests compare against) ships only ES modules; compile it to CommonJS.
		'/node_modules/mrz/.+\\.js$': [
			'ts-jest',
			{ tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
		],
	},
	transformIgnorePatterns: ['/node_modules/(?!mrz/)'],
	testTimeout: 30000,
	// Expected errors stay out of the output, so that a failing test's own diff stands out:
	// n8n's logger is silenced (test/support/quietLogs.js) and so is console output (`--silent=false` shows it).
	setupFiles: ['<rootDir>/test/support/quietLogs.js'],
	silent: true,
	reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
