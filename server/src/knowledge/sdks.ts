/**
 * Cloud and API SDKs: clients whose calls go to another system.
 */
import type { IoFacet, LibraryRecord } from './types';

/** AWS SDK v3: every `@aws-sdk/client-*` package shares the client/command API. */
const AWS_IO: IoFacet = {
  kind: 'sdk',
  factories: ['*'],
  local: ['middlewareStack', 'destroy', 'config'],
  promise: { returns: 'promise' },
  // client.send(new GetObjectCommand(…)) only reads
  readCommandPrefixes: ['Get', 'List', 'Describe', 'Head', 'Query', 'Scan', 'BatchGet'],
};

export const SDKS: readonly LibraryRecord[] = [
  { id: 'aws-sdk', label: 'AWS SDK', modules: ['@aws-sdk/*'], roles: ['sdk'], io: AWS_IO },
  {
    id: 'aws-sqs',
    label: 'AWS SDK (SQS)',
    modules: ['@aws-sdk/client-sqs'],
    roles: ['sdk', 'queue'],
    signal: { dependency: 'service' },
    // ReceiveMessage's MaxNumberOfMessages is 1–10
    io: { ...AWS_IO, receiveBatch: { types: ['Message'], max: 10 } },
    note: 'A member of the @aws-sdk family, listed on its own because a queue consumer marks a service.',
  },
  {
    id: 'openai',
    label: 'OpenAI',
    modules: ['openai'],
    roles: ['sdk', 'ai'],
    io: { kind: 'sdk', factories: ['default', 'OpenAI'], promise: { returns: 'promise' } },
  },
];
