import { localPath } from './local-path';

describe('localPath', () => {
  it.each([
    ['/runners/42?tab=pain', '/runners/42?tab=pain'],
    ['/join/abc#consent', '/join/abc#consent'],
    ['/', '/'],
  ])('keeps a path on this site: %s', (next, expected) => {
    expect(localPath(next)).toBe(expected);
  });

  it.each([
    '/.//evil.example',
    '/./\\evil.example',
    '/a/..//evil.example',
    '/%2e//evil.example',
    '/\t/evil.example',
    '/\r\nSet-Cookie: x=1',
    '//evil.example/x',
    'https://evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
    'runners/1',
    undefined,
    42,
  ])('sends anything else home: %s', (next) => {
    expect(localPath(next)).toBe('/');
  });
});
