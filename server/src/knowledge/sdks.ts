/**
 * Cloud and API SDKs: clients whose calls go to another system.
 */
import type { ClientDeadlinesFacet, IoFacet, LibraryRecord } from './types';

/** AWS SDK v3: every `@aws-sdk/client-*` package shares the client/command API. */
const AWS_IO: IoFacet = {
  kind: 'sdk',
  factories: ['*'],
  local: ['middlewareStack', 'destroy', 'config'],
  promise: { returns: 'promise' },
  // client.send(new GetObjectCommand(…)) only reads
  readCommandPrefixes: ['Get', 'List', 'Describe', 'Head', 'Query', 'Scan', 'BatchGet'],
};

/**
 * AWS SDK v3 clients (`new S3Client({…})`): the Node request handler's requestTimeout and
 * connectionTimeout default to 0 (no deadline). Set through `requestHandler: new NodeHttpHandler({…})`
 * or, from 3.521.0, the shorthand `requestHandler: { requestTimeout, connectionTimeout }`.
 */
const AWS_DEADLINES: ClientDeadlinesFacet = {
  factories: [{
    path: ['*Client'], call: 'new', options: 0, maxArgs: 1,
    deadlineOptions: ['requestHandler.requestTimeout', 'requestHandler.connectionTimeout', 'requestHandler.socketTimeout'],
    // the fix bounds the connect phase only: a whole-request deadline would cut long invocations
    // (Lambda RequestResponse) and streamed bodies (S3 GetObject)
    write: [{ option: 'requestHandler', inner: ['connectionTimeout'] }],
    label: 'requestHandler.connectionTimeout/requestTimeout',
    fixNeeds: 'bounds the connection only: set requestTimeout above the longest call; the shorthand needs AWS SDK 3.521.0 or later',
  }],
  withoutDeadline: 'its request handler has no connection or request timeout by default (0)',
};

export const SDKS: readonly LibraryRecord[] = [
  { id: 'aws-sdk', label: 'AWS SDK', modules: ['@aws-sdk/*'], roles: ['sdk'], io: AWS_IO, clientDeadlines: AWS_DEADLINES },
  {
    id: 'aws-sqs',
    label: 'AWS SDK (SQS)',
    modules: ['@aws-sdk/client-sqs'],
    roles: ['sdk', 'queue'],
    signal: { dependency: 'service' },
    // ReceiveMessage's MaxNumberOfMessages is 1–10
    io: { ...AWS_IO, receiveBatch: { types: ['Message'], max: 10 } },
    clientDeadlines: AWS_DEADLINES,
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
