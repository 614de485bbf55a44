import type { Page } from '@playwright/test';

/*
 * On a counter screen nothing scrolls sideways, every button a finger must hit is at least 56 px
 * each way, and no visible text is smaller than 20 px.
 */

const MIN_TARGET_PX = 56;
const MIN_TEXT_PX = 20;

interface LayoutProblems {
	sidewaysScroll: number;
	smallTargets: string[];
	smallText: string[];
}

/** What a person would trip over on the screen as it is now. */
export function layoutProblems(page: Page): Promise<LayoutProblems> {
	return page.evaluate(
		({ minTarget, minText }) => {
			const visible = (element: Element) => {
				const box = element.getBoundingClientRect();
				const style = getComputedStyle(element);
				return (
					box.width > 0 &&
					box.height > 0 &&
					style.visibility !== 'hidden' &&
					Number(style.opacity) > 0 &&
					box.bottom > 0 &&
					box.top < innerHeight
				);
			};
			const label = (element: Element) =>
				`${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 24)}"`;
			const smallTargets = [...document.querySelectorAll('button, [role="tab"], a[href]')]
				.filter(visible)
				.filter((element) => {
					const box = element.getBoundingClientRect();
					return Math.round(box.width) < minTarget || Math.round(box.height) < minTarget;
				})
				.map(
					(element) =>
						`${label(element)} ${Math.round(element.getBoundingClientRect().width)}×${Math.round(element.getBoundingClientRect().height)}`
				);
			const smallText: string[] = [];
			const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const parent = node.parentElement;
				if (!parent || !(node.textContent ?? '').trim() || !visible(parent)) continue;
				if (parent.closest('[aria-hidden="true"], svg, video')) continue;
				const size = parseFloat(getComputedStyle(parent).fontSize);
				if (size < minText) smallText.push(`${label(parent)} ${size}px`);
			}
			return {
				sidewaysScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
				smallTargets,
				smallText
			};
		},
		{ minTarget: MIN_TARGET_PX, minText: MIN_TEXT_PX }
	);
}
