// Every graph a config.json declares, found the way OVMS finds them (ovms-facts 5, 6): a
// model_config_list entry whose base_path holds graph_path (default graph.pbtxt), or an entry of
// the deprecated mediapipe_config_list. Its sample file is sample.json beside the graph.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface DiscoveredGraph { name: string; style: 'model_config_list' | 'mediapipe_config_list'; basePath: string; graphPath: string; samplePath: string }

interface RawConfig { name?: string; base_path?: string; graph_path?: string }

export function discoverGraphs(configPath: string): DiscoveredGraph[] {
  const doc = JSON.parse(readFileSync(configPath, 'utf8')) as { model_config_list?: { config?: RawConfig }[]; mediapipe_config_list?: RawConfig[] };
  const dir = dirname(configPath);
  const at = (base: string, p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const graphs: DiscoveredGraph[] = [];
  const add = (c: RawConfig, style: DiscoveredGraph['style']): void => {
    const basePath = at(dir, c.base_path ?? c.name!);
    graphs.push({ name: c.name!, style, basePath, graphPath: at(basePath, c.graph_path ?? 'graph.pbtxt'), samplePath: join(basePath, 'sample.json') });
  };
  for (const item of doc.model_config_list ?? []) {
    const c = item.config;
    if (c?.name && existsSync(at(at(dir, c.base_path ?? c.name), c.graph_path ?? 'graph.pbtxt'))) add(c, 'model_config_list');
  }
  for (const c of doc.mediapipe_config_list ?? []) if (c.name) add(c, 'mediapipe_config_list');
  return graphs;
}
