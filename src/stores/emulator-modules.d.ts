// The little of the emulators' APIs the harness uses; neither package ships type declarations.
declare module 's3rver' {
  import type { Server } from 'node:http';
  interface S3rverOptions { address?: string; port?: number; silent?: boolean; directory?: string; resetOnClose?: boolean; configureBuckets?: { name: string }[] }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    httpServer: Server;
  }
}

declare module 'azurite/dist/src/blob/BlobConfiguration.js' {
  const BlobConfiguration: {
    default: new (
      host: string, port: number, keepAliveTimeout: number, metadataDBPath: string, extentDBPath: string, persistencePathArray: unknown,
      enableAccessLog: boolean, accessLogWriteStream: undefined, enableDebugLog: boolean, debugLogFilePath: undefined, loose: boolean,
      skipApiVersionCheck: boolean, cert: string, key: string, pwd: string, oauth: undefined, disableProductStyleUrl: boolean, isMemoryPersistence: boolean,
    ) => unknown;
  };
  export default BlobConfiguration;
}

declare module 'azurite/dist/src/blob/BlobServer.js' {
  import type { Server } from 'node:http';
  interface BlobServerInstance { start(): Promise<void>; close(): Promise<void>; clean(): Promise<void>; getHttpServerAddress(): string; httpServer: Server }
  const BlobServer: { default: new (config: unknown) => BlobServerInstance };
  export default BlobServer;
}
