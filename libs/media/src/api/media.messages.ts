import { IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  type GetAssetRequest,
  type GetVariantRequest,
  MEDIA_UPLOAD_KEY_PATTERN,
  MEDIA_VARIANTS,
  type MediaVariantName,
  type RegisterUploadRequest,
} from '@ficus/contracts';

// Media checks each contract payload again at its own edge: the facade is its caller today, but any
// process may call it once it is extracted.

export class RegisterUploadMessage implements RegisterUploadRequest {
  @IsString() @MaxLength(100) @Matches(MEDIA_UPLOAD_KEY_PATTERN) uploadKey: string;
}

export class GetAssetMessage implements GetAssetRequest {
  @IsUUID() mediaId: string;
}

export class GetVariantMessage implements GetVariantRequest {
  @IsUUID() mediaId: string;
  @IsIn(MEDIA_VARIANTS) variant: MediaVariantName;
}
