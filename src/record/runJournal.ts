import type { RecordStatements } from './types';

const PAGE = 1000;

/**
 * The record's journal of resumable runs: a run's state (where it is, its counts) and what it found, kept
 * so a stopped run continues and a finished one can still be reported. Each feature reads it through its
 * own typed view (`verifyJournal`, the inventory's import journal), so the entry types are written once.
 */
export class RunJournal<State, Issue> {
  constructor(private readonly db: RecordStatements) {}

  state(id: string): State | undefined {
    const [row] = this.db.rows('SELECT state FROM runs WHERE id = ?', [id]);
    return row ? (JSON.parse(String(row.state)) as State) : undefined;
  }

  setState(id: string, state: State): void {
    this.db.rows('INSERT OR REPLACE INTO runs (id, state) VALUES (?, ?)', [id, JSON.stringify(state)]);
  }

  /** Something the run found at `key`, kept so a resumed run can still report it. */
  addIssue(id: string, key: string, issue: Issue): void {
    this.db.rows('INSERT OR REPLACE INTO run_issues (run_id, key, issue) VALUES (?, ?, ?)', [id, key, JSON.stringify(issue)]);
  }

  /** The issues of a run in key order, a page at a time. */
  *issues(id: string): Generator<Issue> {
    let last = '';
    for (;;) {
      const rows = this.db.rows('SELECT key, issue FROM run_issues WHERE run_id = ? AND key > ? ORDER BY key LIMIT ?', [id, last, PAGE]);
      for (const row of rows) yield JSON.parse(String(row.issue)) as Issue;
      if (rows.length < PAGE) return;
      last = String(rows[rows.length - 1].key);
    }
  }

  /** Forgets a run and its issues (it finished, or starts over). */
  clear(id: string): void {
    this.db.transaction(() => {
      this.db.rows('DELETE FROM runs WHERE id = ?', [id]);
      this.db.rows('DELETE FROM run_issues WHERE run_id = ?', [id]);
    });
  }
}
