/** Pass/fail lines and the closing tally, `<suite>: N passed, N failed`. */
import { inspect, isDeepStrictEqual } from 'node:util';

/** One line, cut at 100 characters: enough to see on a passing line what was compared. */
const brief = (value) => {
	const line = inspect(value, { depth: 2, breakLength: Infinity });
	return line.length > 100 ? `${line.slice(0, 97)}...` : line;
};

const show = (value) => inspect(value, { depth: 4, breakLength: 120, maxStringLength: 300 });

export class Checks {
	constructor(suite) {
		this.suite = suite;
		this.passed = 0;
		this.failed = 0;
	}

	pass(name, detail = '') {
		this.passed++;
		console.log(`  PASS  ${name}${detail ? `: ${detail}` : ''}`);
	}

	fail(name, detail = '') {
		this.failed++;
		console.log(
			`  FAIL  ${name}${detail ? `\n        ${detail.replace(/\n/g, '\n        ')}` : ''}`,
		);
	}

	/** Passes when `condition` is truthy; `detail` says what was seen either way. */
	ok(name, condition, detail = '') {
		if (condition) this.pass(name, detail);
		else this.fail(name, detail);
		return Boolean(condition);
	}

	equal(name, actual, expected) {
		if (isDeepStrictEqual(actual, expected)) return this.ok(name, true, brief(actual));
		return this.ok(name, false, `expected ${show(expected)}\n got      ${show(actual)}`);
	}

	/** Runs a block of checks; a throw inside it counts as one failure named after the block. */
	async group(title, block) {
		console.log(`\n${title}`);
		try {
			await block();
		} catch (error) {
			this.fail(`${title} (stopped)`, error instanceof Error ? error.message : String(error));
		}
	}

	/** Prints the tally and sets the exit code; returns whether every check passed. */
	finish() {
		console.log(`\n${this.suite}: ${this.passed} passed, ${this.failed} failed`);
		if (this.failed > 0 || this.passed === 0) process.exitCode = 1;
		return this.failed === 0 && this.passed > 0;
	}
}
