import { DomainError } from '@ficus/platform';

/** No such asset, or (for its bytes) not READY yet: clients cannot tell a pending asset's files from none. */
export class MediaNotFound extends DomainError {
  readonly code = 'MEDIA_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(detail = 'No such media asset.') {
    super(detail);
  }
}

/** The key names no blob: the caller registered before (or without) streaming the upload. */
export class UploadNotFound extends DomainError {
  readonly code = 'UPLOAD_NOT_FOUND';
  readonly kind = 'invalid' as const;
  constructor() {
    super('Nothing was uploaded under this key.');
  }
}

/** An upload becomes one asset only: a second registration of its key is refused. */
export class UploadAlreadyRegistered extends DomainError {
  readonly code = 'UPLOAD_ALREADY_REGISTERED';
  readonly kind = 'conflict' as const;
  constructor() {
    super('This upload is already registered as an asset.');
  }
}

/** The bytes are no JPEG, PNG or WebP (decided by their magic numbers, not by any name). */
export class UploadNotAnImage extends DomainError {
  readonly code = 'UPLOAD_NOT_AN_IMAGE';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The upload is not a JPEG, PNG or WebP image.');
  }
}

/** The upload is over the size limit (the facade refuses these while streaming; this is media's own check). */
export class UploadTooLarge extends DomainError {
  readonly code = 'UPLOAD_TOO_LARGE';
  readonly kind = 'invalid' as const;
  constructor(maxBytes: number) {
    super(`The upload is larger than ${maxBytes} bytes.`);
  }
}
