import { processorProblems } from './processor-coverage';

describe('processorProblems', () => {
  it('accepts one processor per declared queue', () => {
    expect(processorProblems(['evaluate', 'notify'], ['notify', 'evaluate'])).toEqual([]);
  });

  it('names a declared queue without a processor', () => {
    expect(processorProblems(['evaluate', 'notify'], ['evaluate'])).toEqual(['queue "notify" has no processor']);
  });

  it('names a queue with two processors and a processor of an undeclared queue', () => {
    expect(processorProblems(['evaluate'], ['evaluate', 'evaluate', 'ghost'])).toEqual([
      'queue "evaluate" has 2 processors',
      'processor for undeclared queue "ghost"',
    ]);
  });
});
