import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ConditionalRead, UserView } from '@ficus/contracts';
import { UserNotFound } from '../../domain/user.errors.js';
import { IdentityReadModels } from '../../infrastructure/cache/identity-read-models.js';
import { GetUserConditionalQuery } from './get-user-conditional.query.js';

/** The user view with its version; only the version when the caller already holds it. */
@QueryHandler(GetUserConditionalQuery)
export class GetUserConditionalHandler implements IQueryHandler<GetUserConditionalQuery> {
  constructor(private readonly readModels: IdentityReadModels) {}

  async execute({ data }: GetUserConditionalQuery): Promise<ConditionalRead<UserView>> {
    const found = await this.readModels.user(data.userId);
    if (!found) throw new UserNotFound();
    const notModified = data.ifNoneMatch?.includes(found.version) ?? false;
    const read = { version: found.version, value: notModified ? null : found.view };
    // Frozen like the cached view it carries (the in-process transport passes frozen results without a
    // copy); a view read while the cache is bypassed is not in wire form, so then neither is this.
    return Object.isFrozen(found.view) ? Object.freeze(read) : read;
  }
}
