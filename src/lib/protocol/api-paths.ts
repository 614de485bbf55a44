/** The one place that knows each device API URL. */
export const API_PATHS = {
	enroll: '/api/devices/enroll',
	push: '/api/sync/push',
	pull: (after: number, limit?: number) =>
		`/api/sync/pull?after=${after}` + (limit === undefined ? '' : `&limit=${limit}`),
	displayFeed: '/api/display/feed',
	/** POST { credential }: the scanned resident's own last entries (protocol/resident-history.ts). */
	residentHistory: '/api/device/resident-history',
	/** Answers 204 when the feed still has `version`. */
	displayFeedSince: (version: string) => `/api/display/feed?since=${encodeURIComponent(version)}`
} as const;
