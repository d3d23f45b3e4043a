import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

describe('AppConfig', () => {
  it('joins PUBLIC_URL with a path whether or not it ends in a slash', () => {
    expect(new AppConfig(loadConfig({ SECRET_KEY: 'k'.repeat(40), PUBLIC_URL: 'https://deload.example/app' })).publicUrl('runners/1')).toBe(
      'https://deload.example/app/runners/1',
    );
    expect(new AppConfig(loadConfig({ SECRET_KEY: 'k'.repeat(40), PUBLIC_URL: 'https://deload.example/' })).publicUrl('/x')).toBe(
      'https://deload.example/x',
    );
  });

  it('turns MAX_UPLOAD_MB into bytes', () => {
    expect(new AppConfig(loadConfig({ SECRET_KEY: 'k'.repeat(40), MAX_UPLOAD_MB: '2' })).maxUploadBytes).toBe(2 * 1024 * 1024);
  });
});
