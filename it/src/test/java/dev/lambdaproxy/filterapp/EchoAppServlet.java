package dev.lambdaproxy.filterapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The existing application that {@code LambdaRoutingFilter} is put in front of: it answers any
 * method with the status asked for in {@value #WANT_STATUS} (200 when absent) and a plain-text
 * account of the request as it arrived, one {@code name=value} line each, the body last. It runs
 * inside the container from {@code WEB-INF/classes}, so it uses the servlet API and the JDK only.
 */
public class EchoAppServlet extends HttpServlet {

  public static final String WANT_STATUS = "X-Want-Status";
  /** Response header: how many requests this servlet has served, this one included. */
  public static final String SERVED = "X-App-Served";
  /** Response header the app always sets, so a client can tell its answers from the proxy's. */
  public static final String APP_HEADER = "X-App";

  private final AtomicLong served = new AtomicLong();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] body = request.getInputStream().readAllBytes();
    String wanted = request.getHeader(WANT_STATUS);
    response.setStatus(wanted == null ? HttpServletResponse.SC_OK : Integer.parseInt(wanted));
    response.setHeader(SERVED, Long.toString(served.incrementAndGet()));
    response.setHeader(APP_HEADER, "echo-app");
    response.addHeader("X-App-Multi", "one");
    response.addHeader("X-App-Multi", "two");
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    ByteArrayOutputStream account = new ByteArrayOutputStream();
    line(account, "method", request.getMethod());
    line(account, "uri", request.getRequestURI());
    line(account, "query", request.getQueryString());
    line(account, "content-type", request.getHeader("Content-Type")); // as sent: getContentType() may normalize it
    line(account, "x-custom", String.join(",", Collections.list(request.getHeaders("X-Custom"))));
    line(account, "authorization", request.getHeader("Authorization"));
    account.write("body=".getBytes(StandardCharsets.UTF_8));
    account.write(body);
    response.setContentLength(account.size());
    account.writeTo(response.getOutputStream());
  }

  private static void line(ByteArrayOutputStream account, String name, String value) {
    account.writeBytes((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
