import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ficus:public';

/** Marks a route (or controller) as callable without a token. A token that is sent is still verified. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
