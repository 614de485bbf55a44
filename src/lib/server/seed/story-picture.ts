/**
 * Generated pictures for the demo's 最美信用户 stories: a calm flat illustration chosen from the
 * story's title (a stairwell, sorting bins, neighbours, books, a garden, a shield, a home). No
 * text in the picture (the display sets the title beside it) and nothing fetched from elsewhere.
 * What matters stays within x 200–1000 of the 1200×800 frame: the display crops it to about 9:8.
 */

type Motif = 'stairs' | 'sorting' | 'care' | 'books' | 'garden' | 'shield' | 'home';

const MOTIF_WORDS: ReadonlyArray<readonly [Motif, RegExp]> = [
	['books', /书|读|学/],
	['stairs', /楼道|清扫|打扫/],
	['sorting', /垃圾|分类|回收/],
	['shield', /反诈|防骗|安全|消防/],
	['garden', /花|绿|园|树/],
	['care', /老人|守望|邻里|照顾|助老/]
];

export function storyMotif(title: string): Motif {
	return MOTIF_WORDS.find(([, words]) => words.test(title))?.[0] ?? 'home';
}

const SKIES: Record<Motif, readonly [string, string]> = {
	stairs: ['#fde7c8', '#fbcf9a'],
	sorting: ['#d9f2e3', '#b5e3c8'],
	care: ['#fde2e4', '#f9c6cb'],
	books: ['#e4e9fb', '#c9d3f5'],
	garden: ['#e3f4fb', '#bfe6f5'],
	shield: ['#e0efff', '#b9d8fb'],
	home: ['#2c3e66', '#5a6fa3']
};

function stairs(): string {
	const steps = Array.from(
		{ length: 6 },
		(_, i) =>
			`<rect x="${240 + i * 110}" y="${640 - i * 70}" width="${960 - (240 + i * 110)}" height="${70 + i * 70}" fill="${i % 2 ? '#e8b77a' : '#efc48d'}"/>`
	).join('');
	return `<rect x="200" y="110" width="260" height="300" rx="18" fill="#fff8ec"/>
<rect x="220" y="130" width="105" height="260" fill="#ffe2a8"/><rect x="335" y="130" width="105" height="260" fill="#ffd98f"/>
<path d="M460 130 L760 700 L460 700 Z" fill="#fff3d6" opacity="0.55"/>
${steps}
<rect x="230" y="700" width="1000" height="100" fill="#d9a05f"/>
<g transform="rotate(-18 560 520)"><rect x="550" y="260" width="20" height="330" rx="8" fill="#8a5a2b"/>
<path d="M520 580 h80 l30 120 h-140 Z" fill="#c0392b"/><path d="M505 700 h110" stroke="#8e2a20" stroke-width="10"/></g>
<circle cx="960" cy="170" r="60" fill="#fff4d4" opacity="0.9"/>`;
}

function sorting(): string {
	const bins = [
		['#2e9e5b', 200],
		['#2f6fbf', 430],
		['#c0392b', 660],
		['#6b7280', 890]
	] as const;
	return `<ellipse cx="600" cy="720" rx="560" ry="70" fill="#9fd3b2"/>
${bins
	.map(
		([colour, x]) => `<g><rect x="${x}" y="380" width="150" height="300" rx="16" fill="${colour}"/>
<rect x="${x - 14}" y="350" width="178" height="44" rx="12" fill="${colour}" opacity="0.85"/>
<rect x="${x + 50}" y="336" width="50" height="20" rx="8" fill="${colour}"/>
<circle cx="${x + 75}" cy="510" r="38" fill="#ffffff" opacity="0.9"/></g>`
	)
	.join('\n')}
<path d="M255 510 q20 -30 40 0 q-20 30 -40 0 Z" fill="#2e9e5b"/>
<path d="M485 495 l20 30 h-40 Z" fill="#2f6fbf"/>
<circle cx="735" cy="510" r="14" fill="#c0392b"/>
<rect x="950" y="496" width="30" height="28" rx="4" fill="#6b7280"/>
<path d="M120 200 q60 -80 120 0 q-60 40 -120 0 Z" fill="#5fbf86"/>
<path d="M1000 150 q50 -70 100 0 q-50 35 -100 0 Z" fill="#5fbf86"/>`;
}

function person(x: number, y: number, colour: string, skin = '#f6d2b8'): string {
	return `<circle cx="${x}" cy="${y}" r="62" fill="${skin}"/>
<path d="M${x - 110} ${y + 330} q0 -240 110 -240 q110 0 110 240 Z" fill="${colour}"/>`;
}

function care(): string {
	return `<ellipse cx="600" cy="730" rx="560" ry="60" fill="#f3b0b8"/>
${person(420, 330, '#7c5cbf', '#f1cfb6')}
<path d="M358 322 a62 62 0 0 1 124 0 q-62 -36 -124 0 Z" fill="#d9d9d9"/>
<rect x="300" y="430" width="14" height="260" rx="7" fill="#6b4f3a"/>
${person(780, 300, '#e0765b')}
<path d="M718 292 a62 62 0 0 1 124 0 q-62 -40 -124 0 Z" fill="#3b2a20"/>
<path d="M600 230 c-30 -50 -100 -20 -70 40 l70 70 l70 -70 c30 -60 -40 -90 -70 -40 Z" fill="#e84a5f"/>`;
}

