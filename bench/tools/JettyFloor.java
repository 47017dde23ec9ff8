import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Java floor for bench/floor.sh: Jetty 12 alone, with none of lambda-proxy's code, so the
 * benchmark can tell what Jetty costs from what the proxy adds. Run from the jar's classpath:
 * {@code java -cp target/lambda-proxy.jar bench/tools/JettyFloor.java MODE PORT STANDIN_URL}.
 *
 * <ul>
 *   <li>{@code hello}: a core Handler answering the fixed body (one HTTP leg, no servlet).
 *   <li>{@code servlet-hello}: an ee10 servlet answering it (one leg, with the servlet layer).
 *   <li>{@code core-proxy}: a core Handler that POSTs {@code {}} to the stand-in with Jetty's
 *       HttpClient and copies the body back (two legs, no servlet).
 *   <li>{@code proxy-servlet}: Jetty's stock ee10 ProxyServlet turning GET into that POST (two
 *       legs, the servlet proxy lambda-proxy is built on, without signing or decoding).
 * </ul>
 */
public class JettyFloor {

  static final byte[] HELLO = "\"Hello, bench!\"".getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    String standin = args.length > 2 ? args[2] : null;
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setReservedThreads(Integer.getInteger("floor.reserved", 0)); // lambda-proxy's setting; -1 is Jetty's default
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    switch (mode) {
      case "hello" -> server.setHandler(new Handler.Abstract.NonBlocking() {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
          response.write(true, ByteBuffer.wrap(HELLO), callback);
          return true;
        }
      });
      case "servlet-hello" -> {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.setContentLength(HELLO.length);
            resp.getOutputStream().write(HELLO);
          }
        }), "/*");
        server.setHandler(context);
      }
      case "core-proxy", "core-proxy-nb" -> {
        boolean nonBlocking = mode.equals("core-proxy-nb");
        HttpClient client = new HttpClient();
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(256);
        if (nonBlocking) {
          // Everything on the selector threads, as nginx runs it: no hand-off to a pool thread.
          client.getHttpClientTransport().setInvocationType(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
        }
        server.addBean(client);
        server.setHandler(new Handler.Abstract(nonBlocking
            ? org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING
            : org.eclipse.jetty.util.thread.Invocable.InvocationType.BLOCKING) {
          @Override
          public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
            Request proxyRequest = client.newRequest(standin).method(HttpMethod.POST)
                .body(new StringRequestContent("application/json", "{}"));
            proxyRequest.send(new BufferingResponseListener() {
              @Override
              public void onComplete(Result result) {
                if (result.isFailed()) {
                  Response.writeError(request, response, callback, 502);
                  return;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(getContent()), callback);
              }
            });
            return true;
          }
        });
      }
      case "proxy-servlet" -> {
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new ProxyServlet() {
          @Override
          protected String rewriteTarget(HttpServletRequest clientRequest) {
            return standin;
          }

          @Override
          protected HttpClient newHttpClient() {
            HttpClient client = super.newHttpClient();
            if (Boolean.getBoolean("floor.nonBlockingClient")) {
              client.getHttpClientTransport().setInvocationType(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
            }
            return client;
          }

          @Override
          protected void copyRequestHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
            // nothing: the stand-in needs none
          }

          @Override
          protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, Request proxyRequest) {
            proxyRequest.method(HttpMethod.POST).body(new StringRequestContent("application/json", "{}"));
            super.sendProxyRequest(clientRequest, proxyResponse, proxyRequest);
          }
        });
        holder.setInitParameter("maxConnections", "256");
        context.addServlet(holder, "/*");
        server.setHandler(context);
      }
      default -> throw new IllegalArgumentException("mode: hello | servlet-hello | core-proxy | proxy-servlet");
    }
    server.start();
    System.out.println("listening on " + connector.getLocalPort());
    server.join();
  }
}
