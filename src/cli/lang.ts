import { type L10nBundle, useTranslations } from '../util/l10n';
import zhCn from '../../l10n/bundle.l10n.zh-cn.json';

/**
 * The CLI's language: `--lang <tag>` first, then the POSIX order `LC_ALL`, `LC_MESSAGES`, `LANG`
 * (`zh_CN.UTF-8`, `zh_TW`, `zh` → Simplified Chinese, the one translation shipped; anything else →
 * English). Under `--json` the run stays in English whatever the locale: machine output keeps stable,
 * language-neutral text.
 */

export type CliLanguage = 'en' | 'zh-cn';

const BUNDLES: Record<Exclude<CliLanguage, 'en'>, L10nBundle> = { 'zh-cn': zhCn as L10nBundle };

/** `zh_CN.UTF-8`, `zh-CN`, `zh_SG`, `zh` → 'zh-cn'; `C`, `POSIX`, `en_US.UTF-8`, '' → 'en'. */
export function languageOfTag(tag: string | undefined): CliLanguage {
  return /^zh(?:[-_]|\.|@|$)/i.test((tag ?? '').trim()) ? 'zh-cn' : 'en';
}

/** The first of LC_ALL, LC_MESSAGES, LANG that is set and not empty decides, as POSIX says. */
export function languageOfEnv(env: NodeJS.ProcessEnv): CliLanguage {
  const tag = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return languageOfTag(tag);
}

/**
 * Takes `--lang <tag>` / `--lang=<tag>` out of the arguments (anywhere before `--`) and picks the
 * language of this run. A missing tag after `--lang` is left in place for the parser to report.
 */
export function takeLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): { argv: string[]; language: CliLanguage } {
  const rest: string[] = [];
  let tag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--lang=')) tag = a.slice('--lang='.length);
    else if (a === '--lang' && i + 1 < argv.length) tag = argv[++i];
    else rest.push(a);
  }
  const json = rest.includes('--json');
  const language = json ? 'en' : tag !== undefined ? languageOfTag(tag) : languageOfEnv(env);
  return { argv: rest, language };
}

/** Makes `l10n.t` speak `language` for the rest of the run. */
export function useLanguage(language: CliLanguage): void {
  useTranslations(language === 'en' ? undefined : BUNDLES[language]);
}
