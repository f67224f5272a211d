/** Values the global setups hand to test files through `inject()`. */
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local started for the project (test/support/dynamodb-global-setup.ts). */
    ddbEndpoint: string;
    /** Folder where the e2e test servers record the statuses they answer (test/support/documented-statuses-global-setup.ts). */
    statusLogDir?: string;
  }
}
