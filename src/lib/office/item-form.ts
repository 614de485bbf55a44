import * as v from 'valibot';
import { cleanText } from '$lib/domain/display-text';
import { ITEM_KINDS, type ItemKind } from '$lib/protocol/sync';

/*
 * A catalogue item as the office enters it: the one schema the item form (its limits) and the
 * server (its checks) share. The bounds are the ones a community shop can mean: a price of 0 would
 * give goods away, a price of a billion is a typing slip no resident could ever pay.
 */

export const ITEM_NAME_MAX = 30;
export const ITEM_CATEGORY_MAX = 10;
export const ITEM_POINTS_MIN = 1;
export const ITEM_POINTS_MAX = 100_000;
export const ITEM_SORT_MAX = 9999;

export const ITEM_KIND_NAMES: Record<ItemKind, string> = {
	goods: '商品',
	service: '服务',
	course: '课程'
};

const characters = (text: string) => Array.from(text).length;

const text = (label: string, max: number) =>
	v.pipe(
		v.string(`请填写${label}`),
		v.transform(cleanText),
		v.check((value) => value.length > 0, `请填写${label}`),
		v.check((value) => characters(value) <= max, `${label}最多 ${max} 个字`)
	);

const whole = (message: string, min: number, max: number) =>
	v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));

export const ItemInputSchema = v.object({
	name: text('名称', ITEM_NAME_MAX),
	category: text('分类', ITEM_CATEGORY_MAX),
	kind: v.picklist(ITEM_KINDS, '请选择商品、服务或课程'),
	points: whole(
		`积分价格要填 ${ITEM_POINTS_MIN} 到 ${ITEM_POINTS_MAX.toLocaleString('zh-CN')} 之间的整数`,
		ITEM_POINTS_MIN,
		ITEM_POINTS_MAX
	),
	/** Only goods count stock; a service or a course never does. */
	stockTracked: v.boolean(),
	sortOrder: whole(`排列顺序要填 0 到 ${ITEM_SORT_MAX} 之间的整数`, 0, ITEM_SORT_MAX),
	active: v.boolean()
});

export type ItemInput = v.InferInput<typeof ItemInputSchema>;
export type CleanItemInput = v.InferOutput<typeof ItemInputSchema>;

export type ItemInputCheck = { ok: true; item: CleanItemInput } | { ok: false; message: string };

/** Checks an item; a service or a course is never stock-tracked, whatever the form said. */
export function checkItemInput(input: unknown): ItemInputCheck {
	const parsed = v.safeParse(ItemInputSchema, input);
	if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
	const item = parsed.output;
	return { ok: true, item: { ...item, stockTracked: item.kind === 'goods' && item.stockTracked } };
}

/** A whole number typed in a form; NaN (refused by the schema) for anything else. */
function formNumber(value: FormDataEntryValue | null): number {
	const typed = typeof value === 'string' ? value.trim() : '';
	return /^-?\d{1,12}$/.test(typed) ? Number(typed) : Number.NaN;
}

/** The item form's fields as the schema reads them (checkboxes are absent when unticked). */
export function itemInputFromForm(form: FormData): Record<string, unknown> {
	const textOf = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : undefined;
	};
	return {
		name: textOf('name'),
		category: textOf('category'),
		kind: textOf('kind'),
		points: formNumber(form.get('points')),
		stockTracked: form.get('stockTracked') === 'on',
		sortOrder: formNumber(form.get('sortOrder')),
		active: form.get('active') === 'on'
	};
}

/** The item form's fields as text, to fill it (a new item, an item to edit, a refused form). */
export interface ItemFormValues {
	name: string;
	category: string;
	kind: string;
	points: string;
	sortOrder: string;
	stockTracked: boolean;
	active: boolean;
}

/** What the office typed, to fill the form again after a refusal (a file cannot be refilled). */
export function itemFormValuesFrom(form: FormData): ItemFormValues {
	const textOf = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : '';
	};
	return {
		name: textOf('name'),
		category: textOf('category'),
		kind: textOf('kind'),
		points: textOf('points'),
		sortOrder: textOf('sortOrder'),
		stockTracked: form.get('stockTracked') === 'on',
		active: form.get('active') === 'on'
	};
}
