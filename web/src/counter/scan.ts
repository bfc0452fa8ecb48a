// Reading a booking's QR code with the camera: the back camera (`facingMode: environment`) into a
// <video>, a few frames a second drawn to a canvas and decoded with jsQR, until a frame holds a
// booking code (desk.ts `scannedCode`). Browsers give the camera only to secure pages (https or
// localhost) and only once the user allows it.

import jsQR from 'jsqr';
import { scannedCode } from './desk';

/** Time between two decoded frames: enough to feel instant, light on the clerk's PC. */
const FRAME_MS = 120;
/** Frames wider than this are scaled down before decoding. */
const MAX_WIDTH = 1024;

export class QrScanner {
  private stream: MediaStream | null = null;
  private timer: number | undefined;

  constructor(private readonly video: HTMLVideoElement) {}

  get running(): boolean {
    return this.stream !== null;
  }

  /** Opens the camera and calls `onCode` once with the first booking code seen; throws a message when there is no camera. */
  async start(onCode: (code: string) => void): Promise<void> {
    this.stop();
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error('Trình duyệt không cho dùng camera (cần https) · No camera here (the page needs https)');
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (e) {
      const denied = e instanceof DOMException && e.name === 'NotAllowedError';
      throw new Error(denied ? 'Chưa cho phép dùng camera · Camera permission denied' : 'Không mở được camera · The camera could not be opened');
    }
    this.video.srcObject = this.stream;
    this.video.setAttribute('playsinline', '');
    await this.video.play().catch(() => undefined);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('Không đọc được hình ảnh · Canvas unavailable');
    const frame = () => {
      if (!this.stream) return;
      const { videoWidth: w, videoHeight: h } = this.video;
      if (w && h) {
        const scale = Math.min(1, MAX_WIDTH / w);
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        ctx.drawImage(this.video, 0, 0, canvas.width, canvas.height);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const hit = jsQR(img.data, img.width, img.height);
        const code = hit ? scannedCode(hit.data) : null;
        if (code) {
          this.stop();
          onCode(code);
          return;
        }
      }
      this.timer = window.setTimeout(() => requestAnimationFrame(frame), FRAME_MS);
    };
    requestAnimationFrame(frame);
  }

  /** Closes the camera (its light goes off). */
  stop(): void {
    clearTimeout(this.timer);
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video.srcObject = null;
  }
}
