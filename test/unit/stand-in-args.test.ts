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

  it('defaults port and rest_port to 0, log_level to INFO, binds to all interfaces and allows any origin (as OVMS)', () => {
    const o = run('--model_path', '/m', '--model_name', 'm', '--rest_port', '8000');
    expect(o).toEqual({
      kind: 'run',
      args: {
        port: 0, restPort: 8000, modelPath: '/m', modelName: 'm', logLevel: 'INFO', grpcBindAddress: '0.0.0.0', restBindAddress: '0.0.0.0',
        allowedOrigins: '*', allowedMethods: '*', allowedHeaders: '*', allowCredentials: false,
      },
    });
    expect(run('--model_path', '/m', '--model_name', 'm', '--rest_port', '8000', '--rest_bind_address', 'bad address!')).toMatchObject({ code: 64, stderr: 'rest_bind_address has invalid format: proper hostname or IP address expected.\n' });
  });

  it.each([
    [['--model_path', '/m', '--model_name', 'm'], 'port and rest_port cannot both be unset'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--rest_port', '9000'], 'port and rest_port cannot have the same values'],
    [['--model_path', '/m', '--port', '9000'], 'Use either config_path or model_path with model_name'],
    [['--config_path', '/c.json', '--model_name', 'm', '--port', '9000'], 'Use config_path or model_path with model_name'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--log_level', 'LOUD'], 'log_level should be one of: TRACE, DEBUG, INFO, WARNING, ERROR'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '70000'], 'port number out of range'],
    [['--bogus'], "error parsing options: Option 'bogus' does not exist"],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--grpc_workers', '0'], 'grpc_workers count should be from 1 to CPU core count'],
    [['--model_path', '/m', '--model_name', 'm', '--rest_port', '8000', '--rest_workers', '1'], 'rest_workers count should be from 2 to 10000'],
    [['--model_path', '/m', '--model_name', 'm', '--port', '9000', '--metrics_enable'], 'rest_port setting is missing, metrics are enabled on rest port'],
    [['--model_path', '/m', '--model_name', 'm', '--rest_port', '8000', '--metrics_list', 'ovms_streams'], 'metrics_enable setting is missing, required when metrics_list is provided'],
    [['--config_path', '/c.json', '--port', '9000', '--nireq', '2'], 'Model parameters in CLI are exclusive with the config file'],
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

describe('stand-in effective settings (as OVMS derives them)', async () => {
  const { effectiveConfig, parseChannelArguments, ConfigError } = await import('../../fixtures/stand-in/src/server-config.js');
  const base = { port: 9000, restPort: 8000, logLevel: 'INFO' as const, grpcBindAddress: '0.0.0.0', restBindAddress: '0.0.0.0', allowedOrigins: '*', allowedMethods: '*', allowedHeaders: '*', allowCredentials: false };
  it('defaults: streams = cores, threads = 8 x cores, quota 2 GiB, LATENCY -> 1 stream', () => {
    const c = effectiveConfig(base);
    expect(c.maxConcurrentStreams).toBe(c.cores);
    expect(c.grpcMaxThreads).toBe(8 * c.cores);
    expect(c.grpcMemoryQuota).toBe(2147483648);
    expect(c.numStreams).toBe(1);
    expect(c.metrics).toBeNull();
  });
  it('0 disables the thread cap and the quota; a non-numeric stream limit removes SETTINGS', () => {
    const c = effectiveConfig({ ...base, grpcMaxThreads: 0, grpcMemoryQuota: 0, grpcChannelArguments: 'grpc.max_concurrent_streams=abc' });
    expect(c.grpcMaxThreads).toBeNull();
    expect(c.grpcMemoryQuota).toBeNull();
    expect(c.maxConcurrentStreams).toBeNull();
  });
  it('channel arguments must be key=value', () => {
    expect(() => parseChannelArguments('grpc.a=1=2')).toThrow(ConfigError);
    expect(parseChannelArguments('grpc.max_concurrent_streams=3')).toEqual({ 'grpc.max_concurrent_streams': 3 });
  });
  it('metrics_list enables only what it names and refuses unknown names', () => {
    expect([...effectiveConfig({ ...base, metricsEnable: true, metricsList: 'ovms_streams' }).metrics!]).toEqual(['ovms_streams']);
    expect(() => effectiveConfig({ ...base, metricsEnable: true, metricsList: 'ovms_nope' })).toThrow(/Invalid name in metrics_list/);
  });
});
