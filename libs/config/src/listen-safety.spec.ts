import { isLoopbackHost, listenProblem } from './listen-safety';

describe('listenProblem', () => {
  it('refuses the public development key on any interface but loopback, and says how to fix it', () => {
    for (const LISTEN_HOST of [undefined, '0.0.0.0', '::', '192.168.1.20', 'deload.example']) {
      const problem = listenProblem({ usingDevelopmentSecretKey: true, LISTEN_HOST });
      expect(problem).toMatch(/^SECRET_KEY is the public development key/);
      expect(problem).toContain('LISTEN_HOST=127.0.0.1');
    }
    for (const LISTEN_HOST of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(listenProblem({ usingDevelopmentSecretKey: true, LISTEN_HOST })).toBeUndefined();
    }
  });

  it('lets a real key listen anywhere', () => {
    expect(listenProblem({ usingDevelopmentSecretKey: false, LISTEN_HOST: undefined })).toBeUndefined();
    expect(listenProblem({ usingDevelopmentSecretKey: false, LISTEN_HOST: '0.0.0.0' })).toBeUndefined();
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.10.0.1')).toBe(true);
    expect(isLoopbackHost('127.example')).toBe(false);
    expect(isLoopbackHost('::ffff:10.0.0.1')).toBe(false);
  });
});
