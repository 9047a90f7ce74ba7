import type { Logger as SdkLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from '../config.js';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's log lines through the process's own logger. The SDK's default logger prints a failed
 * activity's error whole (a failed query's parameters included); through pino it gets the error serializer
 * that keeps secrets out of log lines.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    // A task token completes the activity it names for whoever holds it: not a thing to write down.
    const { error, taskToken: _taskToken, ...rest } = meta as LogMetadata & { error?: unknown; taskToken?: unknown };
    logger[LEVELS[level]]({ ...rest, ...(error !== undefined ? { err: error } : {}) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
