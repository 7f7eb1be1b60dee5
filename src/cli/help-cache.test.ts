// When the start-up fast path may print a cached `--help` text, and when yargs must render it.
import { describe, expect, it } from 'vitest';
import { cachedHelp, helpKey, readHelpCache, yargsSpeaksEnglish, type HelpCache } from './help-cache.js';

const cache: HelpCache = { version: '1.2.3', width: 100, texts: { '': 'top\n', rewrite: 'rewrite\n' } };
const pipe = { version: '1.2.3', columns: undefined, env: { LANG: 'C.UTF-8' } };

describe('the --help cache', () => {
  it.each([
    [['--help'], ''],
    [['rewrite', '--help'], 'rewrite'],
    [['--help', 'rewrite'], undefined],
    [['-h'], undefined],
    [['rewrite', '--help', '--verbose'], undefined],
    [['rewrite', '--help=true'], undefined],
    [['--version', '--help'], undefined],
    [[], undefined],
  ])('%j has the key %j', (argv, key) => {
    expect(helpKey(argv)).toBe(key);
  });

  it('prints the text for exactly `--help` and `<command> --help` into a pipe', () => {
    expect(cachedHelp(['--help'], cache, pipe)).toBe('top\n');
    expect(cachedHelp(['rewrite', '--help'], cache, pipe)).toBe('rewrite\n');
    expect(cachedHelp(['nope', '--help'], cache, pipe)).toBeUndefined();
    expect(cachedHelp(['constructor', '--help'], cache, pipe)).toBeUndefined();
  });

  it('leaves it to yargs for another version, no cache, another width or another language', () => {
    expect(cachedHelp(['--help'], undefined, pipe)).toBeUndefined();
    expect(cachedHelp(['--help'], cache, { ...pipe, version: '1.2.4' })).toBeUndefined();
    expect(cachedHelp(['--help'], cache, { ...pipe, version: undefined })).toBeUndefined();
    expect(cachedHelp(['--help'], cache, { ...pipe, columns: 80 })).toBeUndefined();
    expect(cachedHelp(['--help'], cache, { ...pipe, columns: 140 })).toBeUndefined();
    expect(cachedHelp(['--help'], cache, { ...pipe, columns: 100 })).toBe('top\n'); // a terminal 100 wide
    expect(cachedHelp(['--help'], cache, { ...pipe, env: { LANG: 'de_DE.UTF-8' } })).toBeUndefined();
  });

  it('reads the language the way yargs does', () => {
    expect(yargsSpeaksEnglish({})).toBe(true);
    expect(yargsSpeaksEnglish({ LANG: 'en_GB.UTF-8' })).toBe(true);
    expect(yargsSpeaksEnglish({ LANG: 'POSIX' })).toBe(true);
    expect(yargsSpeaksEnglish({ LANG: 'fr_FR.UTF-8' })).toBe(false);
    expect(yargsSpeaksEnglish({ LANG: 'fr_FR.UTF-8', LC_ALL: 'C' })).toBe(true);
    expect(yargsSpeaksEnglish({ LANG: 'C', LC_MESSAGES: 'ja_JP' })).toBe(false);
    expect(yargsSpeaksEnglish({ LANGUAGE: 'de' })).toBe(false);
    expect(yargsSpeaksEnglish({ LANG: 'en', LANGUAGE: 'de' })).toBe(true);
    expect(yargsSpeaksEnglish({ LANG: 'english' })).toBe(false);
  });

  it('is absent where none was built (src/ run directly)', () => {
    expect(readHelpCache(new URL('.', import.meta.url))).toBeUndefined();
  });
});
