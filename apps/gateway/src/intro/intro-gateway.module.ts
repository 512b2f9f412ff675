import { Module } from '@nestjs/common';
import { IntroService } from './intro.service';
import { IntroUpdate } from './intro.update';

/** Kraken introducing itself: /start, /help and the reactions to its own membership (my_chat_member). */
@Module({ providers: [IntroService, IntroUpdate] })
export class IntroGatewayModule {}
