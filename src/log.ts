// A small structured logger (JSON lines on stderr). It scrubs anything shaped like a credential
// before writing, as a last line of defence: nothing should hand it a token in the first place.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_PATTERNS = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /pit-[0-9a-f]{8}-[0-9a-f-]{27}/gi,
];

export function scrub(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const at =
    (lvl: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, message, ...fields });
      write(`${scrub(line)}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * What a log line says of an error: a system error's code (ENOSPC, EACCES), else its message,
 * at most 300 characters. Never the stack or the error's other fields, which may hold request data.
 */
export function errorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text =
    typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : error instanceof Error ? error.message : String(error);
  return text.slice(0, 300);
}
