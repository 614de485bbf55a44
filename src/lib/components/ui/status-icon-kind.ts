/** The icons `StatusIcon.svelte` draws; a `.ts` module so that plain modules can name them. */
export type StatusIconKind = 'success' | 'error' | 'warning' | 'info' | 'blocked';
