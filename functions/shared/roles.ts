/** Roles are Cognito groups in the cloud and the `--role` of a local token. */
export const roles = ['operator', 'manager', 'entrepreneur', 'partner'] as const;
export type Role = (typeof roles)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (roles as readonly string[]).includes(value);
