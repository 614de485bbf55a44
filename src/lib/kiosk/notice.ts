import type { StatusIconKind } from '$lib/components/ui/status-icon-kind';

/**
 * A message the kiosk puts in front of a person, at the counter or in shop mode: what happened,
 * then what to do, in large plain Chinese.
 */
export interface Notice {
	title: string;
	detail: string;
	icon: StatusIconKind;
}
