/** A CSV file the browser saves under `fileName` (Chinese names encoded as RFC 6266 asks). */
export function csvDownload(text: string, fileName: string): Response {
	return new Response(text, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="residents.csv"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
			'cache-control': 'no-store'
		}
	});
}
