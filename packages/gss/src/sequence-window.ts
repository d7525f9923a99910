// Replay and sequence detection for received per-message tokens (RFC 2743 1.2.3, RFC 4121 4.2.3).
import { GssError, GssErrorCode } from './errors';

/** How far back a late token is still accepted once (MIT keeps 64 too). */
export const SEQUENCE_WINDOW = 64;

export class SequenceWindow {
  private next: number;
  /** Whether each of the last SEQUENCE_WINDOW numbers below `next` was received, by number mod the window. */
  private readonly seen = new Uint8Array(SEQUENCE_WINDOW);

  /** `strict`: out-of-order and skipped numbers are errors too (the SEQUENCE flag), not only repeats. */
  constructor(
    first: number,
    private readonly replay: boolean,
    private readonly strict: boolean,
  ) {
    this.next = first;
  }

  /** Throws when `seq` must not be accepted; records it otherwise. Call only after the token verified. */
  accept(seq: number): void {
    if (!this.replay && !this.strict) return;
    if (seq < this.next) {
      if (this.next - seq > SEQUENCE_WINDOW) {
        throw new GssError(GssErrorCode.OLD_TOKEN, `per-message token ${seq} is older than the window`);
      }
      if (this.seen[seq % SEQUENCE_WINDOW] === 1) {
        throw new GssError(GssErrorCode.DUPLICATE_TOKEN, `per-message token ${seq} was received before`, {
          hint: 'a replayed message',
        });
      }
      if (this.strict)
        throw new GssError(GssErrorCode.OLD_TOKEN, `per-message token ${seq} arrived out of order`);
    } else {
      if (seq > this.next && this.strict) {
        throw new GssError(GssErrorCode.GAP_TOKEN, `per-message token ${seq}: expected ${this.next}`);
      }
      // The slots of next..seq held numbers that now fall out of the window (at most all of them).
      const end = Math.min(seq, this.next + SEQUENCE_WINDOW - 1);
      for (let n = this.next; n <= end; n++) this.seen[n % SEQUENCE_WINDOW] = 0;
      this.next = seq + 1;
    }
    this.seen[seq % SEQUENCE_WINDOW] = 1;
  }
}
