import type { SeededRandom } from './prng';

/** Common surnames, roughly by frequency, and two compound ones so masking meets them. */
// prettier-ignore
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
	['王', 70], ['李', 70], ['张', 65], ['刘', 55], ['陈', 50], ['杨', 35], ['黄', 25], ['赵', 25],
	['吴', 22], ['周', 22], ['徐', 18], ['孙', 18], ['马', 16], ['朱', 15], ['胡', 15], ['郭', 14],
	['何', 13], ['林', 12], ['高', 12], ['罗', 11], ['郑', 11], ['梁', 10], ['谢', 9], ['宋', 9],
	['唐', 9], ['许', 8], ['韩', 8], ['冯', 8], ['邓', 8], ['曹', 7], ['彭', 7], ['曾', 7],
	['肖', 7], ['田', 6], ['董', 6], ['袁', 6], ['潘', 6], ['蒋', 5], ['蔡', 5], ['余', 5],
	['杜', 5], ['叶', 5], ['程', 5], ['魏', 5], ['苏', 5], ['吕', 4], ['丁', 4], ['沈', 4],
	['姚', 4], ['卢', 4], ['姜', 4], ['崔', 4], ['钟', 4], ['陆', 3], ['汪', 3], ['范', 3],
	['金', 3], ['石', 3], ['廖', 3], ['贾', 3], ['夏', 3], ['付', 3], ['方', 3], ['邹', 3],
	['欧阳', 1], ['司马', 1]
];

const GIVEN_MALE = '伟强磊军勇杰涛明超辉刚平建国华文斌波鹏宇浩俊峰志红军德林海东晨'.split('');
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀英玲桂兰凤红梅莉燕萍婷雪慧琳倩颖洁月琴'.split('');

export type Sex = 'male' | 'female';

export function pickSurname(random: SeededRandom): string {
	return random.weighted(SURNAMES);
}

/** A realistic given name of one or two characters. */
export function pickGivenName(random: SeededRandom, sex: Sex): string {
	const pool = sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
	const first = random.pick(pool);
	if (random.chance(0.3)) return first;
	let second = random.pick(pool);
	// 红红 is a real name shape, but 伟伟-style doubles read oddly in a demo list: allow few.
	if (second === first && random.chance(0.7)) second = random.pick(pool);
	return first + second;
}
