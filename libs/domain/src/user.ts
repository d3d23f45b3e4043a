export type Role = 'runner' | 'coach' | 'both';

/** A coach, or a runner who also coaches (creating a team makes a runner "both"). */
export function isCoachRole(role: Role): boolean {
  return role !== 'runner';
}
export type DistanceUnit = 'km' | 'mi';

/**
 * Accounts made by "Connect with Strava" have no email address yet (Strava gives none). They get
 * a placeholder under the reserved top-level domain `.invalid` (RFC 2606, RFC 6761), which no
 * mailbox can have, so it never collides with a real address. Mail to it must not be sent.
 */
export function isPlaceholderEmail(email: string): boolean {
  return /\.invalid$/i.test(email.trim());
}
