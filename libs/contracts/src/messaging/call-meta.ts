/** Who makes a contract call: the signed-in user the facade verified, or null for anonymous calls. */
export interface Actor {
  /** The user's id (the JWT `sub`). */
  userId: string;
  /** The user's roles, e.g. `["customer"]` or `["customer","admin"]`. */
  roles: string[];
}

/**
 * Context that travels with every contract call. It is explicit (not ambient) because request-scoped
 * state does not survive a hop over Redis.
 */
export interface CallMeta {
  /** The request's correlation id (`X-Request-Id`), echoed in every log line of every process. */
  correlationId: string;
  /** The caller, or null when anonymous. */
  actor: Actor | null;
  /** W3C `traceparent` of the incoming request, when the client sent one. */
  traceparent?: string;
  /** Epoch milliseconds after which the caller has given up; a server drops requests past it. */
  deadline?: number;
}

/** The packet every `@MessagePattern` handler receives: call metadata plus the request data. */
export interface ContractMessage<T> {
  /** Call metadata. */
  meta: CallMeta;
  /** The request body, plain JSON. */
  data: T;
}
