import { ValidationFailed } from '@ficus/platform';
import type { Email } from './value-objects/email.value-object.js';

export const CUSTOMER = 'customer';
export const ADMIN = 'admin';
export const NAME_MAX_LENGTH = 100;

export interface UserProps {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A user account. Every user is a customer; some are also admins. */
export class User {
  private constructor(private props: UserProps) {}

  static register(input: { id: string; email: Email; name: string; passwordHash: string; now: Date }): User {
    return new User({
      id: input.id,
      email: input.email.value,
      name: User.validName(input.name),
      passwordHash: input.passwordHash,
      roles: [CUSTOMER],
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(props: UserProps): User {
    return new User({ ...props });
  }

  private static validName(raw: string): string {
    const name = raw.trim();
    if (name.length < 1 || name.length > NAME_MAX_LENGTH) {
      throw new ValidationFailed([{ field: 'name', message: `name must be 1 to ${NAME_MAX_LENGTH} characters long` }]);
    }
    return name;
  }

  rename(name: string, now: Date): void {
    this.props.name = User.validName(name);
    this.props.updatedAt = now;
  }

  grantAdmin(now: Date): boolean {
    if (this.props.roles.includes(ADMIN)) return false;
    this.props.roles = [...this.props.roles, ADMIN];
    this.props.updatedAt = now;
    return true;
  }

  get id() {
    return this.props.id;
  }
  get email() {
    return this.props.email;
  }
  get passwordHash() {
    return this.props.passwordHash;
  }
  get roles() {
    return [...this.props.roles];
  }

  snapshot(): Readonly<UserProps> {
    return { ...this.props, roles: [...this.props.roles] };
  }
}
