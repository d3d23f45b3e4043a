import { Logger } from '@nestjs/common';
import { DEFAULT_THRESHOLDS, parseThresholds, type Thresholds } from '@deload/rules';

const logger = new Logger('Dashboard');

/** Parsed thresholds by their stored JSON (most runners share a few): the team page parses hundreds per view. */
const parsed = new Map<string, Thresholds>();
const PARSED_KEPT = 1_000;

/**
 * The runner's validated thresholds; stored overrides were validated on save, so a failure here is
 * logged, not shown. The result may be shared between runners: read it, do not change it.
 */
export function thresholdsOf(user: { id: string; ruleThresholds: Record<string, unknown> }): Thresholds {
  const key = JSON.stringify(user.ruleThresholds ?? {});
  const known = parsed.get(key);
  if (known) return known;
  try {
    const thresholds = parseThresholds(user.ruleThresholds);
    if (parsed.size >= PARSED_KEPT) parsed.clear();
    parsed.set(key, thresholds);
    return thresholds;
  } catch (error) {
    logger.warn(`user ${user.id}: stored thresholds no longer valid, using defaults (${(error as Error).message})`);
    return DEFAULT_THRESHOLDS;
  }
}
