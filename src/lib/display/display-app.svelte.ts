/**
 * The lobby display's link to the server: its enrollment, the last good feed and its pictures
 * (kept in the display's database), and the check for new content on a timer.
 *
 * - At start the stored feed is shown at once; the server is asked afterwards, so a TV with the
 *   network gone or the server down keeps rotating what it has.
 * - A check sends `?since=<version>`: an unchanged feed costs a 204. A new feed becomes current
 *   only once its pictures are stored, and the player takes it at the next slide boundary.
 * - A failed check (no network, a 500, a server that hangs until the timeout, an unreadable body)
 *   keeps the current feed and backs off with jitter; the `online` event checks at once.
 * - 401 or 403 (revoked, or a token that is not a display's) sends the screen back to setup.
 */
import { DEFAULT_TIME_ZONE } from '$lib/domain/business-date';
import { ApiClient, ApiError } from '$lib/terminal/api-client';
import { requestEnrollment } from '$lib/terminal/enrollment';
import { requestPersistentStorage } from '$lib/terminal/persistence';
import { nextTryDelay } from '$lib/terminal/retry-timer';
import { feedImageUrls, salvageFeed, type DisplayContent } from '$lib/domain/display-feed-salvage';
import { clockOffsetMs } from './clock-offset';
import { DisplayDb, readDisplayMeta, writeDisplayMeta } from './display-db';
import { ImageStore } from './image-store';

export const DISPLAY_NAME = '大堂屏幕';
const MAX_BACKOFF_MS = 5 * 60_000;

export interface DisplayAppOptions {
	checkEveryMs: number;
	db?: DisplayDb;
	fetch?: typeof fetch;
}

export class DisplayApp {
	readonly db: DisplayDb;
	readonly images: ImageStore;
	readonly #api: ApiClient;
	readonly #checkEveryMs: number;
	#content = $state.raw<DisplayContent | null>(null);
	#ready = $state(false);
	#enrolled = $state(false);
	#revoked = $state(false);
	#online = $state<boolean | null>(null);
	#lastContactAt = $state<string | null>(null);
	#communityName = $state('');
	#offsetMs = $state(0);
	#token: string | null = null;
	#failures = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#checking: Promise<void> | null = null;
	#stopped = false;

	constructor(options: DisplayAppOptions) {
		this.db = options.db ?? new DisplayDb();
		this.#checkEveryMs = options.checkEveryMs;
		// A check never takes longer than the time between two checks (within 3–15 s).
		const timeoutMs = Math.min(15_000, Math.max(3_000, options.checkEveryMs));
		this.#api = new ApiClient({ fetch: options.fetch, timeoutMs });
		this.images = new ImageStore({ db: this.db, fetch: options.fetch });
	}

	/** The feed being shown; null before the first one (the calm slide shows). */
	get content(): DisplayContent | null {
		return this.#content;
	}
	/** The local database has been read: the screen knows whether it is enrolled. */
	get ready(): boolean {
		return this.#ready;
	}
	get enrolled(): boolean {
		return this.#enrolled;
	}
	/** The server refused this display's token: it was enrolled, and must be again. */
	get revoked(): boolean {
		return this.#revoked;
	}
	/** Whether the last check reached the server; null before the first check. */
	get online(): boolean | null {
		return this.#online;
	}
	get lastContactAt(): string | null {
		return this.#lastContactAt;
	}
	get communityName(): string {
		return this.#content?.community.name || this.#communityName;
	}
	get timeZone(): string {
		return this.#content?.community.timeZone ?? DEFAULT_TIME_ZONE;
	}
	/** Now, by the server's clock when this device's clock is off by more than a minute. */
	now(): number {
		return Date.now() + this.#offsetMs;
	}

