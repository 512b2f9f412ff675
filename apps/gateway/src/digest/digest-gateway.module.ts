import { Module } from '@nestjs/common';
import { DigestUpdate } from './digest.update';

/** The gateway's part of the digest: `/digest` commands onto the `digest` queue (with the update's other jobs, UpdateJobsFlusher). */
@Module({
  providers: [DigestUpdate],
})
export class DigestGatewayModule {}
