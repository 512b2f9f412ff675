import { Injectable } from '@nestjs/common';

/**
 * Whether this process is shutting down, and by when its work must be done. Readiness answers 503
 * from the moment `begin` is called, so load balancers and orchestrators stop sending work.
 */
@Injectable()
export class ShutdownState {
  private deadline: number | undefined;

  /** Marks the start of a shutdown that must finish its work within `graceMs`. */
  begin(graceMs: number): void {
    this.deadline ??= Date.now() + graceMs;
  }

  /** True once a shutdown began. */
  get draining(): boolean {
    return this.deadline !== undefined;
  }

  /** Milliseconds left of the grace period (`fallbackMs` when no shutdown began), never negative. */
  remainingMs(fallbackMs: number): number {
    return this.deadline === undefined ? fallbackMs : Math.max(0, this.deadline - Date.now());
  }
}
