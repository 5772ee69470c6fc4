/**
 * The password typed at sign-in, held until the signed-in shell derives the device store's key from it
 * (OfflineStatus.tsx), then dropped. Kept in this tiny module so that the sign-in page carries none of
 * the offline code.
 */
let held: { email: string; password: string } | null = null;

export const holdCredentials = (email: string, password: string) => {
  held = { email, password };
};

export function takeCredentials(): { email: string; password: string } | null {
  const value = held;
  held = null;
  return value;
}
