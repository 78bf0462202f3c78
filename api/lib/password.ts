// Argon2id via @node-rs/argon2 (maintained, prebuilt, no native build step).
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string) => hash(password);

// Verified against when the email is unknown, so a wrong email and a wrong password take the same
// time and answer alike.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string) {
  dummyHash ??= hash('not-a-real-password');
  const target = passwordHash ?? (await dummyHash);
  const ok = await verify(target, password).catch(() => false);
  return ok && passwordHash !== undefined;
}
