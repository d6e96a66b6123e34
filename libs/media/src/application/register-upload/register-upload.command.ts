import type { CallMeta, RegisterUploadRequest } from '@ficus/contracts';

export class RegisterUploadCommand {
  constructor(
    readonly data: RegisterUploadRequest,
    readonly meta: CallMeta,
  ) {}
}
