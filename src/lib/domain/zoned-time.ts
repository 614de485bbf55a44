/** The display's dates and times, in Chinese, on the community's wall clock. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${timeZone}|${JSON.stringify(options)}`;
	let found = formatters.get(key);
	if (!found) {
		try {
			found = new Intl.DateTimeFormat('zh-CN', { timeZone, ...options });
		} catch {
			found = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', ...options });
		}
		formatters.set(key, found);
	}
	return found;
}

function parts(at: number, timeZone: string, options: Intl.DateTimeFormatOptions) {
	const all = formatter(timeZone, options).formatToParts(at);
	return (type: Intl.DateTimeFormatPartTypes) =>
		all.find((part) => part.type === type)?.value ?? '';
}

/** '09:30' */
export function clockText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return `${part('hour')}:${part('minute')}`;
}

/** '11月22日 星期日' */
export function dateText(at: number, timeZone: string): string {
	const part = parts(at, timeZone, { month: 'numeric', day: 'numeric', weekday: 'long' });
	return `${part('month')}月${part('day')}日 ${part('weekday')}`;
}

/** '内容更新于 11月22日 09:30', or a plain word when the display never reached the server. */
export function freshnessText(lastContactAt: string | null, timeZone: string): string {
	const at = lastContactAt === null ? Number.NaN : Date.parse(lastContactAt);
	if (!Number.isFinite(at)) return '尚未连上服务器';
	const part = parts(at, timeZone, { month: 'numeric', day: 'numeric' });
	return `内容更新于 ${part('month')}月${part('day')}日 ${clockText(at, timeZone)}`;
}
