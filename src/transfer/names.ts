// Names and markers of the databases a run creates on the DR server: owned by src/names/run-names.ts.
export { parseRestoredComment, previousDatabase, previousPrefix, restoredComment, stagingDatabase } from '../names/run-names.js';
