// The commented example `hmsdr init` writes. A test proves it parses (given its env variables).
export const EXAMPLE_CONFIG = `# hmsdr configuration. Every key: hmsdr docs configuration
# Secrets are never written here: name an environment variable (passwordEnv) or a file (passwordFile).
version: 1
runsDir: ./runs                  # one directory per run: state.json, events.ndjson, reports

source:                          # production
  name: prod
  nameNode: hdfs://prodns        # the authority locations start with (HA nameservice or host:port)
  metastore:
    host: metastore-db.prod.example.com
    port: 5432
    database: hive
    user: hmsdr_reader
    passwordEnv: HMSDR_SOURCE_DB_PASSWORD
    sslmode: require
    via: local                   # pg_dump runs here (local) or on source.ssh (ssh)
  ssh:                           # optional: the source DB host / edge node
    host: edge.prod.example.com
    user: hmsdr
    keyFile: ~/.ssh/hmsdr_ed25519
    knownHostsFile: ~/.ssh/known_hosts
  hdfs:
    via: ssh                     # hdfs / hadoop commands run on source.ssh
    env: { HADOOP_CONF_DIR: /etc/hadoop/conf }

dr:                              # disaster-recovery site
  name: dr
  nameNode: hdfs://drns
  metastore:
    host: metastore-db.dr.example.com
    port: 5432
    database: hive
    user: hmsdr_admin            # needs CREATEDB (creates <db>_hmsdr_<run-id>, renames databases)
    passwordFile: /etc/hmsdr/dr-db.password
    owner: hive                  # role that owns the restored metastore
    via: ssh                     # psql runs on dr.ssh, next to the staged dump
  ssh:
    host: metastore-db.dr.example.com
    user: hmsdr
    keyFile: ~/.ssh/hmsdr_ed25519
    # hostKeyFingerprint: SHA256:...   # pin instead of known_hosts (ssh-keyscan host | ssh-keygen -lf -)
  hdfs:
    via: ssh
  stagingDir: /var/lib/hmsdr/staging
  serviceControl:
    type: ambari                 # ambari | cloudera-manager | command | none
    url: https://ambari.dr.example.com:8443
    cluster: dr
    services: [HIVE]
    user: admin
    passwordEnv: HMSDR_AMBARI_PASSWORD

rewrite:
  rules:                         # default: source.nameNode -> dr.nameNode
    - { from: hdfs://prodns, to: hdfs://drns }
    - { from: hdfs://nn1.prod.example.com:8020, to: hdfs://drns }
  parameterKeys: [avro.schema.url, path, metadata_location, previous_metadata_location, location]

data:
  paths:
    - source: /warehouse/tablespace/managed/hive
    - source: /warehouse/tablespace/external/hive
  maps: 20
  preserve: [blockSize]          # keep block size so checksums compare (docs/copy-engines.md)
  deletePolicy: delete           # or keep (DR keeps what the source deleted)
  # exclude: ["tmp(/.*)?", ".*\\.tmp"]   # java.util.regex, relative to each data root
  onDiffFailure: stop            # or full-copy

restore:
  strategy: staging-swap         # or drop-recreate (the seed procedure, after verification)
  terminateSessions: false

retention: { dumps: 3, previousDatabases: 2, snapshots: 3 }
`;
