import { isFatalForRun, StorageError } from './errors';
import type { ObjectStore } from './types';

/** How one side of a two-sided run names itself in the errors that stop it. */
export interface SideNaming {
  /** Put before the message, e.g. "second remote". */
  side: string;
  /** The hint to give instead of the store's own (e.g. which keys this side reads), or undefined to keep it. */
  hint?: (err: StorageError) => string | undefined;
}

/**
 * A store whose run-stopping errors (rejected keys, access denied, a missing bucket) say which side of
 * the run they came from and whose keys to check. A run over two places with keys of their own (an audit
 * of two accounts) otherwise says "rejected the credentials" without saying which keys. Other errors are
 * left as they are: the run marks them on the object, which already says its side.
 */
export function namingSide(store: ObjectStore, naming: SideNaming): ObjectStore {
  const prefix = `${naming.side}: `;
  const named = (err: unknown): unknown =>
    isFatalForRun(err) && !err.message.startsWith(prefix)
      ? new StorageError(err.kind, prefix + err.message, naming.hint?.(err) ?? err.hint, err.code, err.requestId, err.status)
      : err;
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          throw named(err);
        }
        return result instanceof Promise
          ? result.catch((err: unknown) => {
              throw named(err);
            })
          : result;
      };
    },
  });
}
