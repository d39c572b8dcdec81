/** A tiny tree renderer with box-drawing characters, as `vela auth list-privileges` prints its trees. */

export interface TreeNode {
  label: string;
  children?: TreeNode[];
}

export function renderTree(roots: readonly TreeNode[]): string {
  const lines: string[] = [];
  for (const root of roots) {
    lines.push(root.label);
    renderChildren(root.children ?? [], '', lines);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function renderChildren(children: readonly TreeNode[], prefix: string, lines: string[]): void {
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    const [first = '', ...rest] = child.label.split('\n');
    lines.push(`${prefix}${last ? '└── ' : '├── '}${first}`);
    const continuation = `${prefix}${last ? '    ' : '│   '}`;
    for (const line of rest) lines.push(`${continuation}${line}`);
    renderChildren(child.children ?? [], continuation, lines);
  });
}
