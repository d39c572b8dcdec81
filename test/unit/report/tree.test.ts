import assert from 'node:assert/strict';
import { renderTree } from '../../../src/report/tree.js';

describe('tree rendering', () => {
  it('renders with box-drawing characters, one line per node', () => {
    const text = renderTree([{ label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }, { label: 'd' }] }]);
    assert.equal(text, 'a\n├── b\n│   └── c\n└── d\n');
  });
});
