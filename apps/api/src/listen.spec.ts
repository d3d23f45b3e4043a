import { listeningLine, localUrl } from './listen';

describe('the api start-up line', () => {
  it('names the URL to open on this machine, and PUBLIC_URL when links lead elsewhere', () => {
    expect(listeningLine({ PORT: 3000, PUBLIC_URL: 'http://localhost:3000' })).toBe(
      'Deload api listening on http://localhost:3000 (every interface)',
    );
    expect(listeningLine({ PORT: 3000, LISTEN_HOST: '127.0.0.1', PUBLIC_URL: 'https://deload.example.org' })).toBe(
      'Deload api listening on http://127.0.0.1:3000; links in emails use PUBLIC_URL https://deload.example.org',
    );
    expect(localUrl({ PORT: 8080, LISTEN_HOST: '::1' })).toBe('http://[::1]:8080');
    expect(localUrl({ PORT: 8080, LISTEN_HOST: '0.0.0.0' })).toBe('http://localhost:8080');
  });
});
