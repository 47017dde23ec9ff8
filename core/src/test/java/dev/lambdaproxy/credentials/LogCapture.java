package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What the logs say while it is open, through the Logback backend the tests run with: every event
 * that passes its logger's level, with its stack trace, one {@code LEVEL logger [thread] message}
 * line each. Chosen loggers are turned to DEBUG meanwhile.
 */
final class LogCapture implements AutoCloseable {

  private final LoggerContext context;
  private final StringBuilder lines = new StringBuilder();
  private final Map<String, Level> levelsBefore = new LinkedHashMap<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      String line = event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
          + event.getFormattedMessage() + "\n"
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()) + "\n");
      synchronized (lines) {
        lines.append(line);
      }
    }
  };

  private LogCapture(LoggerContext context, String... debugLoggers) {
    this.context = context;
    for (String name : debugLoggers) {
      set(name, Level.DEBUG);
    }
    appender.setContext(context);
    appender.setName("log-capture");
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  /** Starts capturing; skips the test when another SLF4J backend is in use. */
  static LogCapture start(String... debugLoggers) {
    assumeTrue(LoggerFactory.getILoggerFactory() instanceof LoggerContext, "log capture needs the Logback backend");
    return new LogCapture((LoggerContext) LoggerFactory.getILoggerFactory(), debugLoggers);
  }

  /** Keeps {@code logger} at INFO while capturing, as a product log configuration pins it. */
  LogCapture atInfo(String logger) {
    set(logger, Level.INFO);
    return this;
  }

  private void set(String name, Level level) {
    Logger logger = context.getLogger(name);
    levelsBefore.putIfAbsent(name, logger.getLevel());
    logger.setLevel(level);
  }

  String text() {
    synchronized (lines) {
      return lines.toString();
    }
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    levelsBefore.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }
}
