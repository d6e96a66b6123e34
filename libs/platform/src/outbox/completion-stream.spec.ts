import { completedJobIds } from './completion-stream.js';

describe('completedJobIds', () => {
  it('keeps the job ids of completed entries only, wherever jobId sits among the fields', () => {
    expect(
      completedJobIds([
        ['1-0', ['event', 'added', 'jobId', 'a.x', 'name', 'n']],
        ['1-1', ['event', 'active', 'jobId', 'a.x', 'prev', 'waiting']],
        ['1-2', ['event', 'completed', 'jobId', 'a.x', 'returnvalue', 'null', 'prev', 'active']],
        ['1-3', ['event', 'failed', 'jobId', 'b.x', 'failedReason', 'boom']],
        ['1-4', ['event', 'completed', 'returnvalue', 'null', 'jobId', 'c.x']],
        ['1-5', ['event', 'drained']],
      ]),
    ).toEqual(['a.x', 'c.x']);
  });
});
