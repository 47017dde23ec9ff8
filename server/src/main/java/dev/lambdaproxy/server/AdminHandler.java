package dev.lambdaproxy.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lambdaproxy.cache.ResponseCache;
import dev.lambdaproxy.credentials.CredentialsStatus;
import dev.lambdaproxy.route.FunctionTarget;
import dev.lambdaproxy.route.HttpEndpoint;
import dev.lambdaproxy.route.Route;
import dev.lambdaproxy.runtime.LiveConfig;
import dev.lambdaproxy.runtime.ProxyConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin port: {@code /healthz} (live), {@code /readyz} (routes loaded and credentials
 * resolvable), {@code /metrics} (Prometheus text), {@code /routes} (the live table, no secrets) and
 * {@code POST /reload}, and {@code PURGE /path} for the response cache. It binds to loopback unless told otherwise: it can reload and it tells a
 * lot about the deployment.
 */
final class AdminHandler extends Handler.Abstract {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveConfig live;
  private final PrometheusMeterRegistry registry;
  private final ResponseCache cache;

  AdminHandler(LiveConfig live, PrometheusMeterRegistry registry, ResponseCache cache) {
    this.live = live;
    this.registry = registry;
    this.cache = cache;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (method.equals("PURGE")) {
      // PURGE /path drops that path's cached answers (every query and variant); /* drops them all.
      json(response, callback, 200, JSON.createObjectNode().put("purged", cache.purge(path)).put("path", path));
      return true;
    }
    switch (path) {
      case "/healthz" -> {
        if (allow(method, "GET", response, callback)) {
          json(response, callback, 200, JSON.createObjectNode().put("status", "live"));
        }
      }
      case "/readyz" -> {
        if (allow(method, "GET", response, callback)) {
          ready(response, callback);
        }
      }
      case "/metrics" -> {
        if (allow(method, "GET", response, callback)) {
          response.setStatus(200);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
          Content.Sink.write(response, true, registry.scrape(), callback);
        }
      }
      case "/routes" -> {
        if (allow(method, "GET", response, callback)) {
          json(response, callback, 200, routes(live.current()));
        }
      }
      case "/reload" -> {
        if (allow(method, "POST", response, callback)) {
          reload(response, callback);
        }
      }
      default -> json(response, callback, 404, JSON.createObjectNode().put("message",
          "no admin endpoint " + path + "; there are /healthz, /readyz, /metrics, /routes and POST /reload"));
    }
    return true;
  }

  private static boolean allow(String method, String allowed, Response response, Callback callback) {
    if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
      return true;
    }
    response.getHeaders().put(HttpHeader.ALLOW, allowed);
    json(response, callback, 405, JSON.createObjectNode().put("message", "use " + allowed));
    return false;
  }

  private void ready(Response response, Callback callback) {
    ProxyConfig config = live.current();
    ObjectNode body = JSON.createObjectNode();
    body.put("routes", config.routes().size());
    CredentialsStatus credentials = config.credentials().status();
    if (credentials.ready()) {
      body.put("status", "ready");
      body.put("credentials", credentials.source());
      if (credentials.expiration() != null) {
        body.put("credentialsExpire", credentials.expiration().toString());
      }
      if (credentials.problem() != null) {
        body.put("warning", credentials.problem());
      }
      json(response, callback, 200, body);
    } else {
      body.put("status", "not ready");
      body.put("reason", "no AWS credentials: " + credentials.problem());
      json(response, callback, 503, body);
    }
  }

  private void reload(Response response, Callback callback) {
    LiveConfig.ReloadResult result = live.reload();
    ObjectNode body = JSON.createObjectNode();
    body.put("reloaded", result.ok());
    body.put("routes", result.routes());
    if (result.error() != null) {
      body.put("error", result.error());
    }
    ArrayNode waiting = body.putArray("restartRequired");
    result.waitingForRestart().forEach(waiting::add);
    json(response, callback, result.ok() ? 200 : 422, body);
  }

  /** The live table as JSON: what each route calls and how, never a secret (an API key shows as present). */
  static ArrayNode routes(ProxyConfig config) {
    ArrayNode routes = JSON.createArrayNode();
    for (Route route : config.routes().routes()) {
      ObjectNode node = routes.addObject();
      node.put("path", route.pattern());
      node.put("line", route.line());
      ArrayNode methods = node.putArray("methods");
      route.methods().forEach(methods::add);
      if (route.timeout() != null) {
        node.put("timeoutMs", route.timeout().toMillis());
      }
      FunctionTarget function = route.function();
      if (function != null) {
        node.put("function", function.display());
        node.put("invokeUrl", config.target(route).uri().toString());
        node.put("event", function.event().configName());
        node.put("invocation", function.invocation().headerValue());
        node.put("contentType", function.contentType());
        node.put("functionErrorStatus", function.functionErrorStatus());
        node.put("logTail", function.logTail());
        node.put("clientContext", function.clientContext() != null);
      }
      HttpEndpoint endpoint = route.endpoint();
      if (endpoint != null) {
        node.put("endpoint", endpoint.display());
        node.put("auth", endpoint.auth().name().toLowerCase(java.util.Locale.ROOT));
        if (endpoint.service() != null) {
          node.put("service", endpoint.service());
          node.put("region", endpoint.region());
        }
        node.put("apiKey", endpoint.apiKey() != null ? "set" : null);
        node.put("forwardAuth", endpoint.forwardAuth());
      }
      frontDoor(node, route.frontDoor());
    }
    return routes;
  }

  /** What the route asks of the front door, when it asks anything: an operator sees who guards what. */
  private static void frontDoor(ObjectNode node, dev.lambdaproxy.route.FrontDoorOptions options) {
    if (options.equals(dev.lambdaproxy.route.FrontDoorOptions.NONE)) {
      return;
    }
    ObjectNode frontDoor = node.putObject("frontDoor");
    if (options.authorizer() != null) {
      frontDoor.put("authorizer", options.authorizer());
      ArrayNode scopes = frontDoor.putArray("scopes");
      options.scopes().forEach(scopes::add);
    }
    frontDoor.put("cors", options.cors());
    frontDoor.put("requireApiKey", options.requireApiKey());
    if (options.rate() != null) {
      frontDoor.put("rate", options.rate());
      frontDoor.put("burst", options.burst());
    }
    if (options.maxConcurrency() != null) {
      frontDoor.put("maxConcurrency", options.maxConcurrency());
    }
  }

  private static void json(Response response, Callback callback, int status, Object body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      bytes = "{\"message\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
    }
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
  }
}
