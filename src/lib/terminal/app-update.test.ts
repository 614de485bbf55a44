import { describe, expect, it } from 'vitest';
import { UpdateGate } from './app-update';

/** A kiosk as the update rule sees it: a resident at the counter, events waiting to be pushed. */
function kiosk() {
	const state = { residentAtCounter: false, eventsWaiting: 0, reloads: 0 };
	const gate = new UpdateGate(
		() => !state.residentAtCounter && state.eventsWaiting === 0,
		() => state.reloads++
	);
	return { state, gate };
}

describe('applying an app update on the kiosk', () => {
	it('waits while a resident is at the counter and applies the update once they leave', () => {
		const { state, gate } = kiosk();
		state.residentAtCounter = true;
		gate.updateWaiting();
		gate.check();
		expect(state.reloads).toBe(0);
		state.residentAtCounter = false;
		gate.check();
		expect(state.reloads).toBe(1);
	});

	it('waits while events wait to be pushed, so nothing is reloaded away unsynced', () => {
		const { state, gate } = kiosk();
		state.eventsWaiting = 2;
		gate.updateWaiting();
		expect(state.reloads).toBe(0);
		state.eventsWaiting = 0;
		gate.check();
		expect(state.reloads).toBe(1);
	});

	it('applies at once when the counter is idle, and only once however often it is asked', () => {
		const { state, gate } = kiosk();
		gate.updateWaiting();
		gate.check();
		gate.updateWaiting();
		expect(state.reloads).toBe(1);
	});

	it('does nothing while no update waits', () => {
		const { state, gate } = kiosk();
		gate.check();
		expect(state.reloads).toBe(0);
	});
});
