/**
 * A repository whose every method is a `jest.fn()`, for unit tests of a service's branching
 * without PostgreSQL (immich's `newTestService` idea): construct the service with stubs, script
 * the answers it should see (`runs.inWindow.mockResolvedValue([...])`), assert what it decides.
 */
export function stubRepository<T extends object>(type: abstract new (...args: never[]) => T): jest.Mocked<T> {
  const stub: Record<string, jest.Mock> = {};
  for (let proto = type.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const member = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (name !== 'constructor' && typeof member === 'function' && !(name in stub)) stub[name] = jest.fn();
    }
  }
  return stub as unknown as jest.Mocked<T>;
}
