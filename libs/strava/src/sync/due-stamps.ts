import type { RedisClient } from '@deload/queue';

/**
 * Per-runner "last done at" stamps in Redis (epoch ms by StravaClock, so a simulation's clock moves
 * them too): the runners whose stamp is missing or not after `dueBefore`, 1,000 keys a round trip.
 */
export async function dueUserIds(
  redisClient: RedisClient,
  keyOf: (userId: string) => string,
  userIds: string[],
  dueBefore: number,
): Promise<string[]> {
  const due: string[] = [];
  for (let start = 0; start < userIds.length; start += 1000) {
    const batch = userIds.slice(start, start + 1000);
    const stamps = await redisClient.redis.mget(batch.map(keyOf));
    due.push(...batch.filter((_, i) => stamps[i] === null || Number(stamps[i]) <= dueBefore));
  }
  return due;
}
