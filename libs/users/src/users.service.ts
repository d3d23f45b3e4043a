import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { invalid, notFound, Role } from '@deload/domain';
import { NewUserDefaults, UserEntity, UsersRepository } from '@deload/persistence';

const emailSchema = z.email();

/** Lower-cased, trimmed, validated email; a DomainError('invalid') when it is not one. */
export function normaliseEmail(raw: string): string {
  const email = String(raw ?? '')
    .trim()
    .toLowerCase();
  if (!emailSchema.safeParse(email).success) throw invalid(`"${raw}" is not an email address`);
  return email;
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async byId(id: string): Promise<UserEntity> {
    const user = await this.users.byId(id);
    if (!user) throw notFound('no such user');
    return user;
  }

  /** Users by id, keyed by id; every id must exist (memberships and teams reference users). */
  async byIds(ids: readonly string[]): Promise<Map<string, UserEntity>> {
    const unique = [...new Set(ids)];
    const users = await this.users.byIds(unique);
    if (users.length !== unique.length) throw notFound('no such user');
    return new Map(users.map((user) => [user.id, user]));
  }

  async byEmail(email: string): Promise<UserEntity | null> {
    return this.users.byEmail(normaliseEmail(email));
  }

  /** Finds the user or creates them; safe when two requests race for the same email. */
  async findOrCreate(email: string, defaults: NewUserDefaults = {}): Promise<UserEntity> {
    return this.users.findOrCreate(normaliseEmail(email), defaults);
  }

  /**
   * Makes an existing account an operator (`deload admin grant`) or takes that away (`revoke`).
   * Only the command line does this: no route can, so no signed-in user can make themselves one.
   */
  async setAdmin(email: string, isAdmin: boolean): Promise<UserEntity> {
    const user = await this.byEmail(email);
    if (!user) throw notFound(`no account has the address ${normaliseEmail(email)}: sign in with it once first`);
    if (user.isAdmin !== isAdmin) await this.users.update(user.id, { isAdmin });
    user.isAdmin = isAdmin;
    return user;
  }

  admins(): Promise<UserEntity[]> {
    return this.users.admins();
  }

  /** Adds a role without taking one away: a runner who creates a team becomes "both". */
  async grantRole(user: UserEntity, role: Exclude<Role, 'both'>): Promise<UserEntity> {
    if (user.role === role || user.role === 'both') return user;
    return this.users.setRole(user, 'both');
  }
}
