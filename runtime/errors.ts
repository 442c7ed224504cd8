// The one error type for mistakes a user can fix (a bad path, option, spec, checkpoint or data
// file): the CLI prints its message, located where possible, and exits 2, never with a stack
// trace. Anything else that escapes is an internal bug and keeps its stack.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
