import { getContext, setContext } from 'svelte';
import type { CounterSession } from './counter-session.svelte';
import type { SyncStatusView } from './sync-status.svelte';

const COUNTER_KEY = Symbol('counter');

export interface CounterContext {
	session: CounterSession;
	sync: SyncStatusView;
	/** The community's time zone (`KioskApp.timeZone`): the counter's times are on its clock. */
	timeZone: () => string;
}

export function provideCounter(context: CounterContext): void {
	setContext(COUNTER_KEY, context);
}

export function useCounter(): CounterContext {
	const context = getContext<CounterContext | undefined>(COUNTER_KEY);
	if (!context) throw new Error('useCounter() outside the kiosk layout');
	return context;
}
