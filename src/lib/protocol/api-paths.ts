/** The one place that knows each device API URL. */
export const API_PATHS = {
	enroll: '/api/devices/enroll',
	push: '/api/sync/push',
	pull: (after: number, limit?: number) =>
		`/api/sync/pull?after=${after}` + (limit === undefined ? '' : `&limit=${limit}`),
	displayFeed: '/api/display/feed',
	/** Answers 204 when the feed still has `version`. */
	displayFeedSince: (version: string) => `/api/display/feed?since=${encodeURIComponent(version)}`
} as const;
