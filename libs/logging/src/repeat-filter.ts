/** While a dependency is down the same warning comes on every retry: say each once per `everyMs`. */
export class RepeatFilter {
  private readonly lastSaid = new Map<string, number>();

  constructor(private readonly everyMs = 30_000) {}

  /** True when a message with this key was not said within the last `everyMs`. */
  shouldSay(key: string, now = Date.now()): boolean {
    if (now - (this.lastSaid.get(key) ?? -Infinity) < this.everyMs) return false;
    if (this.lastSaid.size > 1_000) this.lastSaid.clear();
    this.lastSaid.set(key, now);
    return true;
  }
}
