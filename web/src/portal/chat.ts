// The portal's chat window: a citizen asks the hotline's assistant (procedures, the status of
// a report by its code, a new report) and, when it hands over, reads an operator's replies in
// the same window. The conversation's id and secret are kept in this browser's storage, so a
// reload goes on with it; the page polls for new turns while the window is open.

import { $, esc } from '../common/dom';
import { ApiError, send, upload } from '../common/http';
import type { Lang } from '../common/i18n';

export interface Turn { n: number; speaker: 'citizen' | 'bot' | 'operator'; text: string; operator?: string | null; at: string }
export interface Chat { conversation: string; secret?: string; state: 'bot' | 'waiting' | 'human'; turns: Turn[] }

const KEY = 'chat';
const POLL_MS = 3000;

const T = {
  open: { vi: 'Hỏi đáp', en: 'Ask us' },
  title: { vi: 'Trợ lý Tổng đài 1022', en: '1022 hotline assistant' },
  placeholder: { vi: 'Nhập câu hỏi, ví dụ: cấp lại sổ đỏ cần giấy tờ gì', en: 'Ask, e.g. how to re-issue a land-use certificate' },
  send: { vi: 'Gửi', en: 'Send' },
  close: { vi: 'Đóng', en: 'Close' },
  waiting: { vi: 'Đang chờ tổng đài viên…', en: 'Waiting for an operator…' },
  human: { vi: 'Tổng đài viên đang trả lời', en: 'An operator is answering' },
  you: { vi: 'Bạn', en: 'You' },
  bot: { vi: 'Trợ lý', en: 'Assistant' },
  failed: { vi: 'Chưa gửi được, vui lòng thử lại.', en: 'Not sent, please try again.' },
  photo: { vi: 'Gửi kèm ảnh cho phản ánh', en: 'Add photos to report' },
  photoSent: { vi: 'Đã gửi ảnh', en: 'Photos sent' },
} as const;

/** The report the assistant filed last in this conversation (its code and tracking token, from
 * the tracking link of its answer), to add photos to. */
export function lastReport(turns: Turn[]): { code: string; token: string } | null {
  for (let i = turns.length - 1; i >= 0; i--) {
    const m = turns[i].speaker === 'bot' ? /\/#track\/([A-Za-z0-9-]+)\/([A-Za-z0-9_-]+)/.exec(turns[i].text) : null;
    if (m) return { code: m[1], token: m[2] };
  }
  return null;
}

