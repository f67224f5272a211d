/** Who a quote may name besides its author. Pure. */

/** A quote is written for a client of its author, in the author's territory. */
export const isAuthorsClient = (
  client: { readonly etd: string; readonly entrepreneurId: string },
  author: { readonly etd: string; readonly entrepreneurId: string },
): boolean => client.etd === author.etd && client.entrepreneurId === author.entrepreneurId;

/** A partner company performs works only in the departments it works in (a territory is a department). */
export const worksIn = (partner: { readonly departments: readonly string[] }, etd: string): boolean => partner.departments.includes(etd);
