// The hardening checks, in the order they run. S1: the user the server runs as, the read-only root filesystem and its writable /tmp, read-only
// models, no capabilities or privilege gain, and the object-store case. The one server survey they
// share is in common.ts.
import imageUser from './image-user.js';
import defaultUid from './default-uid.js';
import overrideUid from './override-uid.js';
import readOnlyRootfs from './read-only-rootfs.js';
import tmpWritable from './tmp-writable.js';
import startsReadOnly from './starts-read-only.js';
import modelsReadOnly from './models-read-only.js';
import noCapabilities from './no-capabilities.js';
import noNewPrivileges from './no-new-privileges.js';
import privileged from './privileged.js';
import runtimeSocket from './runtime-socket.js';
import apiKeySecrecy from './api-key-secrecy.js';
import envSecrets from './env-secrets.js';
import cloudStorageTmp from './cloud-storage-tmp.js';

export const HARDENING = [imageUser, defaultUid, overrideUid, readOnlyRootfs, tmpWritable, startsReadOnly, modelsReadOnly, noCapabilities, noNewPrivileges, privileged, runtimeSocket, apiKeySecrecy, envSecrets, cloudStorageTmp] as const;
