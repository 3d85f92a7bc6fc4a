/** Who a user is and whom they want to meet: the inputs of matchmaking. */
export const GENDERS = ['m', 'f'] as const;
export type Gender = (typeof GENDERS)[number];

export const WANTS = ['m', 'f', 'any'] as const;
export type Wants = (typeof WANTS)[number];

export interface Profile {
  readonly gender: Gender | null;
  readonly wants: Wants;
}

export const DEFAULT_PROFILE = { gender: null, wants: 'any' } as const satisfies Profile;

export function isGender(value: unknown): value is Gender {
  return typeof value === 'string' && (GENDERS as readonly string[]).includes(value);
}

export function isWants(value: unknown): value is Wants {
  return typeof value === 'string' && (WANTS as readonly string[]).includes(value);
}
