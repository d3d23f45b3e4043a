import { Logger } from '@nestjs/common';
import { DEFAULT_THRESHOLDS, parseThresholds, type Thresholds } from '@deload/rules';

const logger = new Logger('Dashboard');

/** The runner's validated thresholds; stored overrides were validated on save, so a failure here is logged, not shown. */
export function thresholdsOf(user: { id: string; ruleThresholds: Record<string, unknown> }): Thresholds {
  try {
    return parseThresholds(user.ruleThresholds);
  } catch (error) {
    logger.warn(`user ${user.id}: stored thresholds no longer valid, using defaults (${(error as Error).message})`);
    return DEFAULT_THRESHOLDS;
  }
}
