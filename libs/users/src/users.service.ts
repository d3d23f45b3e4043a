import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { z } from 'zod';
import { invalid, notFound, Role } from '@deload/domain';
import { UserEntity } from '@deload/persistence';

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
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async byId(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound('no such user');
    return user;
  }

  /** Users by id, keyed by id; every id must exist (memberships and teams reference users). */
  async byIds(ids: readonly string[]): Promise<Map<string, UserEntity>> {
    const unique = [...new Set(ids)];
    const users = unique.length ? await this.users.findBy({ id: In(unique) }) : [];
    if (users.length !== unique.length) throw notFound('no such user');
    return new Map(users.map((user) => [user.id, user]));
  }

  async byEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: normaliseEmail(email) });
  }

  /** Finds the user or creates them; safe when two requests race for the same email. */
  async findOrCreate(
    email: string,
    defaults: Partial<Pick<UserEntity, 'role' | 'displayName' | 'timezone' | 'units'>> = {},
  ): Promise<UserEntity> {
    const normalised = normaliseEmail(email);
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ email: normalised, ...defaults })
      .orIgnore()
      .execute();
    return (await this.users.findOneBy({ email: normalised }))!;
  }

  /**
   * Makes an existing account an operator (`deload admin grant`) or takes that away (`revoke`).
   * Only the command line does this: no route can, so no signed-in user can make themselves one.
   */
  async setAdmin(email: string, isAdmin: boolean): Promise<UserEntity> {
    const user = await this.byEmail(email);
    if (!user) throw notFound(`no account has the address ${normaliseEmail(email)}: sign in with it once first`);
    if (user.isAdmin !== isAdmin) await this.users.update({ id: user.id }, { isAdmin });
    user.isAdmin = isAdmin;
    return user;
  }

  admins(): Promise<UserEntity[]> {
    return this.users.find({ where: { isAdmin: true }, order: { email: 'ASC' } });
  }

  /** Adds a role without taking one away: a runner who creates a team becomes "both". */
  async grantRole(user: UserEntity, role: Exclude<Role, 'both'>): Promise<UserEntity> {
    if (user.role === role || user.role === 'both') return user;
    user.role = 'both';
    return this.users.save(user);
  }
}
