/**
 * Whether a display already has this version of the feed: it says so with `?since=<version>` or
 * with `If-None-Match` (the ETag, quoted, possibly weak, possibly a list). The answer is then a
 * bodiless 204, as the display contract asks, rather than HTTP's 304.
 */
export function feedIsUnchanged(
	version: string,
	since: string | undefined,
	ifNoneMatch: string | null
): boolean {
	if (since === version) return true;
	if (!ifNoneMatch) return false;
	return ifNoneMatch
		.split(',')
		.map((tag) =>
			tag
				.trim()
				.replace(/^W\//, '')
				.replace(/^"(.*)"$/, '$1')
		)
		.some((tag) => tag === version || tag === '*');
}
