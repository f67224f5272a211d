/**
 * DynamoDB access of the onboarding context (table `directory`, see functions/tables.ts).
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 * ETD                                     ETD#<code>                  #ETD            ETDS / <code>
 * entrepreneur                            ENT#<id>                    #ENT            ETD#<etd>#ENT / <state>#<createdAt>#<id>     PUBLIC#ENT / <etd>#<createdAt>#<id> (only while listed)
 * e-mail guard (unique per ETD)           ETD#<etd>#EMAIL#<sha256>    #UNIQUE
 * client                                  CLI#<id>                    #CLI            ETD#<etd>#CLI / <createdAt>#<id>             ETD#<etd>#ENT#<entrepreneurId>#CLI / <createdAt>#<id>
 * partner                                 PAR#<id>                    #PAR                                                         PARTNERS / <createdAt>#<id>
 * partner, one per department covered     PAR#<id>                    DEPT#<code>     DEPT#<code>#PAR / <createdAt>#<id>
 * SIRET guard (unique partner)            SIRET#<siret>               #UNIQUE
 * history of any entity                   <entity pk>                 HIST#<version>
 *
 * Access patterns (all Get or Query, never Scan):
 * - an ETD by code: Get; all ETDs: Query gsi1 ETDS
 * - an entrepreneur / client / partner by id: Get
 * - entrepreneurs of an ETD, optionally by state: Query gsi1 ETD#<etd>#ENT (begins_with <state>#)
 * - publicly listed entrepreneurs, optionally of an ETD: Query gsi2 PUBLIC#ENT (begins_with <etd>#)
 * - clients of an ETD / of an entrepreneur: Query gsi1 / gsi2
 * - partners of a department: Query gsi1 DEPT#<code>#PAR; all partners: Query gsi2 PARTNERS
 * - history of an entity: Query pk, begins_with HIST#
 * Every write is one transaction holding the entity, its guards and its history entry.
 */
import { createHash } from 'node:crypto';
import { itemStore } from '../shared/store.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('directory');
export { fromItem, type Page, type PageRequest } from '../shared/store.ts';

export const keys = {
  etd: (code: string) => ({ pk: `ETD#${code}`, sk: '#ETD' }),
  entrepreneur: (id: string) => ({ pk: `ENT#${id}`, sk: '#ENT' }),
  client: (id: string) => ({ pk: `CLI#${id}`, sk: '#CLI' }),
  partner: (id: string) => ({ pk: `PAR#${id}`, sk: '#PAR' }),
  partnerDepartment: (id: string, code: string) => ({ pk: `PAR#${id}`, sk: `DEPT#${code}` }),
  emailGuard: (etd: string, email: string) => ({ pk: `ETD#${etd}#EMAIL#${sha256(email)}`, sk: '#UNIQUE' }),
  siretGuard: (siret: string) => ({ pk: `SIRET#${siret}`, sk: '#UNIQUE' }),
};

export const partitions = {
  etds: 'ETDS',
  entrepreneursOfEtd: (etd: string) => `ETD#${etd}#ENT`,
  publicEntrepreneurs: 'PUBLIC#ENT',
  clientsOfEtd: (etd: string) => `ETD#${etd}#CLI`,
  clientsOfEntrepreneur: (etd: string, id: string) => `ETD#${etd}#ENT#${id}#CLI`,
  partnersOfDepartment: (code: string) => `DEPT#${code}#PAR`,
  partners: 'PARTNERS',
};

function sha256(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex');
}
