package dev.lambdaproxy.server;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The executable jar's logging, set up in code: lines on stderr, as text (the default) or as JSON
 * lines ({@code log-format json}), handed to a queue so that a slow terminal never slows a request.
 *
 * <p>In code rather than a {@code logback.xml}: reading XML made Logback load about 600 classes
 * (its Joran configurator, a SAX parser) and took about 200 ms of a start of 1.1 s on this machine
 * (bench/RESULTS.md). An operator's own file still wins: with {@code -Dlogback.configurationFile}
 * (or a {@code logback-test.xml} on the class path, as in the tests) this steps aside for Logback's
 * own configurator.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** Set by {@link Main} to {@code json} before the first logger is made. */
  static final String FORMAT_PROPERTY = "lambda-proxy.log-format";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    boolean json = "json".equals(System.getProperty(FORMAT_PROPERTY));
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(json ? jsonEncoder(context) : textEncoder(context));
    stderr.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0); // never drop a line, WARN or not
    async.setNeverBlock(true);
    async.addAppender(stderr);
    async.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
    // At DEBUG the SDK logs session tokens (its signer's canonical requests) and credential_process
    // output (its cache's failures): these stay at WARN whatever software.amazon.awssdk is turned to.
    context.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer").setLevel(Level.WARN);
    context.getLogger("software.amazon.awssdk.utils.cache").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n");
    encoder.start();
    return encoder;
  }

  /** One JSON object a line, with a request line's fields as key/value pairs. */
  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithThreadName(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.start();
    return encoder;
  }
}
