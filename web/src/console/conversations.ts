// The console's conversations: those the chatbot handed to a person (asked for, or not sure)
// wait here, the longest first. An operator takes one, reads the transcript, replies — the
// reply reaches the citizen on the same channel (portal, Zalo, Messenger, SMS) — and hands it
// back to the chatbot or ends it. Polled every few seconds.

import { esc } from '../common/dom';
import { get, send } from '../common/http';
import { bi } from '../common/i18n';

export interface Conversation {
  id: string; channel: string; sender: string; state: 'bot' | 'waiting' | 'human'; operator?: string | null;
  handover_reason?: string | null; started_at: string; updated_at: string; turns: number;
}
export interface Turn { n: number; speaker: 'citizen' | 'bot' | 'operator'; text: string; operator?: string | null; at: string }
type Transcript = Conversation & { transcript: Turn[] };

const POLL_MS = 4000;
const CHANNEL: Record<string, string> = { portal: 'Cổng', zalo: 'Zalo', messenger: 'Messenger', sms: 'SMS' };

const time = (iso: string) => new Date(iso).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });

/** One line of the queue. */
export function lineHtml(c: Conversation, me: string): string {
  const who = c.state === 'human' ? (c.operator === me ? bi('bạn đang trả lời', 'yours') : esc(c.operator ?? '')) : bi('chờ', 'waiting');
  return `<li><button type="button" class="link" data-conv="${esc(c.id)}">${esc(CHANNEL[c.channel] ?? c.channel)} · ${esc(c.sender.startsWith('portal:') ? 'khách' : c.sender)}</button>
    <small>${who} · ${esc(time(c.updated_at))}${c.handover_reason ? ` · ${esc(c.handover_reason)}` : ''}</small></li>`;
}

/** The transcript of one conversation. */
export function transcriptHtml(turns: Turn[]): string {
  return turns
    .map((t) => {
      const who = t.speaker === 'citizen' ? bi('Người dân', 'citizen') : t.speaker === 'bot' ? bi('Trợ lý', 'bot') : esc(t.operator ?? '');
      return `<li class="turn ${t.speaker}"><small>${who} · ${esc(time(t.at))}</small><p>${esc(t.text).replace(/\n/g, '<br>')}</p></li>`;
    })
    .join('');
}

export function setupConversations(root: HTMLElement, me: string, toast: (html: string) => void): void {
  const list = root.querySelector<HTMLOListElement>('ol.convs')!;
  const count = root.querySelector<HTMLElement>('.n')!;
  const view = root.querySelector<HTMLElement>('.conv')!;
  let open: Transcript | null = null;
  let waiting = 0;

  const draw = () => {
    if (!open) {
      view.hidden = true;
      return;
    }
    const mine = open.state === 'human' && open.operator === me;
    view.hidden = false;
    view.innerHTML = `<ol class="transcript">${transcriptHtml(open.transcript)}</ol>
      ${mine
        ? `<form class="reply"><textarea rows="2" maxlength="2000" aria-label="Trả lời · reply"></textarea>
            <button type="submit" class="primary">${bi('Gửi', 'send')}</button></form>
           <p class="buttons"><button type="button" data-act="back">${bi('Trả lại trợ lý', 'back to the bot')}</button>
             <button type="button" data-act="close">${bi('Kết thúc', 'end')}</button></p>`
        : `<p class="buttons"><button type="button" data-act="take" class="primary">${bi('Nhận trả lời', 'take it')}</button></p>`}`;
    const t = view.querySelector('.transcript');
    if (t) t.scrollTop = t.scrollHeight;
  };

  const load = async () => {
    const queue = await get<Conversation[]>('/api/v1/conversations');
    const now = queue.filter((c) => c.state === 'waiting').length;
    if (now > waiting) toast(bi('Có cuộc trò chuyện chờ tổng đài viên', 'a conversation waits for an operator'));
    waiting = now;
    count.textContent = String(queue.length);
    list.innerHTML = queue.map((c) => lineHtml(c, me)).join('');
    if (open) {
      const fresh = await get<Transcript>(`/api/v1/conversations/${open.id}`);
      if (fresh.turns !== open.turns || fresh.state !== open.state) {
        open = fresh;
        draw();
      }
    }
  };

  root.addEventListener('click', async (e) => {
    const target = e.target as HTMLElement;
    const pick = target.closest<HTMLElement>('[data-conv]');
    try {
      if (pick) {
        open = await get<Transcript>(`/api/v1/conversations/${pick.dataset.conv}`);
        draw();
        return;
      }
      const act = target.closest<HTMLElement>('[data-act]')?.dataset.act;
      if (!act || !open) return;
      if (act === 'take') open = await send<Transcript>('POST', `/api/v1/conversations/${open.id}/take`);
      if (act === 'back' || act === 'close') {
        await send('POST', `/api/v1/conversations/${open.id}/release`, { close: act === 'close' });
        open = null;
      }
      draw();
      await load();
    } catch (err) {
      toast(esc(err instanceof Error ? err.message : err));
    }
  });
  root.addEventListener('submit', async (e) => {
    e.preventDefault();
    const area = (e.target as HTMLElement).querySelector('textarea');
    const text = area?.value.trim();
    if (!open || !area || !text) return;
    try {
      await send('POST', `/api/v1/conversations/${open.id}/replies`, { text });
      area.value = '';
      open = await get<Transcript>(`/api/v1/conversations/${open.id}`);
      draw();
    } catch (err) {
      toast(esc(err instanceof Error ? err.message : err));
    }
  });
  void load().catch(() => undefined);
  setInterval(() => void load().catch(() => undefined), POLL_MS);
}
