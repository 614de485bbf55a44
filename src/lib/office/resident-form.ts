import * as v from 'valibot';

/*
 * The resident form's fields as the office pages post them (new resident, edit, household
 * address). Lengths here only stop absurd input; the real rules (name 1–20 characters, building
 * spellings, phone formats) are in domain/household-label.ts and domain/resident-fields.ts.
 */

const text = (max: number) =>
	v.optional(v.pipe(v.string(), v.maxLength(max, '填写的内容太长了')), '');

export const ResidentFormSchema = v.object({
	building: text(20),
	unit: text(20),
	room: text(20),
	freeLabel: text(60),
	name: text(60),
	phone: text(40)
});
export type ResidentFormValues = v.InferOutput<typeof ResidentFormSchema>;

export const HouseholdFormSchema = v.pick(ResidentFormSchema, [
	'building',
	'unit',
	'room',
	'freeLabel'
]);

/** The posted fields (files and unknown keys ignored), or the first problem in Chinese. */
export function readResidentForm(
	form: FormData
): { ok: true; values: ResidentFormValues } | { ok: false; message: string } {
	const entries = Object.fromEntries(
		[...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === 'string')
	);
	const parsed = v.safeParse(ResidentFormSchema, entries);
	if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
	return { ok: true, values: parsed.output };
}
