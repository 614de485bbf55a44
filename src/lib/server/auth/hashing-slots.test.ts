import { describe, expect, it } from 'vitest';
import { BoundedConcurrency, HashingBusy } from './hashing-slots';

function gate() {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { opened, open };
}

describe('bounded hashing slots', () => {
	it('runs at most `concurrency` tasks at once and the rest in order', async () => {
		const slots = new BoundedConcurrency(2, 10);
		let running = 0;
		let most = 0;
		const order: number[] = [];
		const gates = Array.from({ length: 5 }, gate);
		const tasks = gates.map((g, index) =>
			slots.run(async () => {
				running++;
				most = Math.max(most, running);
				await g.opened;
				order.push(index);
				running--;
			})
		);
		for (const g of gates) g.open();
		await Promise.all(tasks);
		expect(most).toBe(2);
		expect(order).toEqual([0, 1, 2, 3, 4]);
	});

	it('turns a task away at once when the waiting line is full, and takes tasks again after', async () => {
		const slots = new BoundedConcurrency(1, 2);
		const g = gate();
		const held = [slots.run(() => g.opened), slots.run(() => g.opened), slots.run(() => g.opened)];
		expect(slots.full).toBe(true);
		await expect(slots.run(async () => 'late')).rejects.toBeInstanceOf(HashingBusy);
		g.open();
		await Promise.all(held);
		await expect(slots.run(async () => 'again')).resolves.toBe('again');
	});

	it('frees the slot when a task fails', async () => {
		const slots = new BoundedConcurrency(1, 0);
		await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(slots.run(async () => 1)).resolves.toBe(1);
	});
});
