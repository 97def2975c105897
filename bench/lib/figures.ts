import { summarize, type Summary } from './stats';

/**
 * One measured figure: a stable name (`scenario.metric`, with `.x1`/`.x4` for the CPU throttle
 * of browser figures), its unit, the median/min/max over the runs, and the target when there is one.
 */
export interface Figure extends Summary {
	name: string;
	unit: string;
	target?: { op: '<=' | '>='; value: number };
	pass?: boolean;
}

export class Figures {
	readonly list: Figure[] = [];

	add(name: string, unit: string, values: number[], target?: Figure['target']): Figure {
		const summary = summarize(values);
		const figure: Figure = { name, unit, ...summary };
		if (target) {
			figure.target = target;
			// The median is what is held against the target.
			figure.pass = target.op === '<=' ? summary.median <= target.value : summary.median >= target.value;
		}
		this.list.push(figure);
		return figure;
	}

	toJSON(): Record<string, Omit<Figure, 'name'>> {
		return Object.fromEntries(this.list.map(({ name, ...rest }) => [name, rest]));
	}

	toTable(): string {
		const fmt = (n: number) => (Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
		const rows = this.list.map((f) => [
			f.name,
			fmt(f.median),
			fmt(f.min),
			fmt(f.max),
			f.unit,
			String(f.runs),
			f.target ? `${f.target.op} ${f.target.value}` : '',
			f.pass === undefined ? '' : f.pass ? 'ok' : 'MISS'
		]);
		const header = ['figure', 'median', 'min', 'max', 'unit', 'runs', 'target', ''];
		const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
		const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
		return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
	}
}
