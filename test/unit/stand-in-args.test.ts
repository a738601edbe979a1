// The stand-in's command line must behave like OVMS's (ovms-facts section 1): defaults, messages, exit codes.
import { describe, expect, it } from 'vitest';
import { EX_USAGE, parseArgs } from '../../fixtures/stand-in/src/args.js';

const run = (...argv: string[]) => parseArgs(argv);

describe('stand-in command line', () => {
  it('prints help and exits 0 without arguments, and for --help', () => {
    for (const o of [run(), run('--help')]) {
      expect(o).toMatchObject({ kind: 'exit', code: 0 });
      expect(o.kind === 'exit' && o.stdout).toContain('--rest_port');
    }
  });

  it('prints the version like OVMS', () => {
    const o = run('--version');
    expect(o.kind === 'exit' && o.stdout).toMatch(/^OpenVINO Model Server \S+\nOpenVINO backend /);
  });

  it('defaults port and rest_port to 0 and log_level to INFO', () => {
    const o = run('--model_path', '/m', '--model_name', 'm', '--rest_port', '8000');
    expect(o).toEqual({ kind: 'run', args: { port: 0, restPort: 8000, modelPath: '/m', modelName: 'm', logLevel: 'INFO' } });
  });

  it.each([
    [['--model_path', '/m', '--model_name', 'm'], 'port and rest_port cannot both be unset'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--rest_port', '9000'], 'port and rest_port cannot have the same values'],
    [['--model_path', '/m', '--port', '9000'], 'Use either config_path or model_path with model_name'],
    [['--config_path', '/c.json', '--model_name', 'm', '--port', '9000'], 'Use config_path or model_path with model_name'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--log_level', 'LOUD'], 'log_level should be one of: TRACE, DEBUG, INFO, WARNING, ERROR'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '70000'], 'port number out of range'],
    [['--bogus'], "error parsing options: Option 'bogus' does not exist"],
    [['--port', 'abc'], 'error parsing options'],
  ])('%j exits 64 with "%s" on stderr', (argv, message) => {
    const o = run(...argv);
    expect(o.kind).toBe('exit');
    if (o.kind === 'exit') {
      expect(o.code).toBe(EX_USAGE);
      expect(o.stderr).toContain(message);
    }
  });
});