	start(): () => void {
		this.#stopped = false;
		const onOnline = () => this.checkSoon(0);
		window.addEventListener('online', onOnline);
		void this.#load().then(() => this.checkSoon(0));
		return () => {
			this.#stopped = true;
			clearTimeout(this.#timer);
			window.removeEventListener('online', onOnline);
		};
	}

	checkSoon(delayMs: number): void {
		clearTimeout(this.#timer);
		if (this.#stopped || !this.#enrolled) return;
		this.#timer = setTimeout(() => void this.check(), delayMs);
	}

	/** One check for new content; the next one is scheduled from its outcome. */
	check(): Promise<void> {
		this.#checking ??= this.#check().finally(() => (this.#checking = null));
		return this.#checking;
	}

	async enroll(code: string): Promise<{ ok: true } | { ok: false; message: string }> {
		const answer = await requestEnrollment(this.#api, code, 'display', DISPLAY_NAME);
		if (!answer.ok) return answer;
		const { deviceId, token, kind, community } = answer.response;
		const previous = (await readDisplayMeta(this.db)).device;
		await this.db.transaction('rw', [this.db.meta, this.db.images], async () => {
			if (previous && previous.deviceId !== deviceId) {
				// Another enrollment may be another community: its feed must not linger.
				await this.db.meta.bulkDelete(['feed', 'feedVersion']);
			}
			await writeDisplayMeta(this.db, {
				device: { deviceId, token, kind },
				communityName: community.name,
				needsEnrollment: false
			});
		});
		this.#token = token;
		this.#communityName = community.name;
		this.#enrolled = true;
		this.#revoked = false;
		void requestPersistentStorage();
		this.checkSoon(0);
		return { ok: true };
	}

	async #load(): Promise<void> {
		try {
			const meta = await readDisplayMeta(this.db);
			this.#token = meta.device?.token ?? null;
			this.#enrolled = this.#token !== null && meta.needsEnrollment !== true;
			this.#revoked = meta.needsEnrollment === true;
			this.#communityName = meta.communityName ?? '';
			this.#lastContactAt = meta.lastContactAt ?? null;
			this.#offsetMs = meta.clockOffsetMs ?? 0;
			const content = meta.feed === undefined ? null : salvageFeed(meta.feed);
			if (content) {
				// Only what is stored: a hanging server must not hold back the first slide.
				await this.images.prepare(feedImageUrls(content), false);
				this.#content = content;
			}
			if (this.#enrolled) void requestPersistentStorage();
		} catch (error) {
			// An unreadable database still leaves the calm slide and the setup screen.
			console.warn('display: the local database could not be read', error);
		} finally {
			this.#ready = true;
		}
	}

	async #check(): Promise<void> {
		if (!this.#token) return;
		const sentAt = Date.now();
		let succeeded = false;
		try {
			const answer = await this.#api.displayFeed(this.#token, this.#content?.version || null);
			const offsetMs = clockOffsetMs(answer.serverDate, sentAt, Date.now());
			const contactAt = isoTime(Date.now() + offsetMs);
			if (answer.changed) {
				const content = salvageFeed(answer.body);
				if (!content) throw new Error('the server sent something that is not a feed');
				const urls = feedImageUrls(content);
				await this.images.prepare(urls, true);
				await writeDisplayMeta(this.db, {
					feed: answer.body,
					feedVersion: content.version,
					lastContactAt: contactAt,
					clockOffsetMs: offsetMs
				});
				await this.images.keepOnly(urls);
				this.#content = content;
			} else {
				await writeDisplayMeta(this.db, { lastContactAt: contactAt, clockOffsetMs: offsetMs });
			}
			this.#offsetMs = offsetMs;
			this.#lastContactAt = contactAt;
			this.#online = true;
			succeeded = true;
		} catch (error) {
			this.#online = false;
			if (error instanceof ApiError && isRefusal(error)) {
				await this.#forgetEnrollment();
				return;
			}
			if (!(error instanceof ApiError)) console.warn('display: feed check failed', error);
		}
		this.#failures = succeeded ? 0 : this.#failures + 1;
		this.checkSoon(
			nextTryDelay(this.#failures, {
				healthyMs: this.#checkEveryMs,
				baseMs: Math.min(this.#checkEveryMs, 10_000),
				maxMs: Math.max(this.#checkEveryMs, MAX_BACKOFF_MS)
			})
		);
	}

	async #forgetEnrollment(): Promise<void> {
		this.#enrolled = false;
		this.#revoked = true;
		this.#token = null;
		await writeDisplayMeta(this.db, { needsEnrollment: true }).catch(() => undefined);
	}
}

function isoTime(ms: number): string {
	return new Date(ms).toISOString();
}

function isRefusal(error: ApiError): boolean {
	const { failure } = error;
	return failure.kind === 'unauthorized' || (failure.kind === 'http' && failure.status === 403);
}
