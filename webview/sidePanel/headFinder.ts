// The side panel's head finder: one row per layer × head, one column per score (its header's tooltip says what it
// measures), sorted by a click on a header (again: the other way), a click on a row opens that head in the panel.
import type { HeadFinderMessage } from '../../shared/messages';

interface Sort {
  /** -2 layer, -1 head, else the score column. */
  column: number;
  descending: boolean;
}

export class HeadFinderTable {
  readonly element = document.createElement('div');
  private readonly status = document.createElement('p');
  private readonly table = document.createElement('table');
  private readonly notes = document.createElement('ul');
  private message: HeadFinderMessage | undefined;
  private sort: Sort = { column: -2, descending: false };

  constructor(private readonly openHead: (layer: number, head: number) => void) {
    this.element.className = 'head-finder';
    this.element.dataset.testid = 'head-finder';
    this.status.className = 'empty';
    this.status.setAttribute('role', 'status');
    this.status.textContent = 'Run “Show Attention” to score every head.';
    this.table.className = 'head-table';
    this.notes.className = 'notes';
    // The table scrolls on its own (144 rows for bert-base), so the recent analyses stay in reach below it.
    const scroll = document.createElement('div');
    scroll.className = 'head-table-scroll';
    scroll.append(this.table);
    this.element.append(this.status, scroll, this.notes);
  }

  /** Drops the table (no current analysis). */
  clear(): void {
    this.message = undefined;
    this.status.textContent = 'Run “Show Attention” to score every head.';
    this.table.replaceChildren();
    this.notes.replaceChildren();
  }

  show(message: HeadFinderMessage): void {
    this.message = message;
    this.element.dataset.status = message.status;
    this.status.textContent =
      message.status === 'computing' ? 'Scoring every head…' : message.status === 'error' ? (message.message ?? 'The heads could not be scored.') : '';
    this.status.hidden = message.status === 'ready';
    this.status.classList.toggle('error', message.status === 'error');
    this.notes.replaceChildren(
      ...message.notes.map((n) => {
        const li = document.createElement('li');
        li.textContent = n;
        return li;
      }),
    );
    this.render();
  }

  /** Sorts by a score column (by name), best first, as a header click does. */
  sortBy(name: string): void {
    const column = this.message?.columns.findIndex((c) => c.name === name) ?? -1;
    if (column >= 0) this.setSort(column);
  }

  private setSort(column: number): void {
    this.sort = { column, descending: this.sort.column === column ? !this.sort.descending : column >= 0 };
    this.render();
  }

  private render(): void {
    const msg = this.message;
    if (!msg || msg.rows.length === 0) {
      this.table.replaceChildren();
      return;
    }
    const { column, descending } = this.sort;
    const key = (r: HeadFinderMessage['rows'][number]) => (column === -2 ? r.layer * 1e6 + r.head : column === -1 ? r.head * 1e6 + r.layer : r.scores[column]);
    const rows = [...msg.rows].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      // Scores that do not apply go last either way.
      if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
      return descending ? kb - ka : ka - kb;
    });
    const head = document.createElement('thead');
    const headRow = document.createElement('tr');
    const th = (label: string, title: string, index: number, name: string) => {
      const cell = document.createElement('th');
      const b = document.createElement('button');
      b.textContent = label;
      b.title = title;
      b.dataset.column = name;
      cell.setAttribute('aria-sort', index === column ? (descending ? 'descending' : 'ascending') : 'none');
      b.addEventListener('click', () => this.setSort(index));
      cell.append(b);
      return cell;
    };
    headRow.append(th('L', 'Layer (1-based)', -2, 'layer'), th('H', 'Head (1-based)', -1, 'head'), ...msg.columns.map((c, i) => th(c.label, `${c.label}: ${c.description}`, i, c.name)));
    head.append(headRow);
    const body = document.createElement('tbody');
    body.append(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.layer = String(r.layer);
        tr.dataset.head = String(r.head);
        tr.tabIndex = 0;
        tr.title = `Open layer ${r.layer + 1}, head ${r.head + 1} in the attention panel`;
        const td = (text: string) => {
          const c = document.createElement('td');
          c.textContent = text;
          return c;
        };
        tr.append(td(String(r.layer + 1)), td(String(r.head + 1)), ...r.scores.map((s) => td(s === null ? '–' : s.toFixed(2))));
        tr.addEventListener('click', () => this.openHead(r.layer, r.head));
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') this.openHead(r.layer, r.head);
        });
        return tr;
      }),
    );
    this.table.replaceChildren(head, body);
  }
}
