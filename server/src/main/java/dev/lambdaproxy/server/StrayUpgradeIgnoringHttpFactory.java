package dev.lambdaproxy.server;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 whose connections ignore an {@code Upgrade} header that {@code Connection} does not name,
 * or that comes in an HTTP/1.0 request, as nginx does and RFC 9110 section 7.8 asks: such a header
 * is no upgrade request. Jetty 12.1's {@code HttpConnection} instead refuses the request with 400
 * "Invalid h2c upgrade headers", whatever the protocol named. A stray Upgrade is held back from
 * Jetty; it is hop-by-hop, so the proxy would not have forwarded it anyway.
 */
final class StrayUpgradeIgnoringHttpFactory extends HttpConnectionFactory {

  StrayUpgradeIgnoringHttpFactory(HttpConfiguration configuration) {
    super(configuration);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    // What HttpConnectionFactory.newConnection does, with the connection below.
    HttpConnection connection = new UpgradeCheckingConnection(getHttpConfiguration(), connector, endPoint);
    connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
    return configure(connection, connector, endPoint);
  }

  private static final class UpgradeCheckingConnection extends HttpConnection {

    UpgradeCheckingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
      super(configuration, connector, endPoint);
    }

    @Override
    protected RequestHandler newRequestHandler() {
      return new UpgradeHoldingHandler();
    }

    /** Holds Upgrade fields back until the whole header is read, then passes them on only if Connection named "upgrade". */
    private final class UpgradeHoldingHandler extends RequestHandler {

      private final List<HttpField> upgrades = new ArrayList<>(1);
      private boolean connectionUpgrade;
      private boolean http10;

      @Override
      public void startRequest(String method, String uri, HttpVersion version) {
        upgrades.clear();
        connectionUpgrade = false;
        http10 = version == HttpVersion.HTTP_1_0;
        super.startRequest(method, uri, version);
      }

      @Override
      public void parsedHeader(HttpField field) {
        if (field.getHeader() == HttpHeader.UPGRADE) {
          upgrades.add(field);
          return;
        }
        if (field.getHeader() == HttpHeader.CONNECTION && field.contains(HttpHeaderValue.UPGRADE.asString())) {
          connectionUpgrade = true;
        }
        super.parsedHeader(field);
      }

      @Override
      public boolean headerComplete() {
        if (connectionUpgrade && !http10) {
          upgrades.forEach(super::parsedHeader);
        }
        upgrades.clear();
        return super.headerComplete();
      }
    }
  }
}
