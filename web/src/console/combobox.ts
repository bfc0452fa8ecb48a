// A text box with a list of suggestions under it, driven from the keyboard: ↓/↑ move, Enter
// picks (and does not submit the form), Tab picks and moves on, Esc closes the list (and does
// not clear the form); a click picks too. ARIA combobox/listbox roles so screen readers follow along.

export interface Combo<T> {
  /** Shows these suggestions (the first one active); an empty list shows `emptyText`, if any. */
  show(items: readonly T[], emptyText?: string): void;
  close(): void;
  readonly isOpen: boolean;
}

let nextId = 0;

export function combobox<T>(
  input: HTMLInputElement,
  list: HTMLElement,
  render: (item: T) => string,
  pick: (item: T) => void,
): Combo<T> {
  const id = list.id || `combo-${++nextId}`;
  list.id = id;
  list.setAttribute('role', 'listbox');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-controls', id);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  let items: readonly T[] = [];
  let active = -1;

  const mark = () => {
    list.querySelectorAll<HTMLElement>('[role=option]').forEach((li, i) => {
      li.classList.toggle('active', i === active);
      li.setAttribute('aria-selected', String(i === active));
      if (i === active) {
        input.setAttribute('aria-activedescendant', li.id);
        li.scrollIntoView({ block: 'nearest' });
      }
    });
  };

  const combo: Combo<T> = {
    show(next, emptyText) {
      items = next;
      active = items.length ? 0 : -1;
      list.innerHTML = items.length
        ? items.map((it, i) => `<li role="option" id="${id}-${i}" data-i="${i}">${render(it)}</li>`).join('')
        : emptyText
          ? `<li class="empty">${emptyText}</li>`
          : '';
      list.hidden = !list.innerHTML;
      input.setAttribute('aria-expanded', String(!list.hidden));
      mark();
    },
    close() {
      items = [];
      active = -1;
      list.hidden = true;
      list.innerHTML = '';
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    },
    get isOpen() {
      return !list.hidden;
    },
  };

  const choose = (i: number) => {
    const it = items[i];
    combo.close();
    if (it !== undefined) pick(it);
  };

  input.addEventListener('keydown', (e) => {
    if (!combo.isOpen) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (items.length) active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      mark();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      e.stopPropagation();
      choose(active);
    } else if (e.key === 'Tab' && !e.shiftKey && active >= 0) {
      // Tab takes the highlighted suggestion and moves on, as in most pickers.
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      combo.close();
    }
  });
  // mousedown, not click: it comes before the input's blur closes the list.
  list.addEventListener('mousedown', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>('[data-i]');
    if (!li) return;
    e.preventDefault();
    choose(Number(li.dataset.i));
  });
  input.addEventListener('blur', () => setTimeout(() => combo.close(), 0));
  return combo;
}
