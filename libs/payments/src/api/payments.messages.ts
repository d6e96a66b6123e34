import { IsEmpty, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  type ChargeRequest,
  CURRENCY_PATTERN,
  type GetPaymentRequest,
  PaymentsLimits as L,
  type RefundRequest,
} from '@ficus/contracts';

// Payments checks each contract payload again at its own edge: ordering is its caller today, but any
// process may call it once it is extracted.

/** A pattern without arguments still refuses unknown fields (class-validator needs one known property). */
export class NoArgumentsMessage {
  @IsOptional() @IsEmpty() readonly none?: never;
}

export class ChargeMessage implements ChargeRequest {
  @IsUUID() orderId: string;
  @IsUUID() userId: string;
  @IsInt() @Min(0) @Max(L.maxAmountCents) amountCents: number;
  @IsString() @Matches(CURRENCY_PATTERN) currency: string;
  @IsString() @MinLength(1) @MaxLength(L.paymentTokenMaxLength) paymentToken: string;
  @IsString() @MinLength(1) @MaxLength(L.idempotencyKeyMaxLength) idempotencyKey: string;
}

export class RefundMessage implements RefundRequest {
  @IsUUID() orderId: string;
  @IsString() @MinLength(1) @MaxLength(L.idempotencyKeyMaxLength) idempotencyKey: string;
}

export class GetPaymentMessage implements GetPaymentRequest {
  @IsUUID() orderId: string;
}
