/** Memory is set aside in steps of this size, so that a body can reuse the memory of a slightly smaller one. */
const STEP_BYTES = 1024 * 1024;

/**
 * Reuses the memory of request bodies within one node run. The body of a passport photo is megabytes; made
 * afresh for every item, that memory keeps V8 collecting through the whole batch (bench at concurrency 8:
 * 19 instead of 9 ms of CPU per item, and 84–91% instead of 95% of the ideal throughput).
 *
 * Memory comes back only through `giveBack`, which the caller may call only when no request can still read the
 * body. Holds at most `keep` free pieces; the run's in-flight bodies come on top.
 */
export class BodyBuffers {
	private readonly free: ArrayBuffer[] = [];

	private readonly own = new WeakSet<ArrayBufferLike>();

	constructor(private readonly keep: number) {}

	/** `size` bytes of uninitialised memory: the smallest free piece that is large enough, or a new one. */
	take(size: number): Buffer {
		let fit = -1;
		this.free.forEach((memory, index) => {
			const fits = memory.byteLength >= size;
			if (fits && (fit < 0 || memory.byteLength < this.free[fit].byteLength)) fit = index;
		});
		const memory = fit >= 0 ? this.free.splice(fit, 1)[0] : this.allocate(size);
		return Buffer.from(memory, 0, size);
	}

	/** Makes a body's memory available to later bodies. Buffers that `take` did not give out are ignored. */
	giveBack(body: Buffer): void {
		const memory = body.buffer;
		if (!(memory instanceof ArrayBuffer) || !this.own.has(memory) || this.free.includes(memory))
			return;
		this.free.push(memory);
		if (this.free.length <= this.keep) return;
		const smallest = this.free.reduce(
			(best, piece, index) => (piece.byteLength < this.free[best].byteLength ? index : best),
			0,
		);
		this.free.splice(smallest, 1);
	}

	private allocate(size: number): ArrayBuffer {
		const memory = new ArrayBuffer(Math.max(1, Math.ceil(size / STEP_BYTES)) * STEP_BYTES);
		this.own.add(memory);
		return memory;
	}
}
