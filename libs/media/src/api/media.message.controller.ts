import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { type ContractMessage, MediaPatterns } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { GetAssetQuery } from '../application/get-asset/get-asset.query.js';
import { GetVariantQuery } from '../application/get-variant/get-variant.query.js';
import { RegisterUploadCommand } from '../application/register-upload/register-upload.command.js';
import { GetAssetMessage, GetVariantMessage, RegisterUploadMessage } from './media.messages.js';

/** Media's contract: each message pattern becomes one command or query. Bytes never pass here, only keys. */
@Controller()
export class MediaMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(MediaPatterns.registerUpload)
  registerUpload(@ContractPayload(RegisterUploadMessage) { data, meta }: ContractMessage<RegisterUploadMessage>) {
    return this.commands.execute(new RegisterUploadCommand(data, meta));
  }

  @MessagePattern(MediaPatterns.getAsset)
  getAsset(@ContractPayload(GetAssetMessage) { data, meta }: ContractMessage<GetAssetMessage>) {
    return this.queries.execute(new GetAssetQuery(data, meta));
  }

  @MessagePattern(MediaPatterns.getVariant)
  getVariant(@ContractPayload(GetVariantMessage) { data, meta }: ContractMessage<GetVariantMessage>) {
    return this.queries.execute(new GetVariantQuery(data, meta));
  }
}