/** The HTML of turns: the citizen's on the right, links in answers made clickable (http(s) and the portal's own paths only). */
export function turnsHtml(turns: Turn[], lang: Lang): string {
  return turns
    .map((t) => {
      const who = t.speaker === 'citizen' ? T.you[lang] : t.speaker === 'bot' ? T.bot[lang] : t.operator ?? 'Tổng đài viên';
      const body = esc(t.text)
        .replace(/(https?:\/\/[^\s<]+|\/thu-tuc\/[A-Za-z0-9._-]+|\/#track\/[A-Za-z0-9/_-]+)/g, (u) => `<a href="${u}" target="_blank" rel="noopener">${u}</a>`)
        .replace(/\n/g, '<br>');
      return `<li class="turn ${t.speaker}" data-n="${t.n}"><small>${esc(who)}</small><p>${body}</p></li>`;
    })
    .join('');
}

interface Saved { id: string; secret: string }

function saved(): Saved | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return v && typeof v.id === 'string' && typeof v.secret === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Mounts the chat window; returns what redraws it (after a language switch). */
export function mountChat(lang: () => Lang): () => void {
  const box = document.createElement('aside');
  box.id = 'chat';
  box.innerHTML = `<button type="button" id="chat-open" aria-expanded="false"></button>
    <section id="chat-panel" hidden aria-live="polite">
      <header><b id="chat-title"></b> <span id="chat-state"></span><button type="button" id="chat-close"></button></header>
      <ol id="chat-turns"></ol>
      <form id="chat-form" autocomplete="off"><textarea id="chat-text" rows="2" maxlength="2000"></textarea>
        <button type="submit" id="chat-send"></button></form>
      <label id="chat-photo" hidden>📷 <span></span><input type="file" accept="image/jpeg,image/png,image/webp" multiple></label>
      <p id="chat-error" class="error" role="alert"></p>
    </section>`;
  document.body.append(box);
  let turns: Turn[] = [];
  let state: Chat['state'] = 'bot';
  let timer: ReturnType<typeof setInterval> | undefined;

  const render = () => {
    const l = lang();
    $('chat-open').textContent = `💬 ${T.open[l]}`;
    $('chat-title').textContent = T.title[l];
    $('chat-close').textContent = T.close[l];
    $('chat-send').textContent = T.send[l];
    ($('chat-text') as HTMLTextAreaElement).placeholder = T.placeholder[l];
    $('chat-state').textContent = state === 'waiting' ? T.waiting[l] : state === 'human' ? T.human[l] : '';
    $('chat-turns').innerHTML = turnsHtml(turns, l);
    const report = lastReport(turns);
    $('chat-photo').hidden = !report;
    if (report) $('chat-photo').querySelector('span')!.textContent = `${T.photo[l]} ${report.code}`;
    $('chat-turns').scrollTop = $('chat-turns').scrollHeight;
  };
  const take = (c: Chat) => {
    const known = new Set(turns.map((t) => t.n));
    turns = turns.concat(c.turns.filter((t) => !known.has(t.n))).sort((a, b) => a.n - b.n);
    state = c.state;
    render();
  };
  // The secret travels in a header, so the conversation is read with `fetch` itself.
  const read = async (s: Saved, after: number) => {
    const r = await fetch(`/api/v1/chat/${s.id}?after=${after}`, { headers: { 'x-conversation-secret': s.secret }, credentials: 'same-origin' });
    if (r.status === 404) {
      localStorage.removeItem(KEY);
      return;
    }
    if (r.ok) take((await r.json()) as Chat);
  };
  const tick = () => {
    const s = saved();
    if (s) void read(s, turns.length ? turns[turns.length - 1].n : 0);
  };
  $('chat-open').addEventListener('click', () => {
    $('chat-panel').hidden = false;
    $('chat-open').setAttribute('aria-expanded', 'true');
    render();
    tick();
    clearInterval(timer);
    timer = setInterval(tick, POLL_MS);
    $('chat-text').focus();
  });
  $('chat-close').addEventListener('click', () => {
    $('chat-panel').hidden = true;
    $('chat-open').setAttribute('aria-expanded', 'false');
    clearInterval(timer);
  });
  // Photos of the problem the assistant just filed, with the report's tracking token.
  $('chat-photo').querySelector('input')!.addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const report = lastReport(turns);
    const files = Array.from(input.files ?? []).slice(0, 5);
    if (!report || !files.length) return;
    const form = new FormData();
    for (const f of files) form.append('photo', f);
    try {
      await upload(`/api/v1/tickets/${encodeURIComponent(report.code)}/photos`, form, { 'tracking-token': report.token });
      $('chat-error').textContent = `${T.photoSent[lang()]} (${files.length})`;
    } catch (err) {
      $('chat-error').textContent = err instanceof ApiError ? err.message : T.failed[lang()];
    }
    input.value = '';
  });
  $('chat-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      ($('chat-form') as HTMLFormElement).requestSubmit();
    }
  });
  $('chat-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('chat-text') as HTMLTextAreaElement;
    const text = input.value.trim();
    if (!text) return;
    $('chat-error').textContent = '';
    const s = saved();
    try {
      const c = await send<Chat>('POST', '/api/v1/chat', s ? { conversation: s.id, text } : { text }, s ? { 'x-conversation-secret': s.secret } : {});
      if (c.secret) localStorage.setItem(KEY, JSON.stringify({ id: c.conversation, secret: c.secret }));
      input.value = '';
      take(c);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && s) {
        // The conversation ended: start a new one with the same message.
        localStorage.removeItem(KEY);
        turns = [];
        ($('chat-form') as HTMLFormElement).requestSubmit();
        return;
      }
      $('chat-error').textContent = err instanceof ApiError && err.status !== 0 ? err.message : T.failed[lang()];
    }
  });
  render();
  return render;
}
