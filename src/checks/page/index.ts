// The page checks, in the order they run. The security page's own example command, run as written.
import exampleCommand from './example-command.js';

export const PAGE = [exampleCommand] as const;
