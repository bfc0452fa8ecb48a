// The breakdown tables: one row per area, unit, field or category, sortable by a click on any
// column's header (sort.ts), a row click drilling down where there is somewhere to go, the
// total underneath. Each table keeps its own sort while the figures under it are refetched.

import { esc } from '../common/dom';
import type { I18n, Lang, Text } from '../common/i18n';
import type { StatsRow } from './api';
import { fmtValue, type Kind } from './format';
import { nextSort, sortRows, type SortDir, type SortState, type SortValue } from './sort';
import type { TEXTS, TextKey } from './texts';

export interface Column<T> {
  key: string;
  label: TextKey;
  value(row: T): SortValue;
  /** How a cell is written: a figure of a kind, or HTML of its own. */
  kind?: Kind;
  html?(row: T, lang: Lang): string;
  /** The direction of the first click (figures from the largest, names from A). */
  firstDir?: SortDir;
}

/** The name of a row's first key, in the page's language. */
export function rowName(row: StatsRow, lang: Lang, unknown: Text): string {
  const k = row.key[0];
  if (!k || k.value === null) return lang === 'vi' ? unknown.vi : unknown.en;
  return lang === 'vi' ? k.name : k.name_en;
}

/** The code (or value) of a row's first key, as text. */
export const rowCode = (row: StatsRow): string => (row.key[0]?.value === null || row.key[0]?.value === undefined ? '' : String(row.key[0].value));

/** Open tickets older than 7 working days (the last two backlog buckets: 8–15, 16+). */
export const oldBacklog = (row: StatsRow): number => (row.measures.backlog[3] ?? 0) + (row.measures.backlog[4] ?? 0);

/** The columns every breakdown of StatsRows has, after its name. */
export function figureColumns(opts: { satisfaction: boolean; perResident: boolean; reopen?: boolean }): Column<StatsRow>[] {
  const cols: Column<StatsRow>[] = [
    { key: 'received', label: 'received', kind: 'count', value: (r) => r.measures.received },
    { key: 'resolved', label: 'resolved', kind: 'count', value: (r) => r.measures.resolved },
    { key: 'open', label: 'open', kind: 'count', value: (r) => r.measures.open },
    { key: 'overdue', label: 'overdue', kind: 'count', value: (r) => r.measures.overdue },
    { key: 'backlog_old', label: 'backlogOld', kind: 'count', value: oldBacklog },
    { key: 'on_time_rate', label: 'on_time_rate', kind: 'rate', value: (r) => r.measures.on_time_rate ?? null },
    { key: 'lateness_rate', label: 'lateness_rate', kind: 'rate', value: (r) => r.measures.lateness_rate ?? null },
    { key: 'handling_days_median', label: 'handling_days_median', kind: 'days', value: (r) => r.measures.handling_days_median ?? null },
    { key: 'rating_mean', label: 'rating_mean', kind: 'rating', value: (r) => r.measures.rating_mean ?? null },
  ];
  if (opts.reopen) cols.push({ key: 'reopen_rate', label: 'reopen_rate', kind: 'rate', value: (r) => r.measures.reopen_rate ?? null });
  if (opts.perResident) cols.push({ key: 'per_10k', label: 'per_10k', kind: 'per10k', value: (r) => r.satisfaction?.per_10k ?? null });
  if (opts.satisfaction) cols.push({ key: 'satisfaction', label: 'satisfaction', kind: 'index', value: (r) => r.satisfaction?.index ?? null });
  return cols;
}

export interface TableOptions<T> {
  columns: Column<T>[];
  rowKey(row: T): string;
  /** A click (or Enter) on a row; rows are plain when absent. */
  onRow?(row: T): void;
  initial: SortState;
}

export class SortableTable<T> {
  private sort: SortState;
  private rows: readonly T[] = [];
  private total: T | null = null;
  private selected: string | null = null;

  constructor(private readonly host: HTMLElement, private readonly i18n: I18n<keyof typeof TEXTS>, private readonly o: TableOptions<T>) {
    this.sort = o.initial;
    host.addEventListener('click', (e) => {
      if (!this.sortBy(e.target as HTMLElement)) this.pick(e.target as HTMLElement);
    });
    // The keyboard: Enter (or Space) on a header sorts by it, Enter on a row opens it.
    host.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const target = e.target as HTMLElement;
      if (target.closest('button, a')) return;
      if (this.sortBy(target)) {
        e.preventDefault();
        host.querySelector<HTMLElement>(`th[data-key="${this.sort.key}"]`)?.focus();
      } else if (e.key === 'Enter') this.pick(target);
    });
  }

  /** Sorts by the column whose header `target` is in; false when it is in none. */
  private sortBy(target: HTMLElement): boolean {
    const th = target.closest<HTMLElement>('th[data-key]');
    if (!th) return false;
    const col = this.o.columns.find((c) => c.key === th.dataset.key);
    this.sort = nextSort(this.sort, th.dataset.key!, col?.firstDir ?? 'desc');
    this.draw();
    return true;
  }

  private pick(target: HTMLElement): void {
    // A button or a link in a row does its own thing (e.g. the “Chỉ đạo” button of a unit).
    if (target.closest('button, a')) return;
    const tr = target.closest<HTMLElement>('tbody tr[data-key]');
    const row = tr && this.rows.find((r) => this.o.rowKey(r) === tr.dataset.key);
    if (row && this.o.onRow) this.o.onRow(row);
  }

  /** Shows these rows (and the total), kept in the table's current sort; `selected` is highlighted. */
  render(rows: readonly T[], total: T | null = null, selected: string | null = null): void {
    [this.rows, this.total, this.selected] = [rows, total, selected];
    this.draw();
  }

  /** The rows in the order shown. */
  sorted(): T[] {
    const col = this.o.columns.find((c) => c.key === this.sort.key) ?? this.o.columns[0];
    return sortRows(this.rows, (r) => col.value(r), this.sort.dir);
  }

  draw(): void {
    const lang = this.i18n.lang;
    const cell = (c: Column<T>, r: T) => (c.html ? c.html(r, lang) : esc(c.kind ? fmtValue(c.value(r) as number | null, c.kind, lang) : c.value(r) ?? ''));
    const head = this.o.columns
      .map((c) => {
        const sorted = c.key === this.sort.key;
        const aria = sorted ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
        const mark = sorted ? (this.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
        return `<th scope="col" data-key="${esc(c.key)}" aria-sort="${aria}" class="${c.kind ? 'num' : ''}" tabindex="0">${esc(this.i18n.t(c.label))}${mark}</th>`;
      })
      .join('');
    const body = this.sorted()
      .map((r) => {
        const key = this.o.rowKey(r);
        const attrs = this.o.onRow ? ` tabindex="0" class="link${key === this.selected ? ' selected' : ''}"` : key === this.selected ? ' class="selected"' : '';
        return `<tr data-key="${esc(key)}"${attrs}>${this.o.columns.map((c) => `<td class="${c.kind ? 'num' : ''}">${cell(c, r)}</td>`).join('')}</tr>`;
      })
      .join('');
    const empty = `<tr><td colspan="${this.o.columns.length}" class="empty">${esc(this.i18n.t('noRows'))}</td></tr>`;
    const foot = this.total
      ? `<tfoot><tr>${this.o.columns.map((c, i) => `<td class="${c.kind ? 'num' : ''}">${i === 0 ? esc(this.i18n.t('total')) : cell(c, this.total!)}</td>`).join('')}</tr></tfoot>`
      : '';
    this.host.innerHTML = `<table><thead><tr>${head}</tr></thead><tbody>${body || empty}</tbody>${foot}</table>`;
  }
}
