/**
 * `read` remembering its last text and answer: for texts read by the thousand where runs repeat (the
 * LastModified of a listing page's objects, of an inventory report's rows: objects written together share one).
 */
export function rememberLast<T>(read: (text: string | undefined) => T): (text: string | undefined) => T {
  let primed = false;
  let last: string | undefined;
  let answer!: T;
  return (text) => {
    if (!primed || text !== last) {
      primed = true;
      last = text;
      answer = read(text);
    }
    return answer;
  };
}
