/** Render an asset's variants; `finalAttempt`: no retry follows, so a failure settles the asset FAILED. */
export class ProcessAssetCommand {
  constructor(
    readonly assetId: string,
    readonly finalAttempt: boolean,
  ) {}
}