function books(): string {
	// Bottom to top: colour, left edge, width.
	const stack = [
		['#2f6fbf', 220, 440],
		['#e0765b', 250, 390],
		['#2e9e5b', 210, 420],
		['#f2b134', 260, 360]
	] as const;
	return `<rect x="0" y="620" width="1200" height="180" fill="#a9b6e8"/>
${stack
	.map(
		([colour, x, width], i) =>
			`<rect x="${x}" y="${558 - i * 64}" width="${width}" height="62" rx="8" fill="${colour}"/>
<rect x="${x + 20}" y="${582 - i * 64}" width="${width - 60}" height="8" rx="4" fill="#ffffff" opacity="0.6"/>`
	)
	.join('\n')}
<path d="M700 560 q110 -60 200 0 v60 q-90 -50 -200 0 Z" fill="#ffffff"/>
<path d="M900 560 q90 -60 200 0 v60 q-110 -50 -200 0 Z" fill="#f3f4fb"/>
<rect x="960" y="180" width="16" height="380" fill="#4b5563"/>
<path d="M880 180 h180 l-40 -110 h-100 Z" fill="#f2b134"/>
<path d="M900 190 L820 560 H1140 L1040 190 Z" fill="#fff6cf" opacity="0.5"/>`;
}

function garden(): string {
	const flower = (x: number, y: number, petal: string) =>
		`<path d="M${x} ${y} v170" stroke="#3f8f4f" stroke-width="10"/>
${[0, 72, 144, 216, 288].map((a) => `<ellipse cx="${x}" cy="${y - 34}" rx="22" ry="40" fill="${petal}" transform="rotate(${a} ${x} ${y})"/>`).join('')}
<circle cx="${x}" cy="${y}" r="20" fill="#f2b134"/>`;
	return `<circle cx="980" cy="170" r="90" fill="#ffd66b"/>
<path d="M0 560 q300 -120 600 0 t600 0 V800 H0 Z" fill="#8fcf8a"/>
<path d="M0 640 q300 -80 600 0 t600 0 V800 H0 Z" fill="#6cb86a"/>
${flower(260, 470, '#f28db2')}${flower(420, 420, '#ffffff')}${flower(600, 480, '#f2b134')}${flower(790, 430, '#e84a5f')}${flower(940, 490, '#b38df2')}
<path d="M150 650 h200 l-30 110 h-140 Z" fill="#c26a3d"/><path d="M820 660 h180 l-25 100 h-130 Z" fill="#c26a3d"/>`;
}

function shield(): string {
	return `<ellipse cx="600" cy="730" rx="520" ry="55" fill="#9cc3ee"/>
<path d="M600 120 L830 200 V400 C830 560 720 650 600 700 C480 650 370 560 370 400 V200 Z" fill="#2f6fbf"/>
<path d="M600 170 L785 235 V400 C785 530 700 605 600 648 Z" fill="#4a8ad6"/>
<path d="M500 410 L575 485 L715 330" fill="none" stroke="#ffffff" stroke-width="44" stroke-linecap="round" stroke-linejoin="round"/>
<rect x="150" y="330" width="150" height="270" rx="22" fill="#374151"/><rect x="165" y="360" width="120" height="200" rx="6" fill="#c9e0fb"/>
<path d="M190 420 l70 70 M260 420 l-70 70" stroke="#e84a5f" stroke-width="16" stroke-linecap="round"/>
<circle cx="960" cy="300" r="70" fill="#ffffff" opacity="0.7"/><circle cx="1030" cy="330" r="50" fill="#ffffff" opacity="0.7"/>`;
}

function home(): string {
	const windows = [
		[470, 430],
		[650, 430],
		[470, 560]
	]
		.map(([x, y]) => `<rect x="${x}" y="${y}" width="90" height="90" rx="6" fill="#ffd66b"/>`)
		.join('');
	return `<circle cx="960" cy="160" r="60" fill="#fff4d4"/>
${[
	[140, 120],
	[300, 220],
	[760, 90],
	[1100, 300],
	[200, 330]
]
	.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="5" fill="#ffffff"/>`)
	.join('')}
<rect x="0" y="680" width="1200" height="120" fill="#25324f"/>
<path d="M380 380 L600 210 L820 380 Z" fill="#c0392b"/>
<rect x="420" y="380" width="360" height="320" fill="#f4e7d3"/>
${windows}<rect x="650" y="560" width="90" height="140" rx="6" fill="#8a5a2b"/>
<path d="M120 700 q40 -160 80 0 Z M980 700 q50 -200 100 0 Z" fill="#3f8f4f"/>`;
}

const DRAW: Record<Motif, () => string> = {
	stairs,
	sorting,
	care,
	books,
	garden,
	shield,
	home
};

export function storyPictureSvg(story: { title: string }): string {
	const motif = storyMotif(story.title);
	const [top, bottom] = SKIES[motif];
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800" width="1200" height="800">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
<rect width="1200" height="800" fill="url(#sky)"/>
${DRAW[motif]()}
</svg>`;
}
