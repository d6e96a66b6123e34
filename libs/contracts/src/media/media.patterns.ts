/** Message patterns media answers. Versioned: a breaking change is a new pattern beside the old one. */
export const MediaPatterns = {
  registerUpload: 'media.register-upload.v1',
  getAsset: 'media.get-asset.v1',
  getVariant: 'media.get-variant.v1',
} as const;
