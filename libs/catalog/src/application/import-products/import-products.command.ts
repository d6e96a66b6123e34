import { Command } from '@nestjs/cqrs';
import type { CallMeta, ImportProductsRequest, ImportProductsResult } from '@ficus/contracts';

export class ImportProductsCommand extends Command<ImportProductsResult> {
  constructor(
    readonly data: ImportProductsRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
