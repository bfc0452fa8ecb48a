// The console's procedures panel, beside the call form: most calls are questions about
// administrative procedures, answered from the catalogue while the caller waits. Search as
// you type (with or without diacritics), open one procedure as a card to read out — documents,
// time limits and fees, where to submit — and copy it as a short answer: to the clipboard, and
// into the reply of the conversation the operator has open (conversations.ts), if any.

import { debounce, esc } from '../common/dom';
import { get } from '../common/http';
import { bi } from '../common/i18n';

interface Method { channel: string; time_limit: string; fee: string; note?: string | null }
interface Summary { code: string; name: string; field: string; level: string; time_limit: string; fee: string; online: boolean }
interface Detail {
  code: string; name: string; field: string; agency: string; submit_at: string; result: string; applicants: string;
  steps: string[]; methods: Method[]; documents: { name: string; copies?: string | null }[]; online_url?: string | null; demo: boolean;
}

const CHANNEL: Record<string, [string, string]> = { direct: ['Trực tiếp', 'in person'], online: ['Trực tuyến', 'online'], postal: ['Bưu chính', 'by post'] };

/** The card of one procedure, to read out to a caller. */
export function cardHtml(d: Detail): string {
  const methods = d.methods
    .map((m) => `<li><b>${esc((CHANNEL[m.channel] ?? [m.channel])[0])}</b>: ${esc(m.time_limit)} · ${esc(m.fee)}${m.note ? ` <small>(${esc(m.note)})</small>` : ''}</li>`)
    .join('');
  const docs = d.documents.map((x) => `<li>${esc(x.name)}${x.copies ? ` <small>— ${esc(x.copies)}</small>` : ''}</li>`).join('');
  const online = d.online_url && /^https?:\/\//i.test(d.online_url) ? ` · <a href="${esc(d.online_url)}" target="_blank" rel="noopener noreferrer">${bi('Nộp trực tuyến', 'online')}</a>` : '';
  return `<h4>${esc(d.name)} <small>${esc(d.code)}</small></h4>
    ${d.demo ? `<p class="demo">${bi('Nội dung mẫu', 'demo content')}</p>` : ''}
    <p><b>${bi('Hồ sơ', 'documents')}</b></p><ul>${docs}</ul>
    <p><b>${bi('Thời hạn, lệ phí', 'time limit, fee')}</b></p><ul>${methods}</ul>
    <p><b>${bi('Nộp tại', 'submit at')}</b>: ${esc(d.submit_at)}</p>
    <p><b>${bi('Cơ quan giải quyết', 'agency')}</b>: ${esc(d.agency)} · <b>${bi('Kết quả', 'result')}</b>: ${esc(d.result)}</p>
    <p class="buttons"><button type="button" class="small" data-use="${esc(d.code)}">${bi('Ghi vào câu hỏi', 'use for the question')}</button>
      <button type="button" class="small" data-book="${esc(d.code)}">${bi('Đặt lịch cho thủ tục này', 'book for this procedure')}</button>
      <button type="button" class="small" data-pick="${esc(d.code)}">${bi('Chép để trả lời', 'copy for a reply')}</button>
      <a href="/thu-tuc/${encodeURIComponent(d.code)}" target="_blank" rel="noopener">${bi('Xem đầy đủ', 'full text')}</a>${online}</p>`;
}

/** The procedure as a short written answer (a chat or SMS reply). */
export function replyText(d: Detail, origin: string): string {
  const docs = d.documents.map((x) => `- ${x.name}${x.copies ? ` (${x.copies})` : ''}`).join('\n');
  const ways = d.methods.map((m) => `- ${(CHANNEL[m.channel] ?? [m.channel])[0]}: ${m.time_limit}; phí: ${m.fee}`).join('\n');
  return `Thủ tục "${d.name}" (mã ${d.code}).\nHồ sơ:\n${docs}\nThời hạn, lệ phí:\n${ways}\nNộp tại: ${d.submit_at}\nChi tiết: ${origin}/thu-tuc/${encodeURIComponent(d.code)}`;
}

export interface ProceduresPanel {
  focus(): void;
}

export function setupProcedures(root: HTMLElement): ProceduresPanel {
  const input = root.querySelector<HTMLInputElement>('input[name=procedure-q]')!;
  const list = root.querySelector<HTMLOListElement>('ol')!;
  const card = root.querySelector<HTMLElement>('.card')!;
  let asked = 0;
  let shown: Detail | null = null;
  const search = debounce(async () => {
    const q = input.value.trim();
    const n = ++asked;
    if (!q) {
      list.innerHTML = '';
      return;
    }
    try {
      const page = await get<{ total: number; items: Summary[] }>(`/api/v1/procedures?limit=8&q=${encodeURIComponent(q)}`);
      if (n !== asked) return;
      list.innerHTML = page.items.length
        ? page.items.map((s) => `<li><button type="button" class="link" data-code="${esc(s.code)}">${esc(s.name)}</button>
            <small>${esc(s.code)} · ${esc(s.field)} · ${esc(s.time_limit)}</small></li>`).join('')
        : `<li class="muted">${bi('Không có thủ tục phù hợp', 'no matching procedure')}</li>`;
    } catch (e) {
      if (n === asked) list.innerHTML = `<li class="error">${esc(e instanceof Error ? e.message : e)}</li>`;
    }
  }, 200);
  input.addEventListener('input', () => void search());
  root.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const open = target.closest<HTMLElement>('button[data-code]');
    if (open) {
      void get<Detail>(`/api/v1/procedures/${encodeURIComponent(open.dataset.code!)}`).then((d) => {
        shown = d;
        card.innerHTML = cardHtml(d);
        card.hidden = false;
      });
      return;
    }
    if (target.closest('button[data-use]') && shown) {
      // The desk's inquiry form (desk.ts) takes the procedure's code and name.
      document.dispatchEvent(new CustomEvent('procedure-picked', { detail: { code: shown.code, name: shown.name } }));
      return;
    }
    const pick = target.closest<HTMLElement>('button[data-pick]');
    if (pick && shown) {
      const text = replyText(shown, location.origin);
      void navigator.clipboard?.writeText(text).catch(() => undefined);
      const reply = document.querySelector<HTMLTextAreaElement>('#conversations form.reply textarea');
      if (reply) reply.value = reply.value ? `${reply.value}\n${text}` : text;
    }
  });
  return { focus: () => input.select() };
}
