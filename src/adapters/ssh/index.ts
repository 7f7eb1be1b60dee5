// The SSH adapter (ssh2): verified connections, remote commands as an Executor, streaming uploads, channels to hosts behind it.
export { connectSsh, type ConnectOptions } from './connect.js';
export { SshConnection } from './connection.js';
export type { Upload, UploadOptions, UploadResult } from './upload.js';
export { REMOTE_SHA256, uploadCommands } from './upload.js';
export { ChannelSocket } from './channel-socket.js';
export { remoteInvocation, type RemoteInvocation } from './remote-line.js';
export { fingerprintOf, knownHostsLine, parseKnownHosts, checkKnownHost } from './host-key.js';
