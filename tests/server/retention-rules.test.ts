import { describe, expect, it } from 'vitest';
import { addMonths, retentionScheduleFor, retentionStepFor } from '../../server/retention/retentionSchedule';
import { retentionRuleFor, retentionRules } from '../../server/retention/retentionRules';
import { measureTypes, type MeasureType } from '../../src/lib/shared/domain';

const DAY = 86_400_000;

/** Expected durations, from the référentiel table (section 7) and § 46, in years (active) and months (archive). */
const expected: Record<MeasureType, { activeYears: number; archiveMonths: number; from: 'contact' | 'later' }> = {
	aed: { activeYears: 2, archiveMonths: 60, from: 'contact' },
	tisf: { activeYears: 2, archiveMonths: 60, from: 'contact' },
	ip: { activeYears: 2, archiveMonths: 15, from: 'later' },
	aemo: { activeYears: 5, archiveMonths: 15, from: 'later' },
	placement: { activeYears: 10, archiveMonths: 15, from: 'later' },
	cjm: { activeYears: 10, archiveMonths: 15, from: 'later' }
};

describe('retention rules', () => {
	it('cover every measure type exactly once, each with a reference and a quote from the référentiel', () => {
		for (const type of measureTypes) expect(retentionRules.filter((r) => r.measureTypes.includes(type))).toHaveLength(1);
		for (const rule of retentionRules) {
			expect(rule.reference).toMatch(/2022-008/);
			expect(rule.quote).toMatch(/^« .+ »$/);
			expect(rule.archiveJustification.length).toBeGreaterThan(20);
		}
	});

	it.each(measureTypes)('%s: archived the day after the end of the active period, destroyed the day after the end of the archive', (type) => {
		const e = expected[type];
		const closedAt = '2020-06-15';
		const lastContact = new Date('2020-03-10T08:00:00Z');
		const row = { measureType: type, status: 'closed' as const, closedAt, lastContactAt: lastContact };
		const start = e.from === 'contact' ? lastContact : new Date('2020-06-15T00:00:00Z');
		const archiveAt = addMonths(start, e.activeYears * 12);
		const destroyAt = addMonths(start, e.activeYears * 12 + e.archiveMonths);
		const schedule = retentionScheduleFor(row)!;
		expect(schedule.rule).toBe(retentionRuleFor(type));
		expect(schedule.archiveAt.toISOString()).toBe(archiveAt.toISOString());
		expect(schedule.destroyAt.toISOString()).toBe(destroyAt.toISOString());

		expect(retentionStepFor(row, new Date(archiveAt.getTime() - DAY))).toBeNull();
		expect(retentionStepFor(row, new Date(archiveAt.getTime() + DAY))?.kind).toBe('archive');
		const archived = { ...row, status: 'archived' as const };
		expect(retentionStepFor(archived, new Date(destroyAt.getTime() - DAY))).toBeNull();
		expect(retentionStepFor(archived, new Date(destroyAt.getTime() + DAY))?.kind).toBe('destroy');
		// A case nobody archived in time goes straight to destruction at the end of the archive.
		expect(retentionStepFor(row, new Date(destroyAt.getTime() + DAY))?.kind).toBe('destroy');
	});

	it('never schedules an open measure, and counts from the later of contact and closing where the text says so', () => {
		expect(retentionScheduleFor({ measureType: 'aed', status: 'open', closedAt: null, lastContactAt: new Date('2000-01-01T00:00:00Z') })).toBeNull();
		const late = retentionScheduleFor({ measureType: 'aemo', status: 'closed', closedAt: '2020-01-01', lastContactAt: new Date('2021-01-01T00:00:00Z') })!;
		expect(late.start.toISOString()).toBe('2021-01-01T00:00:00.000Z');
		const noContact = retentionScheduleFor({ measureType: 'aed', status: 'closed', closedAt: '2020-01-01', lastContactAt: null })!;
		expect(noContact.start.toISOString()).toBe('2020-01-01T00:00:00.000Z');
	});

	it('adds calendar months, the 31st becoming the last day of a shorter month', () => {
		expect(addMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
		expect(addMonths(new Date('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
		expect(addMonths(new Date('2026-03-15T10:00:00Z'), -24).toISOString()).toBe('2024-03-15T10:00:00.000Z');
	});
});
