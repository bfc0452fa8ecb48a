// The board's chime: a two-tone "ding-dong" made by oscillators (no sound file to load). Browsers
// keep an AudioContext suspended until a user gesture on the page, so the board shows a
// "Bật âm thanh · Sound on" button until the context runs (a click or a key of the TV's remote on
// the page unlocks it as well).

/** The two tones: frequency (Hz), start (s after the call), length (s). */
export const TONES: readonly (readonly [number, number, number])[] = [
  [880, 0, 0.7], // A5
  [698.5, 0.45, 1.1], // F5
];

export class Chime {
  private ctx: AudioContext | null = null;

  /** `onState(running)` is told each time sound becomes available or not. */
  constructor(private readonly onState: (running: boolean) => void) {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) {
      onState(true); // no Web Audio at all: nothing to offer
      return;
    }
    try {
      this.ctx = new Ctx();
      this.ctx.addEventListener('statechange', () => this.onState(this.running));
    } catch {
      this.ctx = null;
    }
    this.onState(this.running || !this.ctx);
  }

  get running(): boolean {
    return this.ctx?.state === 'running';
  }

  /** Resumes the context (call it from a user gesture); a short chime confirms the sound. */
  async unlock(): Promise<void> {
    if (!this.ctx) return;
    try {
      await this.ctx.resume();
    } catch {
      /* still locked: the button stays */
    }
    this.onState(this.running);
  }

  /** Plays the ding-dong, if sound is on. */
  play(): void {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') return;
    const t0 = ctx.currentTime + 0.05;
    for (const [freq, at, len] of TONES) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + at);
      gain.gain.exponentialRampToValueAtTime(0.5, t0 + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + at);
      osc.stop(t0 + at + len + 0.05);
    }
  }
}
