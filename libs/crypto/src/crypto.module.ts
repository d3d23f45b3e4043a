import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { deriveKey } from './keys';
import { LinkSigner } from './link-signer';
import { TokenCipher } from './token-cipher';

/** Injectable TokenCipher and LinkSigner keyed from SECRET_KEY. */
@Global()
@Module({
  providers: [
    {
      provide: TokenCipher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new TokenCipher(deriveKey(config.env.SECRET_KEY, 'token-encryption')),
    },
    {
      provide: LinkSigner,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LinkSigner(deriveKey(config.env.SECRET_KEY, 'link-signing')),
    },
  ],
  exports: [TokenCipher, LinkSigner],
})
export class CryptoModule {}
