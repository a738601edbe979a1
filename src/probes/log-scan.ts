// Finds write and permission failures in a server log (hardening.starts-read-only): the errno
// texts, and OVMS's own wordings for them (read from OVMS 7e4df0c7; file and line each).
export const WRITE_ERROR_PATTERNS: readonly RegExp[] = [
  /read-only file system/i,
  /permission denied/i,
  /operation not permitted/i,
  // src/modelmanager.cpp L117: a cache directory it cannot write
  /Cache directory .* is not writable/,
  // src/filesystem/filesystem.cpp L46, L79, L157: mkdtemp and temp files under /tmp
  /Failed to create local temp folder/,
  /Failed to create temp (file|directory)/,
  // src/filesystem/filesystem.hpp L308, s3filesystem.cpp L442, azurestorage.cpp L40
  /Failed to create local folder/,
  // s3filesystem.cpp L522, gcsfilesystem.cpp L305, azurefilesystem.cpp L174
  /Failed to create a temporary path/,
  // std::filesystem::create_directories throwing for --cache_dir (modelmanager.cpp L108)
  /cannot create director(y|ies)/i,
  // an unreadable model folder (deployment-security-facts 1: modelmanager.cpp L1283)
  /Couldn't list directories in path/,
  // libgit2 in pull mode (deployment-security-facts 6)
  /failed to make directory/i,
];

export function writeErrorLines(log: readonly string[]): string[] {
  return log.filter((line) => WRITE_ERROR_PATTERNS.some((p) => p.test(line)));
}
