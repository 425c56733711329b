/** The Huawei Cloud IAM + OCR Passport emulator that tests, the demo and benchmarks run against. */
export { DEFAULT_ACCOUNT, defaultAccessKeys, defaultAccount, startEmulator } from './emulator';
export { type Fixture, FIXTURES, FIXTURES_DIR } from './fixtures';
export { MAX_BODY_BYTES } from './loopbackServer';
export { MAX_BASE64_CHARS, MAX_SIDE_PX, MIN_SIDE_PX } from './passportService';
export type {
	Emulator,
	EmulatorAccessKey,
	EmulatorAccount,
	EmulatorEdition,
	EmulatorEvent,
	EmulatorKnobs,
	EmulatorOptions,
	EmulatorProject,
	Fault,
	RequestKind,
	RequestLogEntry,
} from './types';
