/**
 * A credential that cannot leak by accident: printing, logging, string interpolation and JSON.stringify all show
 * `***`. The value comes out only through `reveal()`, which the one place that writes a kubeconfig calls.
 */

import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Secret(***)';
  }
}
