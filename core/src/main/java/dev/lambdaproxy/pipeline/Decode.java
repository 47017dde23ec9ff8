package dev.lambdaproxy.pipeline;

import dev.lambdaproxy.http.ClientAnswer;
import dev.lambdaproxy.invoke.ResponseDecoder;
import dev.lambdaproxy.route.FunctionTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decode stage of a buffered Invoke call: Lambda's answer, read by {@link LambdaWire}, becomes
 * the client's answer by the route's event format ({@link ResponseDecoder}); what went wrong goes
 * to the log, and the log tail too when the route asks for it.
 */
final class Decode {

  private static final Logger LOG = LoggerFactory.getLogger(Decode.class);

  private Decode() {}

  static ClientAnswer answer(Routed routed, ClientRequest clientRequest, Exchange exchange, ServerResponse serverResponse) {
    FunctionTarget function = routed.function();
    exchange.lambdaRequestId = serverResponse.header(LambdaWire.REQUEST_ID);
    if (function.logTail() && LOG.isDebugEnabled()) {
      logTail(routed, serverResponse.header(LambdaWire.LOG_RESULT));
    }
    ResponseDecoder.Decoded decoded = ResponseDecoder.decode(LambdaWire.response(serverResponse), function);
    if (decoded.logMessage() != null) {
      LOG.warn("{} {}: {}", clientRequest.method(), clientRequest.rawPath(), decoded.logMessage());
    }
    return decoded.answer();
  }

  private static void logTail(Routed routed, String logResult) {
    if (logResult == null) {
      return;
    }
    try {
      LOG.debug("log tail of {}:\n{}", routed.targetName(), new String(Base64.getDecoder().decode(logResult), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.debug("log tail of {} is not base64", routed.targetName());
    }
  }
}
